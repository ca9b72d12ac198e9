// The differential fuzz of the kernel's memory management, bounded for CI: generated programs (gen.ts) of
// mmap, munmap, mprotect, madvise, brk, fork and page touches, each built once with GNU as + ld and run on
// this machine's Linux and in faultline; stdout and exit status must be identical. `npm run fuzz:kernel`
// runs any number of them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { missingTools } from '../harness.js';
import { generateProgram } from './gen.js';
import { runCase } from './run.js';

const PROGRAMS = 40;
const STEPS = 40;
const FIRST_SEED = 1;

const missing = missingTools();

test('the generator is deterministic per seed and differs between seeds', () => {
  assert.is(generateProgram(7, 20), generateProgram(7, 20));
  assert.is.not(generateProgram(7, 20), generateProgram(8, 20));
});

if (missing) {
  test.skip(`${PROGRAMS} fuzz programs, faultline against Linux (skipped: ${missing})`, () => {});
} else {
  test(`${PROGRAMS} fuzz programs of ${STEPS} steps behave in faultline as on Linux`, () => {
    const mismatches: string[] = [];
    let lines = 0;
    for (let i = 0; i < PROGRAMS; i++) {
      const c = runCase(FIRST_SEED + i, STEPS);
      lines += c.lines;
      if (c.mismatch !== null) mismatches.push(c.mismatch);
    }
    assert.ok(lines >= PROGRAMS * STEPS, `the programs printed only ${lines} lines`);
    assert.is(mismatches.length, 0, `\n${mismatches.join('\n')}`);
  });
}

test.run();
