// The daemontools-style personalities chpst takes on when called by another name:
// setuidgid, envuidgid, envdir, pgrphack, setlock [-nNxX] and softlimit.
import { mainUsage } from './chpst-options.js';
import { CHPST_EXIT_USAGE } from './exit.js';
import { OptionScanner } from './getopt.js';
import type { Invocation, Personality } from './invocation.js';
import { SYNOPSIS, optionProblemText, usageText } from './messages.js';
import { Exit } from './outcome.js';
import { emptyPlan, type ChpstPlan } from './plan.js';
import { asLong, wholeUnsigned } from './scan.js';
import type { RlimitName } from '@runit-ts/native';

const usage = (invocation: Invocation, personality: Personality, before = ''): Exit =>
  new Exit(CHPST_EXIT_USAGE, before + usageText(invocation.name, SYNOPSIS[personality]));

/** `name first child...`: the first operand and a program, both required. */
function operandAndChild(argv: readonly string[], invocation: Invocation, personality: Personality) {
  if (argv.length < 3) throw usage(invocation, personality);
  return { operand: argv[1]!, program: argv.slice(2) };
}

function setlock(argv: readonly string[], invocation: Invocation): ChpstPlan {
  const scanner = new OptionScanner(argv, 'nNxX');
  let wait = false;
  let quiet = false;
  for (let step = scanner.next(); step.kind !== 'done'; step = scanner.next()) {
    if (step.kind === 'problem') {
      throw usage(invocation, 'setlock', optionProblemText(invocation.calledAs, step.option, step.missingArgument));
    }
    if (step.option === 'n' || step.option === 'N') wait = step.option === 'n';
    else quiet = step.option === 'x';
  }
  const rest = argv.slice(scanner.index);
  if (rest.length < 2) throw usage(invocation, 'setlock');
  return { ...emptyPlan(rest.slice(1)), lock: { path: rest[0]!, wait }, quietFailure: quiet };
}

const SOFTLIMIT_OPTIONS: Readonly<Record<string, RlimitName>> = {
  a: 'AS',
  c: 'CORE',
  d: 'DATA',
  f: 'FSIZE',
  l: 'MEMLOCK',
  o: 'NOFILE',
  p: 'NPROC',
  r: 'RSS',
  s: 'STACK',
  t: 'CPU',
};

function softlimit(argv: readonly string[], invocation: Invocation): ChpstPlan {
  const scanner = new OptionScanner(argv, 'a:c:d:f:l:m:o:p:r:s:t:');
  const plan = emptyPlan();
  for (let step = scanner.next(); step.kind !== 'done'; step = scanner.next()) {
    if (step.kind === 'problem') {
      throw usage(invocation, 'softlimit', optionProblemText(invocation.calledAs, step.option, step.missingArgument));
    }
    // `=` means "as high as the hard limit"; anything but digits gets chpst's own usage line.
    let value: bigint;
    if (step.argument === '=') value = -1n;
    else {
      const parsed = wholeUnsigned(step.argument);
      if (parsed === undefined) throw mainUsage(invocation);
      value = asLong(parsed);
    }
    if (step.option === 'm') Object.assign(plan.limits, { DATA: value, STACK: value, MEMLOCK: value, AS: value });
    else plan.limits[SOFTLIMIT_OPTIONS[step.option]!] = value;
  }
  plan.program = argv.slice(scanner.index);
  if (plan.program.length === 0) throw usage(invocation, 'softlimit');
  return plan;
}

export function parsePersonalityArgs(argv: readonly string[], invocation: Invocation, personality: Personality): ChpstPlan {
  switch (personality) {
    case 'setuidgid':
    case 'envuidgid': {
      const { operand, program } = operandAndChild(argv, invocation, personality);
      const account = { spec: operand, extended: false };
      return personality === 'setuidgid' ? { ...emptyPlan(program), setUser: account } : { ...emptyPlan(program), envUser: account };
    }
    case 'envdir': {
      const { operand, program } = operandAndChild(argv, invocation, personality);
      return { ...emptyPlan(program), envDir: { dir: operand, skipSubdirectories: false } };
    }
    case 'pgrphack':
      if (argv.length < 2) throw usage(invocation, personality);
      return { ...emptyPlan(argv.slice(1)), newSession: true };
    case 'setlock':
      return setlock(argv, invocation);
    case 'softlimit':
      return softlimit(argv, invocation);
  }
}
