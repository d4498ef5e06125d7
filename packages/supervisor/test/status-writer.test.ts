// The status writer with the state table, no processes or files: what is written, in what order,
// with or without the pid file (runsv's one "pid changed" flag), and the write held for a start.
import { describe, expect, it } from 'vitest';
import type { Tai64n } from '@runit-ts/protocol';
import { childExited, dispatch, type ChildPort, type Effects } from '../src/service-machine.js';
import { newRecord, type ServiceRecord, type Which } from '../src/service-record.js';
import type { StatusRecord } from '../src/status-files.js';
import { StatusWriter } from '../src/status-writer.js';

const STAMP: Tai64n = { seconds: 1_000, nanoseconds: 500 };
const LATER: Tai64n = { seconds: 2_000, nanoseconds: 500 };

/** What reached "disk": `<which> <state> pid=<pid>` and `+pid` when the pid file was written too. */
class Disk {
  readonly events: string[] = [];
  failPid = false;

  write = (which: Which, status: StatusRecord, pidChanged: boolean): boolean => {
    if (pidChanged && this.failPid) {
      this.events.push(`${which} pid file failed`);
      return false;
    }
    this.events.push(`${which} ${status.state} pid=${status.pid}${pidChanged ? ' +pid' : ''}`);
    return true;
  };
}

function setUp(): { disk: Disk; writer: StatusWriter; fx: Effects; views: string[]; nextPid: { value: number } } {
  const disk = new Disk();
  const views: string[] = [];
  const writer = new StatusWriter(
    disk.write,
    (which, view) => views.push(`${which} ${view.state} ${view.pid}`),
    (record) => record.extra.tracked && disk.events.push(`extra.json pid=${record.pid}`),
  );
  const nextPid = { value: 43 };
  const children: ChildPort = {
    spawn: () => (disk.events.push('spawn'), nextPid.value),
    kill: () => undefined,
    hasHandler: () => false,
    runHandler: () => false,
    finishReadable: () => false,
  };
  const clock = { stamp: () => LATER, now: () => 0, epochMs: () => 0 };
  return { disk, writer, views, nextPid, fx: { status: writer, children, starts: { prepare: () => [] }, clock, warn: () => undefined } };
}

const service = (fields: Partial<ServiceRecord> = {}): ServiceRecord => Object.assign(newRecord('service', 'up', STAMP), fields);

describe('StatusWriter', () => {
  it('a restart: the new child first, then down with an empty pid file, then run with the new pid', () => {
    const { disk, writer, fx, views } = setUp();
    const s = service({ state: 'run', pid: 42 });
    writer.write(s);
    childExited(s, fx, 9);
    expect(disk.events).toEqual(['service run pid=42 +pid']); // down is held
    dispatch(s, fx, 'start');
    expect(disk.events).toEqual(['service run pid=42 +pid', 'spawn', 'service down pid=0 +pid', 'service run pid=43 +pid']);
    expect(views).toEqual(['service run 42', 'service down 0', 'service run 43']);
  });

  it('extra.json (a service that opted in): before a status with a pid, after one without, not with a held write', () => {
    const { disk, writer, fx } = setUp();
    const s = service({ state: 'run', pid: 42 });
    s.extra.tracked = true;
    writer.write(s);
    childExited(s, fx, 9);
    dispatch(s, fx, 'start');
    s.want = 'down';
    s.pid = 0;
    s.state = 'down';
    writer.write(s);
    writer.write(newRecord('log', 'up', STAMP));
    expect(disk.events).toEqual([
      'extra.json pid=42',
      'service run pid=42 +pid',
      'spawn',
      'service down pid=0 +pid',
      'extra.json pid=43',
      'service run pid=43 +pid',
      'service down pid=0 +pid',
      'extra.json pid=0',
      'log down pid=0',
    ]);
  });

  it('a held write is made before the next write of its record, and at a flush', () => {
    const { disk, writer } = setUp();
    const s = service();
    writer.hold(s);
    expect(disk.events).toEqual([]);
    s.want = 'down';
    writer.write(s);
    expect(disk.events).toEqual(['service down pid=0 +pid', 'service down pid=0']);
    writer.hold(s);
    writer.flush();
    writer.flush();
    expect(disk.events).toHaveLength(3);
  });

  it('the service\'s first write writes its pid file; the log\'s does not, as runsv\'s one flag is used up', () => {
    const { disk, writer } = setUp();
    writer.write(service());
    writer.write(newRecord('log', 'up', STAMP));
    expect(disk.events).toEqual(['service down pid=0 +pid', 'log down pid=0']);
  });

  it('the pid file is written only when a pid changed since the last write', () => {
    const { disk, writer } = setUp();
    const s = service();
    writer.write(s);
    s.paused = true;
    writer.write(s);
    s.pid = 7;
    writer.write(s);
    expect(disk.events).toEqual(['service down pid=0 +pid', 'service down pid=0', 'service down pid=7 +pid']);
  });

  it('a pid file that could not be written is written at the next write, of either record (runsv)', () => {
    const { disk, writer } = setUp();
    writer.write(service()); // uses up the flag
    disk.failPid = true;
    writer.write(service({ pid: 5 }));
    disk.failPid = false;
    writer.write(newRecord('log', 'up', STAMP));
    expect(disk.events).toEqual(['service down pid=0 +pid', 'service pid file failed', 'log down pid=0 +pid']);
  });

  it('a held write keeps its pid file even when another record\'s write comes between', () => {
    const { disk, writer } = setUp();
    const s = service({ state: 'run', pid: 42 });
    const log = newRecord('log', 'up', STAMP);
    writer.write(s);
    writer.write(log);
    s.pid = 0;
    s.state = 'down';
    writer.hold(s);
    writer.write(log);
    writer.flush(s);
    expect(disk.events).toEqual(['service run pid=42 +pid', 'log down pid=0', 'log down pid=0 +pid', 'service down pid=0 +pid']);
  });
});
