// `npm i -g runit-ts` from the registry into an empty prefix, then, with only that prefix's bin and
// the system directories on PATH: every command answers --help, every man page is found, and runit
// boots as PID 1 of a PID namespace over two services logged by svlogd, which sv takes down, up and
// restarts, until `runit-init 0` halts it.
import { mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup, requireRoot, runCommand, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeInstall, type GlobalInstall, installGlobally } from './support/install.js';
import { BootedNamespace } from './support/namespace.js';
import { systemPath } from './support/paths.js';
import { POWERED_OFF, runitLines } from './support/transcript.js';

const COMMANDS: Record<string, string> = {
  runit: 'init', 'runit-init': 'init', runsvdir: 'dir-scanner', runsvchdir: 'dir-scanner', runsv: 'supervisor', sv: 'sv',
  svlogd: 'logger', chpst: 'chpst', envdir: 'chpst', envuidgid: 'chpst', pgrphack: 'chpst', setlock: 'chpst',
  setuidgid: 'chpst', softlimit: 'chpst', utmpset: 'chpst',
};

const PERSONALITIES = ['envdir', 'envuidgid', 'pgrphack', 'setlock', 'setuidgid', 'softlimit'];

const cleanup = new Cleanup();
let dir: string;
let install: GlobalInstall;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  requireRoot();
  dir = cleanup.tempDir('global-install-');
  install = await installGlobally(dir, inject('registry').npmrc);
  console.log(describeInstall('npm i -g runit-ts', install));
  env = { PATH: systemPath(install.bin), HOME: dir };
});
afterAll(() => cleanup.run());

/** The pid of a process running the program `name` from under `prefix`. */
function processRunning(prefix: string, name: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const exe = readlinkSync(`/proc/${entry}/exe`);
      if (exe.startsWith(`${prefix}/`) && exe.endsWith(`/${name}`)) return Number(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

/** `sh -c script` with only the installed commands and the system's on PATH. */
const shell = (script: string, extra: NodeJS.ProcessEnv = {}) => runCommand('sh', ['-c', script], { cwd: dir, env: { ...env, ...extra } });

describe('npm i -g runit-ts', () => {
  it('puts every command on PATH, each its own package\'s launcher', () => {
    for (const [command, pkg] of Object.entries(COMMANDS)) {
      expect(shell(`command -v ${command}`).stdout).toBe(`${install.bin}/${command}\n`);
      const target = realpathSync(join(install.bin, command));
      expect(target.startsWith(`${install.prefix}/lib/node_modules/runit-ts/node_modules/@runit-ts/${pkg}/`)).toBe(true);
    }
  });

  it('answers --help on every command with its usage and manual, exit 0', () => {
    for (const command of Object.keys(COMMANDS)) {
      const outcome = shell(`${command} --help`);
      expect({ command, code: outcome.code, stderr: outcome.stderr }).toEqual({ command, code: 0, stderr: '' });
      expect(outcome.stdout).toMatch(new RegExp(`^usage: ${command} .*\\n\\nmanual: man 8 ${command}, or man -l ${install.prefix}/lib/node_modules/runit-ts/node_modules/@runit-ts/\\S+\\.8\\n$`));
    }
  });

  it('installs a man page for every command where man finds it', () => {
    const manpath = join(install.prefix, 'share/man');
    for (const [command, pkg] of Object.entries(COMMANDS)) {
      // man -w names the page's real file: the link npm made in man8/ leads into the package.
      const page = realpathSync(join(manpath, 'man8', `${command}.8`));
      expect(page.endsWith(`/node_modules/@runit-ts/${pkg}/man/${command}.8`)).toBe(true);
      // A personality's page is a .so link to chpst's, which man follows.
      const shown = PERSONALITIES.includes(command) ? page.replace(/[^/]+\.8$/, 'chpst.8') : page;
      expect(shell(`man -w ${command}`, { MANPATH: manpath }).stdout).toBe(`${shown}\n`);
    }
    const sv = shell('man 8 sv | col -b', { MANPATH: manpath, MANWIDTH: '80' });
    expect(sv.stdout).toContain('sv - controls and reports on services supervised by runsv');
    expect(shell('man envdir | col -b', { MANPATH: manpath, MANWIDTH: '80' }).stdout).toContain('chpst - runs a program with a changed process state');
  });

  it('boots runit as PID 1 over two services logged by svlogd; sv controls them; runit-init 0 halts', async () => {
    const etc = join(dir, 'etc-runit');
    const svdir = join(dir, 'service');
    for (const name of ['a', 'b']) {
      mkdirSync(join(svdir, name, 'log'), { recursive: true });
      writeFileSync(join(svdir, name, 'run'), `#!/bin/sh\nexec 2>&1\necho "${name}: started"\nexec sleep 100000\n`, { mode: 0o755 });
      writeFileSync(join(svdir, name, 'log', 'run'), '#!/bin/sh\nmkdir -p main\nexec svlogd -t main\n', { mode: 0o755 });
    }
    mkdirSync(etc);
    const stage = (body: string) => `#!/bin/sh\nPATH=${systemPath(install.bin)}\n${body}\n`;
    writeFileSync(join(etc, '1'), stage('exit 0'), { mode: 0o755 });
    writeFileSync(join(etc, '2'), stage(`exec env - PATH=$PATH runsvdir -P ${svdir}`), { mode: 0o755 });
    writeFileSync(join(etc, '3'), stage(`sv -w 60 force-stop ${svdir}/*\nsv exit ${svdir}/*`), { mode: 0o755 });
    writeFileSync(join(etc, 'nosync'), '');
    const ns = new BootedNamespace(cleanup, dir, { binds: [[etc, '/etc/runit']], command: ['runit'], env: { PATH: env.PATH! } });

    const log = (name: string) => textOnceCreated(join(svdir, name, 'log', 'main', 'current'));
    await waitFor(() => log('a').includes('a: started') && log('b').includes('b: started'), 'both services to log', 120_000);
    expect(log('a')).toMatch(/^@4000[0-9a-f]{20} a: started\n$/);

    const sv = (...args: string[]) => runCommand('sv', args, { cwd: dir, env: { ...env, SVDIR: svdir } });
    const running = /^run: (a|b): \(pid \d+\) \d+s; run: log: \(pid \d+\) \d+s$/;
    const status = sv('status', 'a', 'b');
    expect(status.code).toBe(0);
    expect(status.stdout.trimEnd().split('\n').map((line) => running.test(line))).toEqual([true, true]);
    // the loggers are handed to the service host, and the installed package's runit-ts-fdholder (a
    // program shipped beside the addon) holds their pipes
    const holder = await waitFor(() => processRunning(realpathSync(dir), 'runit-ts-fdholder'), 'runit-ts-fdholder from the installation', 30_000);
    expect(readFileSync(`/proc/${holder}/cmdline`, 'latin1')).toBe('runit-ts-fdholder\x0060\x00');

    expect(sv('-v', 'down', 'a').stdout).toMatch(/^ok: down: a: \d+s, normally up\n$/);
    expect(sv('-v', 'up', 'a').stdout).toMatch(/^ok: run: a: \(pid \d+\) \d+s\n$/);
    const pidOf = (name: string) => Number(readFileSync(join(svdir, name, 'supervise', 'pid'), 'utf8'));
    const before = pidOf('b');
    expect(sv('-v', 'restart', 'b').stdout).toMatch(/^ok: run: b: \(pid \d+\) \d+s\n$/);
    expect(pidOf('b')).not.toBe(before);
    await waitFor(() => log('b').split('b: started').length === 3, 'b to log its second start', 60_000);

    await ns.runitInit('0', env);
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(runitLines(ns.console.lines())).toEqual(POWERED_OFF);
  });
});
