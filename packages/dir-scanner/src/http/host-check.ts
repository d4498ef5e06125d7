// DNS rebinding: a web page elsewhere can make a browser on this machine send requests to a loopback
// port under a name of its own. An endpoint bound to loopback answers only requests that name a
// loopback host (Kubernetes' probes and Prometheus name an IP address).
import { isIP } from 'node:net';
import { isLoopback, type HttpAddress } from '../http-address.js';

/** The host part of a Host header: `name`, `1.2.3.4`, `[::1]`, each with an optional `:port`. */
function hostPart(header: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(header);
  if (bracketed) return bracketed[1]!;
  return header.replace(/:\d*$/, '');
}

export function allowedHost(address: HttpAddress, header: string | undefined): boolean {
  if (!address.loopback || header === undefined) return true;
  const host = hostPart(header.trim().toLowerCase());
  if (host === 'localhost') return true;
  return isIP(host) !== 0 && isLoopback(host);
}
