// The binary utmp/wtmp record in glibc's x86-64 layout (struct utmp, 384 bytes) and the two
// changes utmpset makes to it. Pure byte work, no I/O.

export const UTMP_RECORD_SIZE = 384;
/** ut_type value of a record whose session has ended. */
export const DEAD_PROCESS = 8;

/** Byte offsets of the fields utmpset reads or writes. */
export const UTMP_FIELD = {
  type: { offset: 0, size: 2 },
  pid: { offset: 4, size: 4 },
  line: { offset: 8, size: 32 },
  id: { offset: 40, size: 4 },
  user: { offset: 44, size: 32 },
  host: { offset: 76, size: 256 },
  seconds: { offset: 340, size: 4 },
  microseconds: { offset: 344, size: 4 },
} as const;

/** ut_tv.tv_sec is 32 bits wide on x86-64 (for 32-bit compatibility): the low half of time(). */
const toRecordSeconds = (unixSeconds: number): number => Math.floor(unixSeconds) >>> 0;

/**
 * Whether record's ut_line names `line`, compared as C strings the way runit does (2.1.2 to 2.3.0):
 * a line that fills all 32 bytes has no NUL of its own and runs on into ut_id.
 */
export function lineMatches(record: Uint8Array, line: Uint8Array): boolean {
  const start = UTMP_FIELD.line.offset;
  for (let i = 0; ; i++) {
    const ours = start + i < record.length ? record[start + i]! : 0;
    const theirs = i < line.length ? line[i]! : 0;
    if (ours !== theirs) return false;
    if (ours === 0) return true;
  }
}

/** A logged-in session: its ut_user is not empty. */
export const hasUser = (record: Uint8Array): boolean => record[UTMP_FIELD.user.offset] !== 0;

/** In place: user and host cleared, time set (microseconds kept), type DEAD_PROCESS. */
export function markLoggedOut(record: Uint8Array, unixSeconds: number): void {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  record.fill(0, UTMP_FIELD.user.offset, UTMP_FIELD.user.offset + UTMP_FIELD.user.size);
  record.fill(0, UTMP_FIELD.host.offset, UTMP_FIELD.host.offset + UTMP_FIELD.host.size);
  view.setUint32(UTMP_FIELD.seconds.offset, toRecordSeconds(unixSeconds), true);
  view.setInt16(UTMP_FIELD.type.offset, DEAD_PROCESS, true);
}

/**
 * The wtmp record runit appends at logout: all zero but for the line, the time and DEAD_PROCESS.
 * The line fits the field: utmpset refuses a longer one first (runit 2.3.0).
 */
export function logoutRecord(line: Uint8Array, unixSeconds: number): Uint8Array {
  if (line.length > UTMP_FIELD.line.size) throw new RangeError(`a utmp line holds ${UTMP_FIELD.line.size} bytes, got ${line.length}`);
  const record = new Uint8Array(UTMP_RECORD_SIZE);
  record.set(line, UTMP_FIELD.line.offset);
  const view = new DataView(record.buffer);
  view.setUint32(UTMP_FIELD.seconds.offset, toRecordSeconds(unixSeconds), true);
  view.setInt16(UTMP_FIELD.type.offset, DEAD_PROCESS, true);
  return record;
}
