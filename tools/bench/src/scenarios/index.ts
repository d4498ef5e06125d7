// Every benchmark scenario, in the order the report lists them.
import type { Scenario } from '../scenario.js';
import { chpst } from './chpst.js';
import { containerStop } from './container-stop.js';
import { memory } from './memory.js';
import { nodeFlags } from './node-flags.js';
import { pid1BootHalt } from './pid1-boot-halt.js';
import { readyToDependant } from './ready-to-dependant.js';
import { restartLatency } from './restart-latency.js';
import { scanLatency } from './scan-latency.js';
import { svStatus } from './sv-status.js';
import { svlogdThroughput } from './svlogd-throughput.js';

export const scenarios: Scenario[] = [restartLatency, svStatus, svlogdThroughput, scanLatency, readyToDependant, memory, nodeFlags, pid1BootHalt, containerStop, chpst];
