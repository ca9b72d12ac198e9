// The differential fuzz of the kernel's memory management, bounded for CI: generated programs (gen.ts) of
// mmap, munmap, mprotect, madvise, brk, fork and page touches, each built once with GNU as + ld and run on
// this machine's Linux and in faultline; stdout and exit status must be identical. `npm run fuzz:kernel`
// runs any number of them. On a host whose kernel has no zero page a read fault maps a writable page at once,
// so the per-step fault counts cannot witness the reference there: they are masked and the test says so.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { featureMissing } from '../../host.js';
import { skip } from '../../skip.js';
import { missingTools } from '../harness.js';
import { generateProgram } from './gen.js';
import { runCase } from './run.js';

const PROGRAMS = 40;
const STEPS = 40;
const FIRST_SEED = 1;

const missing = missingTools();
const noZeroPage = missing ? null : featureMissing('zero-page');

test('the generator is deterministic per seed and differs between seeds', () => {
  assert.is(generateProgram(7, 20), generateProgram(7, 20));
  assert.is.not(generateProgram(7, 20), generateProgram(8, 20));
});

if (missing) {
  skip(`${PROGRAMS} fuzz programs, faultline against Linux`, missing);
} else {
  if (noZeroPage) console.log(`kernel fuzz: fault counts masked (flt=?): ${noZeroPage}`);
  const what = noZeroPage ? ' (fault counts masked: the host has no zero page)' : '';
  test(`${PROGRAMS} fuzz programs of ${STEPS} steps behave in faultline as on Linux${what}`, () => {
    const mismatches: string[] = [];
    let lines = 0;
    for (let i = 0; i < PROGRAMS; i++) {
      const c = runCase(FIRST_SEED + i, STEPS, noZeroPage !== null);
      lines += c.lines;
      if (c.mismatch !== null) mismatches.push(c.mismatch);
    }
    assert.ok(lines >= PROGRAMS * STEPS, `the programs printed only ${lines} lines`);
    assert.is(mismatches.length, 0, `\n${mismatches.join('\n')}`);
  });
}

test.run();
