// Where runit's control files live: /etc/runit, or RUNIT_TS_ETC when set (documented, for tests and
// unusual layouts); /dev/console is fixed, as in runit.
import { join } from 'node:path';

export const DEFAULT_ETC = '/etc/runit';
export const CONSOLE = '/dev/console';

export interface RunitPaths {
  /** /etc/runit/1, /etc/runit/2, /etc/runit/3. */
  stages: readonly [string, string, string];
  stopit: string;
  reboot: string;
  ctrlaltdel: string;
  nosync: string;
  /** runit-ts only: exists to turn container mode on (docs/commands/runit.md#container-mode). */
  container: string;
}

/** The control files under `etc`; by default $RUNIT_TS_ETC, else /etc/runit. */
export function runitPaths(etc: string = etcDir()): RunitPaths {
  return {
    stages: [join(etc, '1'), join(etc, '2'), join(etc, '3')],
    stopit: join(etc, 'stopit'),
    reboot: join(etc, 'reboot'),
    ctrlaltdel: join(etc, 'ctrlaltdel'),
    nosync: join(etc, 'nosync'),
    container: join(etc, 'container'),
  };
}

export function etcDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.RUNIT_TS_ETC;
  return dir !== undefined && dir !== '' ? dir : DEFAULT_ETC;
}
