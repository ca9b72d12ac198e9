// Reference programs of tests/linux that exercise traps and signal delivery, run on the CPU with the
// real signal code (frame setup, rt_sigreturn, default actions, trap handlers) and compared with what
// Linux printed natively. The page-fault side is the small machine's stand-in (sig-machine.ts), so only
// programs whose faults are plain "nothing mapped here" ones are listed; the complete runs, with the real
// fault path, are tests/kernel/linux-programs.test.ts.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatResult, programSource, readExpected } from '../linux/harness.js';
import { SigMachine } from './sig-machine.js';

const PROGRAMS = [
  'sigfpe-div0', 'sigill-ud2', 'sigtrap-int3', 'segv-noncanonical', 'segv-in-handler', 'segv-no-stack-for-signal',
  'segv-null-read', 'segv-null-write', 'segv-kernel-addr',
];
const STACK_TOP = 0x7ffffffff000;

for (const name of PROGRAMS) {
  test(`${name}: output and fate as on Linux`, () => {
    const k = new SigMachine('0123456789\n');
    const syms = k.loadCode(programSource(name));
    k.map(STACK_TOP - 0x100000, 0x100000, 3);
    const code = k.runUser(syms.get('_start')!, STACK_TOP - 0x1000);
    assert.ok(code !== null, 'the program ended');
    const sig = code! & 0x7f;
    const got = formatResult({ stdout: k.stdout, exitCode: sig === 0 ? (code! >> 8) & 0xff : null, signal: sig === 0 ? null : sig });
    assert.fixture(got, readExpected(name));
  });
}

test.run();
