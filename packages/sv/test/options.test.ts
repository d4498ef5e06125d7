// The command line as runit's getopt("w:vV") reads it, plus SVDIR/SVWAIT and the --json option.
import { describe, expect, it } from 'vitest';
import { parseCommandLine, programName, scanUlong, type CommandLine } from '../src/options.js';

const SV = '/usr/bin/sv';
const parse = (args: string[], env: NodeJS.ProcessEnv = {}, invokedAs = SV): CommandLine =>
  parseCommandLine(invokedAs, args, env);
const invocation = (args: string[], env: NodeJS.ProcessEnv = {}, invokedAs = SV) => {
  const line = parse(args, env, invokedAs);
  if (line.kind !== 'run') throw new Error(`expected a run, got usage: ${line.stderr}`);
  return line.invocation;
};

describe('scanUlong (djb scan_ulong)', () => {
  it.each([
    ['7', 7],
    ['12abc', 12],
    ['abc', 0],
    ['', 0],
    [' 3', 0],
    ['-3', 0],
    ['007', 7],
  ])('%j reads as %d', (text, value) => expect(scanUlong(text)).toBe(value));
});

describe('programName', () => {
  it.each([
    ['/usr/bin/sv', 'sv', false],
    ['/work/node_modules/.bin/sv', 'sv', false],
    ['/work/packages/sv/dist/sv.cjs', 'sv', false],
    ['/etc/init.d/ssh', 'ssh', true],
    ['/tmp/x/init.d/foo.cjs', 'foo.cjs', true],
    ['svc', 'svc', true],
  ])('%s is %s (LSB %s)', (path, progname, lsb) => expect(programName(path)).toEqual({ progname, lsb }));

  it('is sv when Node gives no script path', () => {
    expect(programName(undefined)).toEqual({ progname: 'sv', lsb: false });
  });
});

describe('parseCommandLine', () => {
  it('takes the command and the services after the options', () => {
    expect(invocation(['-v', 'up', 'a', 'b'])).toMatchObject({ verbose: true, action: 'up', services: ['a', 'b'], waitSeconds: 7 });
  });

  it('-w takes a value, attached or next, and implies -v', () => {
    expect(invocation(['-w', '3', 'up', 'a'])).toMatchObject({ verbose: true, waitSeconds: 3 });
    expect(invocation(['-w3', 'up', 'a'])).toMatchObject({ verbose: true, waitSeconds: 3 });
    expect(invocation(['-vw9x', 'up', 'a'])).toMatchObject({ verbose: true, waitSeconds: 9 });
    expect(invocation(['-wv', 'up', 'a'])).toMatchObject({ verbose: true, waitSeconds: 0 });
  });

  it('SVWAIT sets the wait, -w overrides it, garbage reads as 0', () => {
    expect(invocation(['up', 'a'], { SVWAIT: '12' }).waitSeconds).toBe(12);
    expect(invocation(['-w', '2', 'up', 'a'], { SVWAIT: '12' }).waitSeconds).toBe(2);
    expect(invocation(['up', 'a'], { SVWAIT: 'soon' }).waitSeconds).toBe(0);
  });

  it('SVDIR overrides /etc/service, even when empty', () => {
    expect(invocation(['s', 'a']).svdir).toBe('/etc/service');
    expect(invocation(['s', 'a'], { SVDIR: '/var/service' }).svdir).toBe('/var/service');
    expect(invocation(['s', 'a'], { SVDIR: '' }).svdir).toBe('');
  });

  it('stops at the first non-option, at --, and at a lone -', () => {
    expect(invocation(['status', '-v', 'a'])).toMatchObject({ verbose: false, action: 'status', services: ['-v', 'a'] });
    expect(invocation(['--', '-v', 'a'])).toMatchObject({ verbose: false, action: '-v', services: ['a'] });
    expect(invocation(['-', 'a'])).toMatchObject({ action: '-', services: ['a'] });
  });

  it('needs a command and, in sv mode, a service', () => {
    expect(parse([])).toEqual({ kind: 'usage', progname: 'sv', lsb: false, stderr: '' });
    expect(parse(['status'])).toEqual({ kind: 'usage', progname: 'sv', lsb: false, stderr: '' });
  });

  it('refuses unknown options and a missing -w value with getopt messages', () => {
    expect(parse(['-x', 'status', 'a'])).toMatchObject({ kind: 'usage', stderr: 'sv: illegal option -- x\n' });
    expect(parse(['-vq', 'status', 'a'])).toMatchObject({ kind: 'usage', stderr: 'sv: illegal option -- q\n' });
    expect(parse(['-w'])).toMatchObject({ kind: 'usage', stderr: 'sv: option requires an argument -- w\n' });
    expect(parse(['--wait', 'status', 'a'])).toMatchObject({ kind: 'usage', stderr: 'sv: illegal option -- --wait\n' });
  });

  it('-V prints the id line, then usage', () => {
    expect(parse(['-V', 'status', 'a'])).toMatchObject({ kind: 'usage', stderr: expect.stringMatching(/^\$Id: \S+ \$\n$/) });
  });

  it('--json is an option, or the first word after a status command', () => {
    expect(invocation(['--json', 'status', 'a'])).toMatchObject({ json: true, services: ['a'] });
    expect(invocation(['status', '--json', 'a', 'b'])).toMatchObject({ json: true, services: ['a', 'b'] });
    expect(invocation(['up', '--json', 'a'])).toMatchObject({ json: false, services: ['--json', 'a'] });
    expect(parse(['status', '--json'])).toMatchObject({ kind: 'usage' });
  });

  it('in LSB mode the service is the program name and later words are ignored', () => {
    expect(invocation(['status', 'x', 'y'], {}, '/etc/init.d/ssh')).toMatchObject({ lsb: true, progname: 'ssh', services: ['ssh'] });
    expect(parse([], {}, '/etc/init.d/ssh')).toEqual({ kind: 'usage', progname: 'ssh', lsb: true, stderr: '' });
    expect(parse(['-z'], {}, '/etc/init.d/ssh')).toMatchObject({ stderr: 'ssh: illegal option -- z\n' });
  });
});
