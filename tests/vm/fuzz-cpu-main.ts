// npm run fuzz:cpu -- [instructions] [seed] [--gnu-as]: runs the differential test against this
// machine's CPU for about that many random instructions (default 200,000) and prints the first mismatch.
// The test ELF is built by faultline's assembler, or by GNU as + ld with --gnu-as.

import { featureMissing } from '../host.js';
import { Assembler, FlagMode, differential, gnuToolsMissing } from './diff/harness.js';

const SEQ_LEN = 20;
const CASES_PER_PROGRAM = 2000;

async function main(argv: string[]): Promise<number> {
  const nums = argv.filter((a) => /^\d+$/.test(a)).map(Number);
  const total = nums[0] ?? 200_000;
  let seed = nums[1] ?? (Date.now() & 0x7fffffff);
  const assembler: Assembler = argv.includes('--gnu-as') ? 'gnu' : 'faultline';
  const missing = assembler === 'gnu' ? gnuToolsMissing() : null;
  if (missing) {
    console.error(`fuzz:cpu: ${missing}; the differential test needs GNU as and ld`);
    return 2;
  }
  const notIntel = featureMissing('intel');
  const mode: FlagMode = notIntel === null ? 'all' : 'defined';
  if (notIntel) console.log(`undefined flags masked: ${notIntel}`);
  let done = 0, cases = 0, exceptions = 0, uncompared = 0;
  const t0 = Date.now();
  while (done < total) {
    const n = Math.max(1, Math.min(CASES_PER_PROGRAM, Math.ceil((total - done) / SEQ_LEN)));
    const r = await differential(seed, n, SEQ_LEN, assembler, mode);
    done += r.instructions;
    cases += r.cases;
    exceptions += r.exceptions;
    uncompared += r.uncompared;
    if (r.mismatch) {
      console.log(`seed ${seed}: ${r.mismatch}`);
      return 1;
    }
    seed = (seed + 1) >>> 0;
  }
  console.log(`${done} instructions in ${cases} sequences (${exceptions} ended in #DE${mode === 'defined' ? `, ${uncompared} read an undefined flag and were not compared` : ''}): no mismatch (${((Date.now() - t0) / 1000).toFixed(1)} s, ${assembler} assembler)`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
