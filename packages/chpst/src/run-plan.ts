// Carries out a chpst plan in runit's order, then replaces the process with the program.
import { closeSync, constants, openSync } from 'node:fs';
import { O_PATH, chroot, forKernel, lockExclusive, nice, setCloseOnExec, setgid, setgroups, setsid, setuid, tryLockExclusive } from '@runit-ts/native';
import { lookupAccount, lookupUserGroups, type Account } from './accounts.js';
import { EnvDirError, readEnvDir, type EnvChange } from './envdir.js';
import { applyEnvChanges, currentEnvironment } from './environment.js';
import { execProgram } from './exec-program.js';
import { EXIT_FATAL, SETLOCK_QUIET_EXIT } from './exit.js';
import { restoreInheritedDescriptors } from './inherited-fds.js';
import { applyLimits } from './limits.js';
import { chpstText } from './messages.js';
import { Exit } from './outcome.js';
import type { AccountRequest, ChpstPlan } from './plan.js';
import { writeStderr } from './stderr.js';

const fatal = (text: string): Exit => new Exit(EXIT_FATAL, text);

function attempt<T>(action: () => T, message: (error: unknown) => string): T {
  try {
    return action();
  } catch (error) {
    throw fatal(message(error));
  }
}

function readEnvChanges(plan: ChpstPlan, dir: string, skipSubdirectories: boolean): EnvChange[] {
  try {
    return readEnvDir(dir, {
      skipSubdirectories,
      onSkip: (name, error) => {
        if (plan.verbose) writeStderr(chpstText.skipEnvSubdir(dir, name, error));
      },
    });
  } catch (error) {
    if (!(error instanceof EnvDirError)) throw error;
    const problem = error.problem;
    switch (problem.kind) {
      case 'switch':
        throw fatal(chpstText.switchDirectory(dir, problem.error));
      case 'open':
        throw fatal(chpstText.openDirectory(dir, problem.error));
      case 'read-dir':
        throw fatal(chpstText.readDirectory(dir, problem.error));
      case 'read-file':
        throw fatal(chpstText.readEnvFile(dir, problem.name, problem.error));
    }
  }
}

function resolveAccount(request: AccountRequest): Account {
  const { spec, extended } = request;
  const found = extended ? lookupUserGroups(spec) : lookupAccount(spec);
  if (found.ok) return found.account;
  if (extended && spec.startsWith(':')) throw fatal(chpstText.invalidIds(spec.slice(1)));
  if (found.reason === 'error') {
    throw fatal(extended ? chpstText.userGroupFile(found.error) : chpstText.passwordFile(found.error));
  }
  throw fatal(extended ? chpstText.unknownUserGroup(spec) : chpstText.unknownAccount(spec));
}

/**
 * chdir(dir) by its bytes: process.chdir takes only text, so a name that is not UTF-8 is entered
 * through an O_PATH handle on it (/proc/self/fd/N leads to the directory itself).
 */
function changeDirectory(dir: string): void {
  const bytes = forKernel(dir);
  if (typeof bytes === 'string') return process.chdir(bytes);
  const fd = openSync(bytes, O_PATH | constants.O_DIRECTORY);
  try {
    process.chdir(`/proc/self/fd/${fd}`);
  } finally {
    closeSync(fd);
  }
}

/** Opens and locks the lock file; its descriptor stays open across the exec, so the program holds it. */
function takeLock(plan: ChpstPlan, path: string, wait: boolean): void {
  const failed = (message: string): Exit => (plan.quietFailure ? new Exit(SETLOCK_QUIET_EXIT, '') : fatal(message));
  let fd: number;
  try {
    fd = openSync(forKernel(path), constants.O_WRONLY | constants.O_NONBLOCK | constants.O_APPEND | constants.O_CREAT, 0o600);
  } catch (error) {
    throw failed(chpstText.openLock(path, error));
  }
  try {
    if (wait) lockExclusive(fd);
    else if (!tryLockExclusive(fd)) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
  } catch (error) {
    throw failed(chpstText.lock(path, error));
  }
  setCloseOnExec(fd, false);
}

function closeStdio(plan: ChpstPlan): void {
  const which = [plan.closeStdin, plan.closeStdout, plan.closeStderr];
  const names = ['stdin', 'stdout', 'stderr'] as const;
  for (let fd = 0; fd < 3; fd++) {
    if (which[fd]) attempt(() => closeSync(fd), (error) => chpstText.closeStdio(names[fd]!, error));
  }
}

/** Does everything the plan asks, then execs; returns only by throwing the Exit to report. */
export function runPlan(plan: ChpstPlan): never {
  // Taken before any chroot hides /proc.
  restoreInheritedDescriptors();
  const searchPath = process.env.PATH;
  const envChanges: EnvChange[] = [];
  if (plan.newSession) {
    try {
      setsid();
    } catch {
      // already a process group leader: runit ignores this too
    }
  }
  if (plan.envDir) envChanges.push(...readEnvChanges(plan, plan.envDir.dir, plan.envDir.skipSubdirectories));
  if (plan.root !== undefined) {
    const root = plan.root;
    attempt(() => changeDirectory(root), (error) => chpstText.changeDirectory(root, error));
    attempt(() => chroot('.'), chpstText.changeRoot);
  }
  if (plan.workingDirectory !== undefined) {
    const dir = plan.workingDirectory;
    attempt(() => changeDirectory(dir), (error) => chpstText.changeDirectory(dir, error));
  }
  if (plan.niceIncrement !== 0) attempt(() => nice(plan.niceIncrement), chpstText.setNice);
  if (plan.envUser) {
    const account = resolveAccount(plan.envUser);
    envChanges.push({ name: 'GID', value: String(account.gids[0]) }, { name: 'UID', value: String(account.uid) });
  }
  if (plan.setUser) {
    const account = resolveAccount(plan.setUser);
    attempt(() => setgroups(account.gids), chpstText.setgroups);
    attempt(() => setgid(account.gids[0]!), chpstText.setgid);
    attempt(() => setuid(account.uid), chpstText.setuid);
  }
  if (plan.lock) takeLock(plan, plan.lock.path, plan.lock.wait);
  closeStdio(plan);

  // Everything the exec needs is built before the limits: a low memory limit must not stop chpst itself.
  const file = plan.program[0]!;
  const argv = [plan.argv0 ?? file, ...plan.program.slice(1)];
  const env = applyEnvChanges(currentEnvironment(), envChanges);
  const limitFailure = applyLimits(plan.limits);
  if (limitFailure) {
    throw fatal(limitFailure.step === 'getrlimit' ? chpstText.getrlimit(limitFailure.error) : chpstText.setrlimit(limitFailure.error));
  }
  const error = execProgram(file, argv, env, searchPath);
  if (plan.quietFailure) throw new Exit(SETLOCK_QUIET_EXIT, '');
  throw fatal(chpstText.unableToRun(argv[0]!, error));
}
