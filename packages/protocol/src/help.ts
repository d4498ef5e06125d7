// runit-ts's answer to `<command> --help` (runit has no such flag): the command's usage line and where
// its manual is. Only `--help` as the first argument is taken; anywhere else, and every other
// argument, means what it means to runit.
import { fileURLToPath } from 'node:url';

export const asksForHelp = (args: readonly string[]): boolean => args[0] === '--help';

/** A help request is answered on stdout and exits 0. */
export const EXIT_HELP = 0;

/**
 * The man page file of a command's package, from the URL of the command's bundle (dist/<cmd>.cjs):
 * the build writes the pages into the package's man/ directory.
 */
export const manFile = (bundleUrl: string, page: string): string => fileURLToPath(new URL(`../man/${page}.8`, bundleUrl));

/**
 * The help text: `usage` (runit's usage line, e.g. `usage: sv [-v] [-w sec] command service ...`;
 * the empty line that follows it in runit's messages is dropped), then how to read the manual: by
 * name once runit-ts is installed globally, or from the page's file (`file`).
 */
export function helpText(usage: string, page: string, file: string): string {
  return `${usage.trimEnd()}\n\nmanual: man 8 ${page}, or man -l ${file}\n`;
}
