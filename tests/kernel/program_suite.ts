// Registers one test per reference program of tests/linux: the program, built by faultline's assembler
// and by GNU as + ld, runs in faultline with exactly its .expected output and exit status.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync } from 'node:fs';
import { GUEST_ARGV, GUEST_ENV, GUEST_STDIN, buildNative, formatResult, missingTools, programSource, readExpected } from '../linux/harness.js';
import { buildWithFaultline, runGuest } from './exec_harness.js';
import { skip } from '../skip.js';

function runInFaultline(elf: Uint8Array): string {
  const r = runGuest(elf, { argv: GUEST_ARGV, envp: GUEST_ENV, stdin: GUEST_STDIN });
  const o = r.outcome;
  return formatResult({ stdout: r.stdout, exitCode: o.exitCode, signal: o.signal });
}

export function programTests(programs: string[]): void {
  const missing = missingTools();
  for (const name of programs) {
    test(`${name} (faultline as) matches ${name}.expected`, () => {
      const elf = buildWithFaultline(programSource(name), `${name}.s`);
      assert.fixture(runInFaultline(elf), readExpected(name));
    });
    if (missing) {
      skip(`${name} (GNU as + ld) matches ${name}.expected`, missing);
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
}
