// runit's number scanning and account notations.
import { describe, expect, it } from 'vitest';
import { lookupAccount, lookupUserGroups, parseNumericIds } from '../src/accounts.js';
import { asInt32, asLong, scanUnsigned, wholeUnsigned } from '../src/scan.js';

describe('scanUnsigned / wholeUnsigned', () => {
  it('reads leading digits and wraps like a 64-bit unsigned long', () => {
    expect(scanUnsigned('123abc')).toEqual({ value: 123n, length: 3 });
    expect(scanUnsigned('x')).toEqual({ value: 0n, length: 0 });
    expect(wholeUnsigned('18446744073709551616')).toBe(0n);
    expect(asLong(wholeUnsigned('18446744073709551615')!)).toBe(-1n);
    expect(asInt32(4294967301n)).toBe(5);
  });

  it('accepts only digits, and the empty text as 0', () => {
    expect(wholeUnsigned('')).toBe(0n);
    expect(wholeUnsigned('12x')).toBeUndefined();
    expect(wholeUnsigned('-1')).toBeUndefined();
    expect(wholeUnsigned(' 1')).toBeUndefined();
  });
});

describe('account notations', () => {
  it('numeric :uid:gid[:gid...] needs no look-up', () => {
    expect(parseNumericIds('1000:100:5')).toEqual({ ok: true, account: { uid: 1000, gids: [100, 5] } });
    expect(parseNumericIds('12:')).toEqual({ ok: true, account: { uid: 12, gids: [0] } });
    expect(parseNumericIds('4294967297:1')).toEqual({ ok: true, account: { uid: 1, gids: [1] } });
    expect(parseNumericIds('12')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseNumericIds('12:x')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('takes at most 60 numeric groups', () => {
    const sixty = Array.from({ length: 60 }, (_, i) => i + 1);
    expect(parseNumericIds(`7:${sixty.join(':')}`)).toEqual({ ok: true, account: { uid: 7, gids: sixty } });
    expect(parseNumericIds(`7:${sixty.join(':')}:`)).toEqual({ ok: true, account: { uid: 7, gids: sixty } });
    expect(parseNumericIds(`7:${sixty.join(':')}:61`)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('looks names up in /etc/passwd and /etc/group', () => {
    expect(lookupAccount('root')).toEqual({ ok: true, account: { uid: 0, gids: [0] } });
    expect(lookupUserGroups('root:root')).toEqual({ ok: true, account: { uid: 0, gids: [0] } });
    expect(lookupUserGroups(':0:0')).toEqual({ ok: true, account: { uid: 0, gids: [0] } });
    expect(lookupAccount('root:root')).toEqual({ ok: false, reason: 'unknown' });
    expect(lookupUserGroups('no-such-user-here')).toEqual({ ok: false, reason: 'unknown' });
    expect(lookupUserGroups('root:no-such-group-here')).toEqual({ ok: false, reason: 'unknown' });
    expect(lookupUserGroups('')).toEqual({ ok: false, reason: 'unknown' });
  });
});
