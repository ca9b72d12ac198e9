// Differential test against this machine's CPU: random straight-line sequences of the v1 instruction
// subset, assembled into one ELF, run natively (the harness in diff/program.ts, no libc) and on
// faultline's CPU with paging on; registers, the six arithmetic flags and DF, the scratch memory and
// #DE must all agree. The ELF comes from faultline's assembler; one seed also from GNU as + ld.
// faultline models the reference Intel CPU, undefined flags included: on an Intel host every flag is
// compared; on any other host the flags the SDM leaves undefined are masked per instruction
// (diff/undefined.ts), and the recorded vectors (undefined-flags.test.ts) test them instead.
// More: npm run fuzz:cpu -- N.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { featureMissing, hostProfile } from '../host.js';
import { skip } from '../skip.js';
import { Assembler, FlagMode, differential, gnuToolsMissing } from './diff/harness.js';

const CASES = 2000; // x 20 instructions = 40,000 instructions per seed; 200,000 over the faultline seeds

const notIntel = featureMissing('intel');
const mode: FlagMode = notIntel === null ? 'all' : 'defined';
const what = mode === 'all' ? 'all flags' : 'undefined flags masked';

async function check(seed: number, assembler: Assembler): Promise<void> {
  const r = await differential(seed, CASES, 20, assembler, mode);
  assert.ok(r.instructions >= 40_000, `only ${r.instructions} instructions`);
  if (r.mismatch) assert.unreachable(r.mismatch);
  // The generator must reach #DE, and rarely enough that most cases run to their end.
  assert.ok(r.exceptions > 0 && r.exceptions < r.cases / 2, `#DE natively in ${r.exceptions} of ${r.cases} cases`);
  assert.ok(r.uncompared < r.cases / 3, `${r.uncompared} of ${r.cases} cases read an undefined flag and were not compared`);
}

if (!hostProfile().x86Linux) {
  skip('cpu differential', `not x86-64 Linux (${hostProfile().platform})`);
} else {
  if (notIntel) console.log(`cpu differential: undefined flags masked: ${notIntel}`);
  for (const seed of [1, 2, 3, 4, 5]) {
    test(`random sequences, seed ${seed}: faultline matches this CPU (${what})`, () => check(seed, 'faultline'));
  }
  const missing = gnuToolsMissing();
  if (missing) skip('random sequences built by GNU as + ld, seed 6', missing);
  else test(`random sequences built by GNU as + ld, seed 6: faultline matches this CPU (${what})`, () => check(6, 'gnu'));
}

test.run();
