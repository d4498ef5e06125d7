// supervise/extra.json: the codec, and when a service counts as ready.
import { describe, expect, it } from 'vitest';
import { decodeExtraStatus, encodeExtraStatus, isReady, type ExtraStatus } from '../src/index.js';

const extra: ExtraStatus = {
  supervisor: 100,
  pid: 200,
  readiness: ['notification-fd'],
  ready: true,
  readySince: 1_700_000_000_123,
  restarts: 3,
  lastExit: { signal: 'SIGKILL' },
  failed: null,
  needs: [],
};

describe('extra status', () => {
  it('is one JSON line, and decodes to what was encoded', () => {
    const text = encodeExtraStatus(extra);
    expect(text).toBe(
      '{"supervisor":100,"pid":200,"readiness":["notification-fd"],"ready":true,"readySince":1700000000123,"restarts":3,"lastExit":{"signal":"SIGKILL"},"failed":null,"needs":[]}\n',
    );
    expect(decodeExtraStatus(text)).toEqual(extra);
    const failed = { ...extra, pid: 0, ready: false, readySince: null, lastExit: { code: 1 }, failed: { reason: 'death-tally', since: 5 }, needs: ['db'] } as const;
    expect(decodeExtraStatus(encodeExtraStatus(failed))).toEqual(failed);
  });

  it('refuses what is not such a record', () => {
    for (const text of ['', '{', 'null', '[]', '{"supervisor":1}', encodeExtraStatus(extra).replace('"ready":true', '"ready":1'), encodeExtraStatus(extra).replace('notification-fd', 'pipe'), encodeExtraStatus(extra).replace('{"signal":"SIGKILL"}', '{"code":-1}'), encodeExtraStatus({ ...extra, failed: { reason: 'death-tally', since: 1 } }).replace('death-tally', 'bored')]) {
      expect(decodeExtraStatus(text), text).toBeUndefined();
    }
  });

  it('ready: up and, where ./run reports readiness, said so; else as soon as it is up', () => {
    const up = { pid: 200, state: 'run' };
    expect(isReady(up, extra)).toBe(true);
    expect(isReady(up, { ...extra, ready: false })).toBe(false);
    expect(isReady({ pid: 0, state: 'down' }, { ...extra, pid: 0 })).toBe(false);
    expect(isReady({ pid: 200, state: 'finish' }, extra)).toBe(false);
    expect(isReady(up, undefined)).toBe(true); // no extra status: runit's runsv, or a plain service
    expect(isReady(up, { ...extra, ready: false, readiness: [] })).toBe(true); // no readiness: up is ready
    expect(isReady(up, { ...extra, ready: false, pid: 199 })).toBe(true); // written for another child: stale
  });
});
