// The one message for an addon that cannot be loaded, and the exit code a command gives with it.

/** A command that cannot load the addon exits with runit's code for fatal errors. */
export const EXIT_NO_ADDON = 111;

/** Why loading failed: the package cannot be found, it holds no addon for here, or dlopen refused it. */
export type AddonProblem =
  | { kind: 'package-not-found'; from: string }
  | { kind: 'no-addon'; platform: string; packageDir: string }
  | { kind: 'unloadable'; file: string; reason: string };

function detail(problem: AddonProblem): string {
  switch (problem.kind) {
    case 'package-not-found':
      return `@runit-ts/native is not installed where ${problem.from} can find it`;
    case 'no-addon':
      return `no addon built for ${problem.platform} in ${problem.packageDir}`;
    case 'unloadable':
      // dlopen's messages start with the file's path already.
      return problem.reason.startsWith(problem.file) ? problem.reason : `${problem.file}: ${problem.reason}`;
  }
}

/** What went wrong and what to install; the same text for commands and library users. */
export function addonProblemText(problem: AddonProblem): string {
  return (
    `runit-ts: cannot load the native addon (${detail(problem)}).\n` +
    '@runit-ts/native ships a prebuilt addon for linux-x64 (glibc) and compiles one at install\n' +
    'everywhere else, which needs a C++ compiler, make and python3 (Debian, Ubuntu: apt-get install\n' +
    'g++ make python3; Alpine: apk add g++ make python3). Install them, then install again:\n' +
    'npm i -g runit-ts (or, in a project: npm rebuild @runit-ts/native).\n'
  );
}
