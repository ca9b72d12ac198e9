// The process programs of tests/linux (proc-*: fork, vfork, wait4, kill, copy-on-write, the process limit)
// run in faultline with exactly the output and exit status they have on this machine's Linux (their
// .expected files), built by faultline's assembler and by GNU as + ld.
// proc-fork-limit: faultline implements prlimit64 for RLIMIT_NPROC (kernel/syscalls/resource.ts), so the
// program's own limit of 16 processes stops the fork bomb with -EAGAIN, as it does natively.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync } from 'node:fs';
import { GUEST_ARGV, GUEST_ENV, GUEST_STDIN, buildNative, formatResult, listPrograms, missingTools, programSource, readExpected } from '../linux/harness.js';
import { buildWithFaultline, runGuest } from './exec_harness.js';

const programs = listPrograms().filter((n) => n.startsWith('proc-'));
const missing = missingTools();

function runInFaultline(elf: Uint8Array): string {
  const r = runGuest(elf, { argv: GUEST_ARGV, envp: GUEST_ENV, stdin: GUEST_STDIN });
  const o = r.outcome;
  return formatResult({ stdout: r.stdout, exitCode: o.exitCode, signal: o.signal });
}

test('there are proc-* programs to run', () => {
  assert.ok(programs.length >= 12, `only ${programs.length} proc-* programs`);
});

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
