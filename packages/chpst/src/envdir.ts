// Reads an envdir as runit's chpst does: one variable per file, first line only, trailing blanks
// trimmed, NUL bytes turned into newlines, an empty file unsets the variable.
import { accessSync, constants, opendirSync, readFileSync, type Dir } from 'node:fs';
import { forKernel, textOfBytes } from '@runit-ts/native';

/**
 * One change to the environment: a value to set, or null to unset the variable. A value read from a
 * file that is not UTF-8 is a Buffer of its bytes, which the program gets unchanged.
 */
export interface EnvChange {
  name: string;
  value: string | Buffer | null;
}

/** A file's value as text when it is UTF-8, else its bytes. */
function textOrBytes(value: Buffer): string | Buffer {
  const text = value.toString('utf8');
  return Buffer.from(text, 'utf8').equals(value) ? text : value;
}

export type EnvDirProblem =
  | { kind: 'switch' | 'open' | 'read-dir'; error: unknown }
  | { kind: 'read-file'; name: string; error: unknown };

export interface EnvDirOptions {
  /** chpst -e skips a subdirectory (EISDIR); the envdir personality treats it as fatal. */
  skipSubdirectories: boolean;
  /** Called for each skipped subdirectory (chpst -v prints a warning). */
  onSkip?: (name: string, error: unknown) => void;
}

const NEWLINE = 0x0a;

/** The value runit derives from a file's bytes: first line, trailing spaces/tabs gone, NUL -> newline. */
export function envValue(content: Uint8Array): Buffer {
  let end = content.indexOf(NEWLINE);
  if (end < 0) end = content.length;
  while (end > 0 && (content[end - 1] === 0x20 || content[end - 1] === 0x09)) end--;
  const value = Buffer.from(content.subarray(0, end));
  for (let i = 0; i < value.length; i++) if (value[i] === 0) value[i] = NEWLINE;
  return value;
}

function readEntries(dir: Dir, fail: (kind: 'read-dir', error: unknown) => never): string[] {
  const names: string[] = [];
  try {
    // names as bytes (see opendirSync below), a name that is not UTF-8 kept as textOfBytes keeps it
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) names.push(textOfBytes(entry.name as unknown as Buffer));
  } catch (error) {
    fail('read-dir', error);
  } finally {
    dir.closeSync();
  }
  return names;
}

export class EnvDirError extends Error {
  constructor(readonly problem: EnvDirProblem) {
    super(`envdir: ${problem.kind}`);
  }
}

/**
 * The changes `dir` asks for, in directory order (the order runit applies them in). Throws
 * EnvDirError. A file that vanished (or a dangling symlink) gets the value read before it, as in runit.
 */
export function readEnvDir(dirName: string, options: EnvDirOptions): EnvChange[] {
  const fail = (kind: 'switch' | 'open' | 'read-dir', error: unknown): never => {
    throw new EnvDirError({ kind, error });
  };
  // runit chdirs into the dir: "/." makes access(2) fail exactly where chdir(2) would ("" too).
  try {
    accessSync(dirName === '' ? '' : forKernel(`${dirName}/.`), constants.X_OK);
  } catch (error) {
    fail('switch', error);
  }
  let dir: Dir;
  try {
    dir = opendirSync(forKernel(dirName), { encoding: 'buffer' as BufferEncoding });
  } catch (error) {
    return fail('open', error);
  }
  const changes: EnvChange[] = [];
  // runit reads each file into one buffer and, for a file that does not exist, reuses what is there.
  let buffer: Buffer = Buffer.alloc(0);
  for (const name of readEntries(dir, fail)) {
    if (name.startsWith('.')) continue;
    try {
      buffer = readFileSync(forKernel(`${dirName}/${name}`));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EISDIR' && options.skipSubdirectories) {
        options.onSkip?.(name, error);
        continue;
      }
      if (code !== 'ENOENT') throw new EnvDirError({ kind: 'read-file', name, error });
    }
    if (buffer.length === 0) {
      changes.push({ name, value: null });
      continue;
    }
    const value = envValue(buffer);
    changes.push({ name, value: textOrBytes(value) });
    buffer = Buffer.concat([value, Buffer.from([0])]);
  }
  return changes;
}
