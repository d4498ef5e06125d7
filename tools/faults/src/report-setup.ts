// vitest's global set-up of the fault suite: clears the recorded results before the files run and,
// once all have, writes docs/reliability.md when every section was recorded (a partial run, such as
// one file, leaves the report as it is).
import { cpus, totalmem } from 'node:os';
import { clearResults, readResults } from './results.js';
import { SECTIONS, writeReport } from './report.js';

export default function setup(): () => void {
  clearResults();
  return () => {
    const results = readResults();
    const missing = SECTIONS.filter((id) => !results.has(id));
    if (missing.length > 0) {
      console.log(`faults: ${missing.join(', ')} not recorded: docs/reliability.md left as it is`);
      return;
    }
    const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux, Node ${process.versions.node}`;
    writeReport([...results.values()], machine);
    console.log('faults: docs/reliability.md written');
  };
}
