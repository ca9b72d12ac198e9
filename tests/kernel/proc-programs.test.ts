// The process programs of tests/linux (proc-*: fork, vfork, wait4, kill, copy-on-write, the process limit)
// run in faultline with exactly the output and exit status they have on this machine's Linux (their
// .expected files), built by faultline's assembler and by GNU as + ld.
// proc-fork-limit: faultline implements prlimit64 for RLIMIT_NPROC (kernel/syscalls/resource.ts), so the
// program's own limit of 16 processes stops the fork bomb with -EAGAIN, as it does natively.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listPrograms } from '../linux/harness.js';
import { programTests } from './program_suite.js';

const programs = listPrograms().filter((n) => n.startsWith('proc-'));

test('there are proc-* programs to run', () => {
  assert.ok(programs.length >= 12, `only ${programs.length} proc-* programs`);
});

programTests(programs);

test.run();
