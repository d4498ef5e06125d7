// chpst's own command line: `chpst [-vVP012] [-u ...] ... prog`, turned into a plan or a usage exit.
import { CHPST_EXIT_USAGE } from './exit.js';
import { OptionScanner } from './getopt.js';
import type { Invocation } from './invocation.js';
import { CHPST_VERSION_ID, SYNOPSIS, optionProblemText, usageText } from './messages.js';
import { Exit } from './outcome.js';
import { emptyPlan, type ChpstPlan } from './plan.js';
import { asInt32, asLong, wholeUnsigned } from './scan.js';
import type { RlimitName } from '@runit-ts/native';

const OPTIONS = 'u:U:b:e:m:d:o:p:f:c:r:t:/:C:n:l:L:vP012V';

const SINGLE_LIMITS: Readonly<Record<string, RlimitName>> = {
  d: 'DATA',
  o: 'NOFILE',
  p: 'NPROC',
  f: 'FSIZE',
  c: 'CORE',
  r: 'RSS',
  t: 'CPU',
};

/** The main usage exit; softlimit's bad numbers use it too (with softlimit's name), as runit does. */
export const mainUsage = (invocation: Invocation, before = ''): Exit =>
  new Exit(CHPST_EXIT_USAGE, before + usageText(invocation.name, SYNOPSIS.chpst));

/** `-n` accepts `-5`, `+5` and `5`. */
function niceIncrement(text: string): bigint | undefined {
  if (text.startsWith('-')) {
    const value = wholeUnsigned(text.slice(1));
    return value === undefined ? undefined : -asLong(value);
  }
  return wholeUnsigned(text.startsWith('+') ? text.slice(1) : text);
}

export function parseChpstArgs(argv: readonly string[], invocation: Invocation): ChpstPlan {
  const plan = emptyPlan();
  const scanner = new OptionScanner(argv, OPTIONS);
  const number = (text: string): bigint => {
    const value = wholeUnsigned(text);
    if (value === undefined) throw mainUsage(invocation);
    return asLong(value);
  };
  for (let step = scanner.next(); step.kind !== 'done'; step = scanner.next()) {
    if (step.kind === 'problem') {
      throw mainUsage(invocation, optionProblemText(invocation.calledAs, step.option, step.missingArgument));
    }
    const { option, argument } = step;
    const limit = SINGLE_LIMITS[option];
    if (limit) {
      plan.limits[limit] = number(argument);
      continue;
    }
    switch (option) {
      case 'u':
        plan.setUser = { spec: argument, extended: true };
        break;
      case 'U':
        plan.envUser = { spec: argument, extended: true };
        break;
      case 'b':
        plan.argv0 = argument;
        break;
      case 'e':
        plan.envDir = { dir: argument, skipSubdirectories: true };
        break;
      case 'm': {
        const value = number(argument);
        Object.assign(plan.limits, { DATA: value, STACK: value, MEMLOCK: value, AS: value });
        break;
      }
      case '/':
        plan.root = argument;
        break;
      case 'C':
        plan.workingDirectory = argument;
        break;
      case 'n': {
        const increment = niceIncrement(argument);
        if (increment === undefined) throw mainUsage(invocation);
        plan.niceIncrement = increment === 0n ? 0 : asInt32(increment);
        break;
      }
      case 'l':
      case 'L':
        if (plan.lock) throw mainUsage(invocation);
        plan.lock = { path: argument, wait: option === 'l' };
        break;
      case 'v':
        plan.verbose = true;
        break;
      case 'P':
        plan.newSession = true;
        break;
      case '0':
        plan.closeStdin = true;
        break;
      case '1':
        plan.closeStdout = true;
        break;
      case '2':
        plan.closeStderr = true;
        break;
      case 'V':
        throw mainUsage(invocation, CHPST_VERSION_ID);
    }
  }
  plan.program = argv.slice(scanner.index);
  if (plan.program.length === 0) throw mainUsage(invocation);
  return plan;
}
