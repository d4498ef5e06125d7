// Runs one case against our chpst and the reference chpst, each in a fresh dir set up alike.
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { type Cleanup, commandForNobody, nodeDirForNobody, referenceBinary, requireRoot } from '@runit-ts/test-support';
import { IMPLEMENTATIONS, PLAIN_PATH, chpstBinary, comparable, linkAs, run, type Implementation } from './commands.js';

export interface CaseContext {
  dir: string;
  implementation: Implementation;
  /** chpst of this implementation, or the symlink named `as` pointing at it. */
  binary: string;
  cleanup: Cleanup;
}

export interface InteropCase {
  name: string;
  /** Arguments after the command name. */
  args: string[] | ((context: CaseContext) => string[]);
  /** Call chpst through a symlink with this name (a personality). */
  as?: string;
  setup?: (context: CaseContext) => unknown;
  env?: (context: CaseContext) => NodeJS.ProcessEnv;
  /**
   * Run it under the reference `chpst -u nobody` (the case dir is opened up for nobody, and the chpst
   * nobody runs is a world-readable copy: the checkout may be in a directory only root can enter).
   */
  asNobody?: boolean;
  /** Run `sh -c script binary args...` instead, so the script can set up limits first. */
  shell?: string;
  /** What both must give, pinned so a change on both sides is noticed too. */
  code?: number;
  stderr?: string | RegExp;
  stdout?: string | RegExp;
  /**
   * A deliberate difference: here runit changed after Debian's 2.1.2 (the reference), and ours
   * follows the newer `runit`. The reference must give the pinned 2.1.2 outcome above; ours gives
   * these fields instead (the others as the reference).
   */
  newer?: { runit: '2.2.0' | '2.3.0'; code?: number; stderr?: string; stdout?: string };
}

export async function runCase(testCase: InteropCase, implementation: Implementation, cleanup: Cleanup) {
  const dir = cleanup.tempDir(`chpst-${implementation}-`);
  const target = testCase.asNobody ? commandForNobody(cleanup, chpstBinary(implementation)) : chpstBinary(implementation);
  const binary = testCase.as ? linkAs(join(dir, 'bin'), testCase.as, target) : target;
  const context: CaseContext = { dir, implementation, binary, cleanup };
  await testCase.setup?.(context);
  const args = typeof testCase.args === 'function' ? testCase.args(context) : testCase.args;
  const env = testCase.env?.(context) ?? { PATH: testCase.asNobody ? plainPathForNobody(cleanup) : PLAIN_PATH };
  let file = binary;
  let argv = args;
  if (testCase.shell !== undefined) {
    file = '/bin/sh';
    argv = ['-c', testCase.shell, binary, ...args];
  } else if (testCase.asNobody) {
    chmodSync(dir, 0o755);
    file = referenceBinary('chpst');
    argv = ['-u', 'nobody', binary, ...args];
  }
  const viaSh = implementation === 'ours' && file === binary;
  return comparable(run(file, argv, { cwd: dir, env, viaSh }), dir);
}

/** PLAIN_PATH with a node nobody may run first: our launchers run the node found on PATH. */
function plainPathForNobody(cleanup: Cleanup): string {
  return [nodeDirForNobody(cleanup), ...PLAIN_PATH.split(':').slice(1)].join(':');
}

/** Both implementations' outcomes for a case, ours first. */
export async function runBoth(testCase: InteropCase, cleanup: Cleanup) {
  const [ours, runit] = [await runCase(testCase, IMPLEMENTATIONS[0]!, cleanup), await runCase(testCase, IMPLEMENTATIONS[1]!, cleanup)];
  return { ours, runit };
}

export function matches(text: string, expected: string | RegExp | undefined): boolean {
  if (expected === undefined) return true;
  return typeof expected === 'string' ? text === expected : expected.test(text);
}

/**
 * One test per case: ours gives what the reference gives, and the reference what the case pins; for a
 * case with `newer`, ours gives the newer runit's outcome where the case says so.
 */
export function defineInteropTests(cases: readonly InteropCase[], cleanup: Cleanup): void {
  for (const testCase of cases) {
    const name = testCase.newer ? `${testCase.name} (ours as runit ${testCase.newer.runit}, the reference as 2.1.2)` : testCase.name;
    it(name, async () => {
      requireRoot('chpst interop (users, nice, chroot)');
      const { ours, runit } = await runBoth(testCase, cleanup);
      const { runit: _version, ...newer } = testCase.newer ?? { runit: '' };
      expect(ours).toEqual({ ...runit, ...newer });
      if (testCase.code !== undefined) expect(runit.code).toBe(testCase.code);
      expect(matches(runit.stderr, testCase.stderr), `stderr: ${JSON.stringify(runit.stderr)}`).toBe(true);
      expect(matches(runit.stdout, testCase.stdout), `stdout: ${JSON.stringify(runit.stdout)}`).toBe(true);
    });
  }
}
