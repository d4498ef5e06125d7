// The utmp record codec: glibc's x86-64 offsets and utmpset's two edits.
import { describe, expect, it } from 'vitest';
import { DEAD_PROCESS, UTMP_FIELD, UTMP_RECORD_SIZE, hasUser, lineMatches, logoutRecord, markLoggedOut } from '../src/utmp-record.js';

function record(fields: { line?: string; id?: string; user?: string; host?: string; usec?: number }): Uint8Array {
  const bytes = new Uint8Array(UTMP_RECORD_SIZE).fill(0x5a);
  const put = (field: { offset: number; size: number }, text = '') => {
    bytes.fill(0, field.offset, field.offset + field.size);
    bytes.set(Buffer.from(text).subarray(0, field.size), field.offset);
  };
  put(UTMP_FIELD.line, fields.line);
  put(UTMP_FIELD.id, fields.id);
  put(UTMP_FIELD.user, fields.user);
  put(UTMP_FIELD.host, fields.host);
  new DataView(bytes.buffer).setInt32(UTMP_FIELD.microseconds.offset, fields.usec ?? 777, true);
  return bytes;
}

describe('utmp record', () => {
  it('matches the line as a C string', () => {
    expect(lineMatches(record({ line: 'tty1' }), Buffer.from('tty1'))).toBe(true);
    expect(lineMatches(record({ line: 'tty1' }), Buffer.from('tty'))).toBe(false);
    expect(lineMatches(record({ line: 'tty' }), Buffer.from('tty1'))).toBe(false);
  });

  it('lets a 32-byte line run on into ut_id, as runit compares it', () => {
    const full = 'abcdefghijklmnopqrstuvwxyz012345';
    expect(lineMatches(record({ line: full, id: '' }), Buffer.from(full))).toBe(true);
    expect(lineMatches(record({ line: full, id: 'ZZ' }), Buffer.from(full))).toBe(false);
    expect(lineMatches(record({ line: full, id: '6' }), Buffer.from(`${full}6`))).toBe(true);
  });

  it('marks a record logged out: user and host cleared, seconds set, microseconds kept', () => {
    const bytes = record({ line: 'tty1', user: 'alice', host: 'somewhere', usec: 777 });
    expect(hasUser(bytes)).toBe(true);
    markLoggedOut(bytes, 1_700_000_000.9);
    const view = new DataView(bytes.buffer);
    expect(hasUser(bytes)).toBe(false);
    expect(bytes.subarray(UTMP_FIELD.host.offset, UTMP_FIELD.host.offset + 256).every((byte) => byte === 0)).toBe(true);
    expect(view.getInt16(0, true)).toBe(DEAD_PROCESS);
    expect(view.getUint32(UTMP_FIELD.seconds.offset, true)).toBe(1_700_000_000);
    expect(view.getInt32(UTMP_FIELD.microseconds.offset, true)).toBe(777);
    expect(Buffer.from(bytes.subarray(UTMP_FIELD.line.offset, UTMP_FIELD.line.offset + 4)).toString()).toBe('tty1');
  });

  it('builds the wtmp logout record, for lines up to 32 bytes only', () => {
    const bytes = logoutRecord(Buffer.from('tty7'), 1234);
    const view = new DataView(bytes.buffer);
    expect(view.getInt16(0, true)).toBe(DEAD_PROCESS);
    expect(view.getUint32(UTMP_FIELD.seconds.offset, true)).toBe(1234);
    expect(Buffer.from(bytes.subarray(8, 13))).toEqual(Buffer.from('tty7\0'));
    expect(() => logoutRecord(Buffer.from('x'.repeat(33)), 0)).toThrow(RangeError);
    const exact = logoutRecord(Buffer.from('y'.repeat(32)), 0);
    expect(Buffer.from(exact.subarray(8, 40)).toString()).toBe('y'.repeat(32));
  });
});
