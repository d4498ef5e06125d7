// What runsvdir hands its HTTP endpoint: a view of its table and processes, read when asked. Types
// only, shared by runsvdir's bundle and the endpoint's, which is loaded only when it is turned on.
import type { DiagnosticSink } from '@runit-ts/supervisor';
import type { HttpAddress } from '../http-address.js';

export interface TreeService {
  /** The entry's name in the services directory: the `service` label, the name on the page. */
  name: string;
  /** The service directory (the services directory resolved, then the name). */
  dir: string;
  /** `dev:ino` of the service directory: its identity across renames. */
  key: string;
}

export interface SupervisionTree {
  /** The services in runsvdir's table. */
  services(): readonly TreeService[];
  /** How many times runsvdir has read the services directory. */
  scans(): number;
  /** False once runsvdir has stopped looking at the directory (it is about to exit). */
  scanning(): boolean;
  /** runsvdir and the processes hosting services, for the memory metrics. */
  processes(): ReadonlyArray<{ name: string; pid: number }>;
}

export interface EndpointOptions {
  address: HttpAddress;
  /** The services directory as given (the page shows it, diagnostics name it). */
  svdir: string;
  tree: SupervisionTree;
  report: DiagnosticSink;
}

export interface HttpEndpoint {
  /** The port it listens on (the one asked for, or the kernel's choice for 0). */
  readonly port: number;
  /** runsvdir's table changed: services came, went or were renamed. */
  servicesChanged(): void;
  close(): Promise<void>;
}

/** The endpoint bundle's one export; rejects when it cannot listen. */
export type StartHttpEndpoint = (options: EndpointOptions) => Promise<HttpEndpoint>;
