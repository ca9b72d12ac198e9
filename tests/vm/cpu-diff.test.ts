// Differential test against this machine's CPU: random straight-line sequences of the v1 instruction
// subset, assembled into one ELF, run natively (the harness in diff/program.ts, no libc) and on
// faultline's CPU with paging on; registers, the six arithmetic flags and DF, the scratch memory and
// #DE must all agree. The ELF comes from faultline's assembler; one seed also from GNU as + ld.
// More: npm run fuzz:cpu -- N.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Assembler, differential, gnuToolsMissing } from './diff/harness.js';

const CASES = 2000; // x 20 instructions = 40,000 instructions per seed; 200,000 over the faultline seeds

async function check(seed: number, assembler: Assembler): Promise<void> {
  const r = await differential(seed, CASES, 20, assembler);
  assert.ok(r.instructions >= 40_000, `only ${r.instructions} instructions`);
  assert.ok(r.exceptions > 0 && r.exceptions < r.cases / 2, `#DE in ${r.exceptions} of ${r.cases} cases`);
  if (r.mismatch) assert.unreachable(r.mismatch);
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  test.skip('cpu differential (skipped: needs an x86-64 Linux host to run the native side)', () => {});
} else {
  for (const seed of [1, 2, 3, 4, 5]) {
    test(`random sequences, seed ${seed}: faultline matches this CPU`, () => check(seed, 'faultline'));
  }
  const missing = gnuToolsMissing();
  if (missing) test.skip(`random sequences built by GNU as + ld (skipped: ${missing})`, () => {});
  else test('random sequences built by GNU as + ld, seed 6: faultline matches this CPU', () => check(6, 'gnu'));
}

test.run();
