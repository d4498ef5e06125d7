// A service tree no one here wrote: Debian's runit-services, set up as Debian's runit sets it up (cpsv
// links log/run of each service marked .meta/logscript to the runit package's shared
// /etc/sv/svlogd/run, which ends in `exec chpst -u LOGUSER svlogd -tt -b 2048 LOGDIR`). The daemons
// are not installed here, so each ./run is a stand-in; every log/run is Debian's, unmodified, with a
// log/conf (which that script reads) pointing LOGDIR into the test's dir and LOGUSER at nobody.
// Under our runsvdir with RUNIT_TS_HOSTED_SVLOGD=on every one of those loggers is hosted.
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanup, commandForNobody, NOBODY, nodeDirForNobody, referenceDir, requireRoot, textOnceCreated, waitFor } from '@runit-ts/test-support';
import { procInfo } from './support/procfs.js';
import { startRunsvdir, sv } from './support/runsvdir-run.js';
import { supervisedPid } from './support/services.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const SVLOGD = fileURLToPath(new URL('../../logger/bin/svlogd', import.meta.url));
const CHPST_BIN = fileURLToPath(new URL('../../chpst/bin', import.meta.url));

/** runit-services' tree and the runit package's shared log/run, as fetched by tools/reference/fetch.sh. */
function debianTree(): { services: string; sharedLogRun: string } {
  const services = join(referenceDir(), 'usr', 'share', 'runit', 'sv');
  const sharedLogRun = join(referenceDir(), 'etc', 'sv', 'svlogd', 'run');
  for (const path of [services, sharedLogRun]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: tools/reference/fetch.sh unpacks runit and runit-services there`);
  }
  return { services, sharedLogRun };
}

describe('Debian’s runit-services tree under our runsvdir', () => {
  it('hosts every logger Debian’s shared log/run starts (chpst -u to the log user, svlogd -tt -b 2048), files the log user’s (root)', async () => {
    requireRoot();
    const { services, sharedLogRun } = debianTree();
    const logged = readdirSync(services).filter((name) => existsSync(join(services, name, '.meta', 'logscript')));
    expect(logged.length).toBeGreaterThan(10);
    const base = cleanup.tempDir('debian-runit-services-');
    chmodSync(base, 0o755); // the log user must reach its log dirs
    const svdir = join(base, 'service');
    const logRoot = join(base, 'var', 'log', 'runit');
    mkdirSync(logRoot, { recursive: true });
    for (const name of logged) {
      const dir = join(svdir, name);
      mkdirSync(join(dir, 'log'), { recursive: true });
      cpSync(join(services, name, '.meta'), join(dir, '.meta'), { recursive: true });
      writeFileSync(join(dir, 'run'), `#!/bin/sh\nexec 2>&1\necho "stand-in for $(cat .meta/bin)"\nexec sleep 1000\n`, { mode: 0o755 });
      // as cpsv sets it up, and the conf the shared script reads from log/
      symlinkSync(sharedLogRun, join(dir, 'log', 'run'));
      writeFileSync(join(dir, 'log', 'conf'), `LOGDIR=${logRoot}/${name}\nLOGUSER=nobody\n`);
    }
    const svlogd = commandForNobody(cleanup, SVLOGD);
    const path = [dirname(svlogd), CHPST_BIN, nodeDirForNobody(cleanup), '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':');
    startRunsvdir(cleanup, [svdir], { dirs: [base], env: { RUNIT_TS_HOSTED_SVLOGD: 'on', PATH: path } });

    for (const name of logged) {
      const dir = join(svdir, name);
      const bin = readFileSync(join(dir, '.meta', 'bin'), 'utf8').trim();
      const current = join(logRoot, name, 'current');
      await waitFor(() => textOnceCreated(current).endsWith(` stand-in for ${bin}\n`), `${name} logged`, 60_000);
      expect(textOnceCreated(current)).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d_\\d\\d:\\d\\d:\\d\\d\\.\\d{5} stand-in for ${bin}\\n$`));
      // log/run handed its dirs to the host and exited: its pid is kept unreaped, no svlogd process
      const logPid = await waitFor(() => supervisedPid(join(dir, 'log')) || undefined, `${name}'s log pid`);
      expect(procInfo(logPid)?.state).toBe('Z');
      expect(sv(['status', dir]).stdout).toMatch(new RegExp(`^run: ${dir}: \\(pid \\d+\\) \\d+s; run: log: \\(pid ${logPid}\\) \\d+s\\n$`));
      // what the script did before its exec happened as under runit: the dir, its .pkg, the owner
      expect(readFileSync(join(logRoot, name, '.pkg'), 'utf8')).toBe(readFileSync(join(dir, '.meta', 'pkg'), 'utf8'));
      expect(statSync(join(logRoot, name)).mode & 0o777).toBe(0o750);
      for (const file of ['.', 'current', 'lock']) expect([name, file, statSync(join(logRoot, name, file)).uid]).toEqual([name, file, NOBODY]);
    }
  });
});
