// Every benchmark scenario, in the order the report lists them.
import type { Scenario } from '../scenario.js';

export const scenarios: Scenario[] = [];
