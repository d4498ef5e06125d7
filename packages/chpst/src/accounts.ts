// User and group look-ups as chpst makes them: /etc/passwd and /etc/group read directly (no NSS),
// and runit's three account notations: `user`, `[:]user[:group...]` and numeric `:uid:gid[:gid...]`.
import { readFileSync } from 'node:fs';
import { asUint32, scanUnsigned } from './scan.js';

export interface Account {
  uid: number;
  /** The first is the primary group (setgid); all of them become the supplementary groups. */
  gids: number[];
}

export type AccountLookup =
  | { ok: true; account: Account }
  /** `unknown`: no such user or group; `invalid`: a malformed numeric `:uid:gid`; `error`: a file was unreadable. */
  | { ok: false; reason: 'unknown' | 'invalid' | 'error'; error?: unknown };

/** runit takes at most this many groups from an account spec. */
const MAX_GROUPS = 60;

export const PASSWD_FILE = '/etc/passwd';
export const GROUP_FILE = '/etc/group';

class AccountFileError extends Error {
  constructor(readonly failure: unknown) {
    super('account file unreadable');
  }
}

/** The lines of a colon-separated database (comments and blank lines skipped), split into fields. */
function readDatabase(file: string): string[][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AccountFileError(error);
  }
  const entries: string[][] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trimStart();
    if (line !== '' && !line.startsWith('#')) entries.push(line.split(':'));
  }
  return entries;
}

const isId = (field: string | undefined): field is string => field !== undefined && /^[0-9]+$/.test(field);

function userIds(name: string): { uid: number; gid: number } | undefined {
  if (name === '') return undefined;
  const entry = readDatabase(PASSWD_FILE).find((fields) => fields[0] === name && isId(fields[2]) && isId(fields[3]));
  return entry && { uid: Number(entry[2]), gid: Number(entry[3]) };
}

function groupIds(names: string[]): number[] | undefined {
  const groups = readDatabase(GROUP_FILE);
  const gids: number[] = [];
  for (const name of names) {
    const entry = name === '' ? undefined : groups.find((fields) => fields[0] === name && isId(fields[2]));
    if (!entry) return undefined;
    gids.push(Number(entry[2]));
  }
  return gids;
}

function guarded(lookup: () => AccountLookup): AccountLookup {
  try {
    return lookup();
  } catch (error) {
    if (error instanceof AccountFileError) return { ok: false, reason: 'error', error: error.failure };
    throw error;
  }
}

/** `user`: the account's uid and its primary group only (what setuidgid and envuidgid use). */
export function lookupAccount(name: string): AccountLookup {
  return guarded(() => {
    const ids = userIds(name);
    return ids ? { ok: true, account: { uid: ids.uid, gids: [ids.gid] } } : { ok: false, reason: 'unknown' };
  });
}

/** `:uid:gid[:gid...]`, given without its leading colon: numbers only, no look-up at all. */
export function parseNumericIds(spec: string): AccountLookup {
  const uid = scanUnsigned(spec);
  let at = uid.length;
  if (spec[at] !== ':') return { ok: false, reason: 'invalid' };
  at++;
  const gids: number[] = [];
  // An empty number counts as 0 and a trailing colon is allowed, exactly as runit scans them.
  for (let i = 0; i < MAX_GROUPS; i++) {
    const gid = scanUnsigned(spec, at);
    gids.push(asUint32(gid.value));
    at += gid.length;
    if (spec[at] !== ':') break;
    at++;
  }
  if (at < spec.length) return { ok: false, reason: 'invalid' };
  return { ok: true, account: { uid: asUint32(uid.value), gids } };
}

/** chpst -u/-U: `:uid:gid...`, or `user[:group[:group...]]` looked up by name. */
export function lookupUserGroups(spec: string): AccountLookup {
  if (spec.startsWith(':')) return parseNumericIds(spec.slice(1));
  return guarded(() => {
    const colon = spec.indexOf(':');
    const ids = userIds(colon < 0 ? spec : spec.slice(0, colon));
    if (!ids) return { ok: false, reason: 'unknown' };
    if (colon < 0) return { ok: true, account: { uid: ids.uid, gids: [ids.gid] } };
    // Groups past the 60th are ignored, as runit ignores them.
    const gids = groupIds(spec.slice(colon + 1).split(':').slice(0, MAX_GROUPS));
    if (!gids) return { ok: false, reason: 'unknown' };
    return { ok: true, account: { uid: ids.uid, gids } };
  });
}
