// Each reference program, built with GNU as + ld and run on this machine's Linux, prints exactly its .expected
// file. The .expected files were recorded on the reference machine and are what faultline is checked against
// everywhere; a native run here is a witness that the recording still holds, so it runs only where the host
// matches the reference in what the program's `# Depends on:` line names, and otherwise skips with the reason.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeHost, hostMismatch } from '../host.js';
import { skip } from '../skip.js';
import { PROGRAMS_DIR, listPrograms, missingTools, programDepends, readExpected, runProgramNatively } from './harness.js';

const missing = missingTools();
const programs = listPrograms();

test('every program has an .expected file and a header saying what to look for and what it depends on', () => {
  for (const name of programs) {
    assert.ok(existsSync(join(PROGRAMS_DIR, `${name}.expected`)), `${name}.expected is missing`);
    const src = readFileSync(join(PROGRAMS_DIR, `${name}.s`), 'utf8');
    assert.ok(src.startsWith(`# ${name}: `), `${name}.s must start with "# ${name}: ..."`);
    assert.match(src, /What to look for/, `${name}.s header must say what to look for`);
    programDepends(name); // throws on a missing or unknown "# Depends on:"
  }
  assert.ok(programs.length >= 37, `expected at least 37 programs, found ${programs.length}`);
});

let skipped = 0;
for (const name of programs) {
  const why = missing ?? hostMismatch(programDepends(name));
  if (why !== null) {
    skipped++;
    skip(`${name} natively matches ${name}.expected`, why);
    continue;
  }
  test(`${name} natively matches ${name}.expected`, () => {
    assert.fixture(runProgramNatively(name), readExpected(name));
  });
}

console.log(`tests/linux/native: ${describeHost()}; ${skipped} of ${programs.length} native runs skipped${missing ? ` (${missing})` : ''}`);

test.run();
