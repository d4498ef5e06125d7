// docs/init-in-containers.md as a reader follows it: every file it says to create, byte for byte, and
// its commands, run as written with runit-ts installed from the registry. The container recipe: the
// Dockerfile's steps in a PID + mount namespace whose /usr/local, /etc/runit and /etc/service are
// the image's, then its ENTRYPOINT as PID 1 until `docker stop` (its STOPSIGNAL, SIGTERM unless the
// Dockerfile names another) ends it in container mode, with exit code 0.
// The /sbin/init recipe: its install commands, then /sbin/init as the kernel starts it, until
// `runit-init 0`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Cleanup, requireRoot, runCommand, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { BootedNamespace } from './support/namespace.js';
import { Npm } from './support/npm.js';
import { SYSTEM_DIRS } from './support/paths.js';
import { type DockerStep, parseDockerfile, readRecipes, type RecipeFile } from './support/recipes.js';
import { CONTAINER_STOPPED, POWERED_OFF, runitLines } from './support/transcript.js';

const cleanup = new Cleanup();
afterAll(() => cleanup.run());

const recipes = readRecipes();
const dockerfileText = recipes.files.find((file) => file.path === 'Dockerfile')?.text ?? '';
const dockerfile = parseDockerfile(dockerfileText);
const imageFiles = recipes.files.filter((file) => file.path.startsWith('/'));
// PATH in Node's images (and Docker's default), handed to the entrypoint.
const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';


/** The directories the recipes' files live in, each a host dir bound over its place. */
function imageRoot(dir: string, extra: string[] = []): Array<[string, string]> {
  if (dirname(process.execPath).startsWith('/usr/local')) throw new Error('the recipes test binds over /usr/local, where this node lives');
  return ['/etc/runit', '/etc/service', '/usr/local', ...extra].map((point) => {
    const host = join(dir, 'root', point);
    mkdirSync(host, { recursive: true });
    return [host, point];
  });
}

/** npm as the image's or the machine's: global packages in /usr/local, from our registry. */
function npmEnvironment(dir: string): NodeJS.ProcessEnv {
  const npm = new Npm(join(dir, 'npm'), inject('registry').npmrc);
  return { ...npm.env, PATH: IMAGE_PATH, HOME: '/root', npm_config_prefix: '/usr/local' };
}

function writeFile(path: string, file: RecipeFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.text, { mode: file.mode });
}

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** A Dockerfile step as the shell command that does it inside the namespace. */
function buildStep(step: DockerStep, context: string): string {
  if (step.kind === 'run') return step.command;
  return `mkdir -p ${quote(step.to)} && cp -a ${quote(join(context, step.from))}/. ${quote(step.to)}`;
}


describe('docs/init-in-containers.md', () => {
  it('marks every file it has a reader create; each script starts with its #! line', () => {
    expect(recipes.files.map((file) => file.path).sort()).toEqual(
      ['/etc/runit/1', '/etc/runit/2', '/etc/runit/3', '/etc/service/hello/log/run', '/etc/service/hello/run', 'Dockerfile'].sort(),
    );
    for (const file of imageFiles) expect({ path: file.path, start: file.text.slice(0, 2) }).toEqual({ path: file.path, start: '#!' });
    expect(dockerfile.from).toMatch(/^node:20/);
    expect(dockerfile.steps).toContainEqual({ kind: 'run', command: 'npm i -g runit-ts' });
    expect(recipes.commands.get('/sbin/init')?.[0]).toBe('npm i -g runit-ts');
  });

  it('container: the Dockerfile built as written, its ENTRYPOINT as PID 1, stopped by docker stop', async () => {
    requireRoot();
    const dir = cleanup.tempDir('recipe-container-');
    // The build context: each file where a COPY takes it from.
    const context = join(dir, 'context');
    for (const file of imageFiles) {
      const copy = dockerfile.steps.find((step) => step.kind === 'copy' && file.path.startsWith(step.to));
      if (copy?.kind !== 'copy') throw new Error(`the Dockerfile copies nothing to ${file.path}`);
      writeFile(join(context, copy.from, file.path.slice(copy.to.length)), file);
    }
    const ns = new BootedNamespace(cleanup, dir, {
      binds: imageRoot(dir),
      before: dockerfile.steps.map((step) => buildStep(step, context)),
      beforeEnv: npmEnvironment(dir),
      command: dockerfile.entrypoint,
      env: { PATH: IMAGE_PATH, HOME: '/root', HOSTNAME: 'runit-ts-recipe', ...dockerfile.env },
    });

    const current = join(dir, 'root/etc/service/hello/log/main/current');
    await waitFor(() => textOnceCreated(current).includes('hello: up'), 'the hello service to log', 180_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- console:\n${ns.console.text}\n--- output:\n${ns.output}`);
    });
    expect(textOnceCreated(current)).toMatch(/^\d{4}-\d\d-\d\d_\d\d:\d\d:\d\d\.\d{5} hello: up\n$/);
    const status = await ns.exec(['sv', 'status', 'hello'], { PATH: IMAGE_PATH, SVDIR: '/etc/service' });
    expect(status).toMatch(/^run: hello: \(pid \d+\) \d+s; run: log: \(pid \d+\) \d+s\n$/);

    process.kill(await ns.initPid(), dockerfile.stopSignal); // docker stop
    // container mode: PID 1 exits with the container's code instead of powering off
    expect(await ns.end()).toEqual({ code: 0, signal: null });
    expect(runitLines(ns.console.lines())).toEqual(CONTAINER_STOPPED);
  });

  it('/sbin/init: installed as written, booted as the kernel starts init, halted by runit-init 0', async () => {
    requireRoot();
    const dir = cleanup.tempDir('recipe-sbin-init-');
    const binds = imageRoot(dir, ['/sbin']);
    for (const file of imageFiles) writeFile(join(dir, 'root', file.path), file);
    const ns = new BootedNamespace(cleanup, dir, {
      binds,
      before: recipes.commands.get('/sbin/init'),
      beforeEnv: npmEnvironment(dir),
      command: ['/sbin/init'],
      // What the kernel gives init: no PATH.
      env: { HOME: '/', TERM: 'linux' },
    });

    const current = join(dir, 'root/etc/service/hello/log/main/current');
    await waitFor(() => textOnceCreated(current).includes('hello: up'), 'the hello service to log', 180_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- console:\n${ns.console.text}\n--- output:\n${ns.output}`);
    });
    expect(runCommand('readlink', [join(dir, 'root/sbin/init')]).stdout).toBe('/usr/local/bin/runit-init\n');

    await ns.runitInit('0', { PATH: SYSTEM_DIRS.join(':') });
    expect(await ns.end()).toEqual({ code: null, signal: 'SIGINT' });
    expect(runitLines(ns.console.lines())).toEqual(POWERED_OFF);
  });
});
