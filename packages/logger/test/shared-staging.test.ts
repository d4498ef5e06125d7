// Loggers of one process share one staging buffer: whatever way their writes interleave (lines cut
// anywhere, long lines, an `e` copy to stderr), each log dir gets its own lines and no other's.
import { Cleanup } from '@runit-ts/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { Logger } from '../src/index.js';
import { makeLogDir, randomInput, readLogDir } from './helpers.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('Loggers in one process', () => {
  it('keep their lines apart while writing in turns through the shared staging', async () => {
    const tmp = cleanup.tempDir('logger-shared-staging-');
    const inputs = [randomInput(3, 400, 3000), randomInput(5, 400, 9000), randomInput(7, 400, 200)];
    const stderrCopies: Buffer[] = [];
    const loggers = inputs.map((_, i) => {
      // the first copies every line to stderr too (`e`), through the other half of the staging
      const dir = makeLogDir(tmp, `log${i}`, i === 0 ? 's100000\nn0\ne*\n' : 's100000\nn0\n');
      const logger = new Logger([dir], { timestamp: 'none', report: () => undefined, stderrCopy: (bytes) => stderrCopies.push(Buffer.from(bytes)) });
      cleanup.add(() => logger.close());
      expect(logger.open()).toBe(1);
      return { dir, logger };
    });
    // chunks of 1 to 700 bytes, each logger's in turn, so that every write finds the staging as the
    // previous logger left it
    const at = inputs.map(() => 0);
    let step = 0;
    while (at.some((offset, i) => offset < inputs[i]!.length)) {
      inputs.forEach((input, i) => {
        const size = 1 + ((step * 7919 + i * 104729) % 700);
        if (at[i]! < input.length) loggers[i]!.logger.write(input.subarray(at[i], Math.min(input.length, at[i]! + size)));
        at[i] = Math.min(input.length, at[i]! + size);
      });
      step++;
    }
    for (const { logger } of loggers) await logger.close();
    loggers.forEach(({ dir }, i) => expect(readLogDir(dir).all.equals(inputs[i]!)).toBe(true));
    expect(Buffer.concat(stderrCopies).length).toBeGreaterThan(0);
  });
});
