// Each reference program, built with GNU as + ld and run on this machine's Linux, prints exactly its .expected
// file. This pins down the expected files that faultline's kernel is compared against.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROGRAMS_DIR, listPrograms, missingTools, readExpected, runProgramNatively } from './harness.js';

const missing = missingTools();
const programs = listPrograms();

test('every program has an .expected file and a header comment saying what to look for', () => {
  for (const name of programs) {
    assert.ok(existsSync(join(PROGRAMS_DIR, `${name}.expected`)), `${name}.expected is missing`);
    const src = readFileSync(join(PROGRAMS_DIR, `${name}.s`), 'utf8');
    assert.ok(src.startsWith(`# ${name}: `), `${name}.s must start with "# ${name}: ..."`);
    assert.match(src, /What to look for/, `${name}.s header must say what to look for`);
  }
  assert.ok(programs.length >= 37, `expected at least 37 programs, found ${programs.length}`);
});

for (const name of programs) {
  if (missing) {
    test.skip(`${name} natively (skipped: ${missing})`, () => {});
    continue;
  }
  test(`${name} natively matches ${name}.expected`, () => {
    assert.fixture(runProgramNatively(name), readExpected(name));
  });
}

if (missing) console.log(`tests/linux/native: native runs skipped: ${missing}`);

test.run();
