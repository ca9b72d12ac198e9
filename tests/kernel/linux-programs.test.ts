// The headline test of the kernel: every reference program of tests/linux (except the proc-* ones, which
// need fork) runs in faultline with exactly the output and exit status it has on this machine's Linux
// (its .expected file), both as built by faultline's assembler and as built by GNU as + ld.
import { test } from 'uvu';
import { listPrograms } from '../linux/harness.js';
import { programTests } from './program_suite.js';

const programs = listPrograms().filter((n) => !n.startsWith('proc-'));

programTests(programs);

test.run();
