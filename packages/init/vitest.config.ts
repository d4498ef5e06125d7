// The shared settings, with room for PID 1 scenarios: each boots a namespace, several include runit's
// own 5 s pauses, and on a loaded 2-core machine one can take a minute.
import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(shared, { test: { testTimeout: 180_000, hookTimeout: 60_000 } });
