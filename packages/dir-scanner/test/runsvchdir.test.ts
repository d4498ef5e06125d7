// runsvchdir against the reference runit's: same stdout, stderr, exit code and resulting link farm.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, referenceBinary, requireRoot } from '@runit-ts/test-support';
import { ourCommand, withRunsvdirLink } from './support/commands.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  farm: string[];
}

/** Each entry of the farm as `name -> link text`, `name/` or `name`, sorted. */
function describeFarm(farm: string): string[] {
  let names: string[];
  try {
    names = readdirSync(farm);
  } catch {
    return ['(no farm)'];
  }
  return names.sort().map((name) => {
    const path = join(farm, name);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return `${name} -> ${readlinkSync(path)}`;
    return stat.isDirectory() ? `${name}/` : name;
  });
}

type Setup = (farm: string) => void;

/** The usual farm: levels a and b, a plain file f, current -> a. */
const standardFarm: Setup = (farm) => {
  mkdirSync(join(farm, 'a'), { recursive: true });
  mkdirSync(join(farm, 'b'));
  writeFileSync(join(farm, 'f'), '');
  symlinkSync('a', join(farm, 'current'));
};

/** Runs `runsvchdir args` with /etc/runit/runsvdir -> a fresh farm built by setup (farm text may contain FARM). */
function run(program: 'ours' | 'reference', setup: Setup, args: string[], farmExists = true): Result {
  const farm = join(cleanup.tempDir('runsvchdir-'), 'farm');
  if (farmExists) {
    mkdirSync(farm);
    setup(farm);
  }
  const command =
    program === 'ours'
      ? ['node', ourCommand('runsvchdir')]
      : [referenceBinary('runsvchdir')];
  const concreteArgs = args.map((arg) => arg.replaceAll('FARM', farm));
  // ours on PATH, so that it prints its bare name as runit prints argv[0] 'runsvchdir'
  const result = spawnSync(withRunsvdirLink, [farm, 'runsvchdir', ...command, ...concreteArgs], {
    encoding: 'utf8',
    env: { PATH: `${dirname(ourCommand('runsvchdir'))}:${process.env.PATH}` },
  });
  const farmText = describeFarm(farm).map((line) => line.replaceAll(farm, 'FARM'));
  rmSync(farm, { recursive: true, force: true });
  const general = (text: string) => text.replaceAll(farm, 'FARM');
  return { code: result.status, stdout: general(result.stdout), stderr: general(result.stderr), farm: farmText };
}

function compare(setup: Setup, args: string[], farmExists = true): Result {
  const ours = run('ours', setup, args, farmExists);
  const reference = run('reference', setup, args, farmExists);
  expect(ours).toEqual(reference);
  return ours;
}

describe('runsvchdir, side by side with runit 2.1.2', () => {
  it('checks for root (the farm is mounted over /etc in a private namespace)', () => {
    requireRoot('runsvchdir interop');
  });

  it('prints the usage line and exits 1 without an argument', () => {
    const result = compare(standardFarm, []);
    expect(result).toMatchObject({ code: 1, stderr: 'usage: runsvchdir dir\n\n' });
  });

  it('switches current to another level and keeps the old one as previous', () => {
    const result = compare(standardFarm, ['b']);
    expect(result).toMatchObject({ code: 0, stdout: 'runsvchdir: b: now current.\n', stderr: '' });
    expect(result.farm).toEqual(['a/', 'b/', 'current -> b', 'f', 'previous -> a']);
  });

  it('says "current." and changes nothing when the level is already current', () => {
    const result = compare(standardFarm, ['a']);
    expect(result).toMatchObject({ code: 0, stdout: 'runsvchdir: a: current.\n' });
  });

  it('recognises the current level by device and inode, whatever its name', () => {
    const result = compare(standardFarm, ['FARM/a']);
    expect(result.stdout).toBe('runsvchdir: FARM/a: current.\n');
  });

  it('keeps an absolute level name as the link text', () => {
    const result = compare((farm) => {
      standardFarm(farm);
      mkdirSync(join(farm, 'elsewhere'));
    }, ['FARM/elsewhere']);
    expect(result.code).toBe(0);
    expect(result.farm).toContain('current -> FARM/elsewhere');
  });

  it('replaces a stale current.new and an old previous', () => {
    const result = compare((farm) => {
      standardFarm(farm);
      symlinkSync('gone', join(farm, 'current.new'));
      symlinkSync('b', join(farm, 'previous'));
    }, ['b']);
    expect(result.farm).toEqual(['a/', 'b/', 'current -> b', 'f', 'previous -> a']);
  });

  it.each([
    ['a name starting with a dot', ['.hidden']],
    ['a missing level', ['nosuch']],
    ['an empty name', ['']],
    ['a plain file (runit prints no separator before "not a directory.")', ['f']],
  ])('refuses %s with exit 111', (_what, args) => {
    const result = compare(standardFarm, args);
    expect(result.code).toBe(111);
    expect(result.stderr).toMatch(/^runsvchdir: fatal: /);
    expect(result.farm).toEqual(['a/', 'b/', 'current -> a', 'f']);
  });

  it('fails when current is missing', () => {
    const result = compare((farm) => mkdirSync(join(farm, 'a')), ['a']);
    expect(result).toMatchObject({ code: 111, stderr: 'runsvchdir: fatal: unable to stat: current: file does not exist\n' });
  });

  it('fails when the runsvdir directory does not exist', () => {
    const result = compare(standardFarm, ['a'], false);
    expect(result).toMatchObject({
      code: 111,
      stderr: 'runsvchdir: fatal: unable to chdir: /etc/runit/runsvdir: file does not exist\n',
    });
  });

  it.each(['current.new', 'previous'])('fails when %s is a directory it cannot unlink', (name) => {
    const result = compare((farm) => {
      standardFarm(farm);
      mkdirSync(join(farm, name));
    }, ['b']);
    expect(result.code).toBe(111);
    expect(result.stderr).toContain(`unable to unlink: ${name}: `);
  });
});

describe('runsvchdir: RUNSVDIR (runit 2.3.0) and argv[0]', () => {
  it('names itself by its path when it was not found on PATH', () => {
    const result = spawnSync('node', [ourCommand('runsvchdir')], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    expect(result.stderr).toBe(`usage: ${ourCommand('runsvchdir')} dir\n\n`);
  });

  it('works in the directory RUNSVDIR names instead of /etc/runit/runsvdir', () => {
    const farm = cleanup.tempDir('runsvchdir-env-');
    standardFarm(farm);
    const result = spawnSync('node', [ourCommand('runsvchdir'), 'b'], {
      encoding: 'utf8',
      env: { PATH: `${dirname(ourCommand('runsvchdir'))}:${process.env.PATH}`, RUNSVDIR: farm },
    });
    expect(result.stdout).toBe('runsvchdir: b: now current.\n');
    expect(result.status).toBe(0);
    expect(describeFarm(farm)).toEqual(['a/', 'b/', 'current -> b', 'f', 'previous -> a']);
  });

  it('names RUNSVDIR in its chdir error', () => {
    const farm = join(cleanup.tempDir('runsvchdir-env-'), 'missing');
    const result = spawnSync('node', [ourCommand('runsvchdir'), 'b'], {
      encoding: 'utf8',
      env: { PATH: `${dirname(ourCommand('runsvchdir'))}:${process.env.PATH}`, RUNSVDIR: farm },
    });
    expect(result.stderr).toBe(`runsvchdir: fatal: unable to chdir: ${farm}: file does not exist\n`);
    expect(result.status).toBe(111);
  });
});
