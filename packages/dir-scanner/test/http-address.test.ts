// RUNIT_TS_HTTP's values, and which Host headers an endpoint on loopback answers.
import { describe, expect, it } from 'vitest';
import { isLoopback, parseHttpAddress, withoutHttpSetting } from '../src/http-address.js';
import { allowedHost } from '../src/http/host-check.js';

describe('parseHttpAddress', () => {
  it.each([
    ['9180', { host: '127.0.0.1', port: 9180, loopback: true }],
    ['0', { host: '127.0.0.1', port: 0, loopback: true }],
    ['0.0.0.0:9180', { host: '0.0.0.0', port: 9180, loopback: false }],
    ['10.1.2.3:80', { host: '10.1.2.3', port: 80, loopback: false }],
    ['127.0.0.2:65535', { host: '127.0.0.2', port: 65535, loopback: true }],
    ['localhost:9180', { host: '127.0.0.1', port: 9180, loopback: true }],
    ['[::]:9180', { host: '::', port: 9180, loopback: false }],
    ['[::1]:9180', { host: '::1', port: 9180, loopback: true }],
    ['[fe80::1]:80', { host: 'fe80::1', port: 80, loopback: false }],
  ])('%s', (value, expected) => expect(parseHttpAddress(value)).toEqual(expected));

  it.each(['', ' 80', '80 ', '65536', '-1', '0x50', 'host:80', 'localhost', '1.2.3:80', '256.1.1.1:80', '::1', '[::1]', '[1.2.3.4]:80', '1.2.3.4:80/x'])(
    'refuses %j',
    (value) => expect(parseHttpAddress(value)).toBeUndefined(),
  );
});

describe('isLoopback', () => {
  it.each([['127.0.0.1', true], ['127.255.0.9', true], ['::1', true], ['0:0:0:0:0:0:0:1', true], ['::ffff:127.0.0.1', true], ['0.0.0.0', false], ['::', false], ['10.0.0.1', false], ['::2', false]])(
    '%s: %s',
    (host, expected) => expect(isLoopback(host as string)).toBe(expected),
  );
});

describe('allowedHost', () => {
  const loopback = parseHttpAddress('9180')!;
  const everywhere = parseHttpAddress('0.0.0.0:9180')!;
  it('on loopback: only loopback names and addresses', () => {
    for (const host of ['127.0.0.1:9180', 'LOCALHOST:9180', 'localhost', '[::1]:9180', '127.9.9.9', undefined]) expect([host, allowedHost(loopback, host)]).toEqual([host, true]);
    for (const host of ['evil.example', 'evil.example:9180', '10.0.0.1:9180', '[::2]:9180', 'localhost.evil.example', '']) expect([host, allowedHost(loopback, host)]).toEqual([host, false]);
  });
  it('elsewhere: any Host (a Prometheus target may be a name)', () => {
    expect(allowedHost(everywhere, 'app.example:9180')).toBe(true);
  });
});

describe('withoutHttpSetting', () => {
  it('drops the setting and keeps the rest in order', () => {
    expect(Object.keys(withoutHttpSetting({ A: '1', RUNIT_TS_HTTP: '80', B: '2' }))).toEqual(['A', 'B']);
  });
});
