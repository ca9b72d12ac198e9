// The headline test of the kernel: every reference program of tests/linux (except the proc-* ones, which
// need fork) runs in faultline with exactly the output and exit status it has on this machine's Linux
// (its .expected file), both as built by faultline's assembler and as built by GNU as + ld.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync } from 'node:fs';
import { GUEST_ARGV, GUEST_ENV, GUEST_STDIN, buildNative, formatResult, listPrograms, missingTools, programSource, readExpected } from '../linux/harness.js';
import { buildWithFaultline, runGuest } from './exec_harness.js';

const programs = listPrograms().filter((n) => !n.startsWith('proc-'));
const missing = missingTools();

function runInFaultline(elf: Uint8Array): string {
  const r = runGuest(elf, { argv: GUEST_ARGV, envp: GUEST_ENV, stdin: GUEST_STDIN });
  const o = r.outcome;
  return formatResult({ stdout: r.stdout, exitCode: o.exitCode, signal: o.signal });
}

for (const name of programs) {
  test(`${name} (faultline as) matches ${name}.expected`, () => {
    const elf = buildWithFaultline(programSource(name), `${name}.s`);
    assert.fixture(runInFaultline(elf), readExpected(name));
  });
  if (missing) {
    test.skip(`${name} (GNU as + ld) (skipped: ${missing})`, () => {});
    continue;
  }
  test(`${name} (GNU as + ld) matches ${name}.expected`, () => {
    const built = buildNative(name);
    if ('error' in built) throw new Error(built.error);
    try {
      assert.fixture(runInFaultline(readFileSync(built.elf)), readExpected(name));
    } finally {
      rmSync(built.dir, { recursive: true, force: true });
    }
  });
}

test.run();
