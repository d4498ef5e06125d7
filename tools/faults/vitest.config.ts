// The fault suite runs its files one at a time (each starts whole supervision trees and measures
// them), then writes docs/reliability.md from what they recorded.
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: ['./src/report-setup.ts'],
      fileParallelism: false,
      testTimeout: 300_000,
      hookTimeout: 120_000,
    },
  }),
);
