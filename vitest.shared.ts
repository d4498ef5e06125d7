// Vitest settings every package shares: resolve workspace packages to their TypeScript sources.
import { basename } from 'node:path';
import { defineConfig } from 'vitest/config';

// Nx sets FORCE_COLOR for the tasks it runs; programs under test must print plain bytes.
delete process.env.FORCE_COLOR;

export const sourceConditions = ['runit-ts-source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions } },
  test: {
    // Every test file in a process of its own: files that reap with waitpid(-1) (the addon's reaper)
    // must never share a process with files that run commands through child_process, whose exits
    // the reaper would take (docs/architecture.md, Reaping).
    pool: 'forks',
    isolate: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    include: ['test/**/*.test.ts'],
    // The JSON report lets tools/scripts/test.sh print one closing line for every package.
    reporters: ['default', ['json', { outputFile: `${process.env.RUNIT_TS_TEST_RESULTS ?? '.test-results'}/${basename(process.cwd())}.json` }]],
  },
});
