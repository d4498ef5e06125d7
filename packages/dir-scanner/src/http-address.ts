// RUNIT_TS_HTTP, the opt-in for runsvdir's HTTP endpoint: `PORT` (on the loopback address) or
// `ADDRESS:PORT`, ADDRESS an IPv4 address, `[IPv6]` or `localhost`. Anything else is refused.
import { isIPv4, isIPv6 } from 'node:net';

export const HTTP_VARIABLE = 'RUNIT_TS_HTTP';

export interface HttpAddress {
  /** What listen() gets: an IP address. */
  host: string;
  /** 0 asks the kernel for any free port (for tests: read the port from /proc). */
  port: number;
  /** Only loopback clients can connect: requests must then name a loopback host (DNS rebinding). */
  loopback: boolean;
}

const PORT = /^[0-9]{1,5}$/;
const BRACKETED = /^\[([^\]]+)\]:([^:]*)$/;
const PLAIN = /^([^:[\]]+):([^:]*)$/;

function port(text: string): number | undefined {
  if (!PORT.test(text)) return undefined;
  const value = Number(text);
  return value <= 65535 ? value : undefined;
}

/** Whether `host` (an IP address) is a loopback address: 127.0.0.0/8, ::1, or ::ffff:127.x. */
export function isLoopback(host: string): boolean {
  const v4 = host.toLowerCase().replace(/^::ffff:/, '');
  if (isIPv4(v4)) return v4.startsWith('127.');
  return isIPv6(host) && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(host.toLowerCase());
}

/** The address a value of RUNIT_TS_HTTP names, or undefined when it names none. */
export function parseHttpAddress(value: string): HttpAddress | undefined {
  const only = port(value);
  if (only !== undefined) return { host: '127.0.0.1', port: only, loopback: true };
  const bracketed = BRACKETED.exec(value);
  const plain = bracketed ? undefined : PLAIN.exec(value);
  const match = bracketed ?? plain;
  if (!match) return undefined;
  const number = port(match[2]!);
  if (number === undefined) return undefined;
  let host = match[1]!;
  if (bracketed ? !isIPv6(host) : host !== 'localhost' && !isIPv4(host)) return undefined;
  if (host === 'localhost') host = '127.0.0.1';
  return { host, port: number, loopback: isLoopback(host) };
}

/** `1.2.3.4:80`, `[::1]:80`: how messages name it. */
export const addressText = ({ host, port }: HttpAddress): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** The environment runsvdir passes on: the setting is for this runsvdir, not for a runsvdir it supervises. */
export function withoutHttpSetting(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!(HTTP_VARIABLE in env)) return env;
  const copy = { ...env };
  delete copy[HTTP_VARIABLE];
  return copy;
}
