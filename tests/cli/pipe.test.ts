// A guest writing to a pipe nobody reads: SIGPIPE (status 141), or -EPIPE when it ignores or blocks the
// signal, as on Linux; and faultline's own output cut short by a closed pipe ends quietly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FAULTLINE, Scratch, lines, shell } from './cli-helpers.js';

const scratch = new Scratch();

/** write(1, "y\n", 2) forever: what `yes` does. */
const YES = lines(
  '\t.globl _start', '_start:', '1:\tmov $1, %eax', '\tmov $1, %edi', '\tlea msg(%rip), %rsi', '\tmov $2, %edx',
  '\tsyscall', '\tjmp 1b', '\t.section .rodata', 'msg:\t.ascii "y\\n"',
);

/**
 * Writes until a write fails, then says on stderr which errno it got ("EPIPE" for -32) and exits 3; with
 * SIGPIPE ignored (`ignore`) or blocked first. A blocked SIGPIPE is then unblocked: it kills the program.
 */
function writer(mode: 'ignore' | 'block'): string {
  const setup = mode === 'ignore'
    ? ['\tmov $13, %eax', '\tmov $13, %edi', '\tlea act(%rip), %rsi', '\txor %edx, %edx', '\tmov $8, %r10d', '\tsyscall']
    : ['\tmov $14, %eax', '\txor %edi, %edi', '\tlea set(%rip), %rsi', '\txor %edx, %edx', '\tmov $8, %r10d', '\tsyscall'];
  const unblock = mode === 'block'
    ? ['\tmov $14, %eax', '\tmov $1, %edi', '\tlea set(%rip), %rsi', '\txor %edx, %edx', '\tmov $8, %r10d', '\tsyscall']
    : [];
  return lines(
    '\t.globl _start', '_start:', ...setup,
    '1:\tmov $1, %eax', '\tmov $1, %edi', '\tlea msg(%rip), %rsi', '\tmov $2, %edx', '\tsyscall',
    '\ttest %rax, %rax', '\tjns 1b',
    '\tcmp $-32, %rax', '\tjne 2f',
    '\tmov $1, %eax', '\tmov $2, %edi', '\tlea epipe(%rip), %rsi', '\tmov $6, %edx', '\tsyscall',
    '2:', ...unblock,
    '\tmov $60, %eax', '\tmov $3, %edi', '\tsyscall',
    '\t.data',
    'act:\t.quad 1, 0x04000000, 0, 0', // SIG_IGN, SA_RESTORER, restorer, mask
    'set:\t.quad 1 << 12', // SIGPIPE (13) is bit 12
    'msg:\t.ascii "y\\n"',
    'epipe:\t.ascii "EPIPE\\n"',
  );
}

/** Runs `CMD | head -1` and reports what head printed, CMD's stderr and CMD's exit status. */
function throughHead(cmd: string): { stdout: string; stderr: string; status: number } {
  const r = shell(`${cmd} 2>"${scratch.dir}/err" | head -1; s=\${PIPESTATUS[0]}; cat "${scratch.dir}/err"; exit $s`);
  return { stdout: r.stdout.split('\n')[0], stderr: r.stdout.split('\n').slice(1).join('\n'), status: r.status ?? -1 };
}

test('a guest writing to a pipe whose reader is gone dies of SIGPIPE at once (141), as natively', () => {
  const p = scratch.file('yes.s', YES);
  // Before faultline raised SIGPIPE the guest wrote on into the void until this budget stopped it (124).
  const r = throughHead(`${FAULTLINE} run --max-steps 50000000 '${p}'`);
  assert.is(r.stdout, 'y');
  assert.is(r.stderr, '');
  assert.is(r.status, 141);
});

for (const mode of ['ignore', 'block'] as const) {
  test(`with SIGPIPE ${mode === 'ignore' ? 'ignored' : 'blocked'} the write fails with -EPIPE instead, as natively`, () => {
    const p = scratch.file(`${mode}.s`, writer(mode));
    const here = throughHead(`${FAULTLINE} run --max-steps 50000000 '${p}'`);
    assert.is(here.stdout, 'y');
    assert.is(here.stderr, 'EPIPE\n');
    assert.is(here.status, mode === 'ignore' ? 3 : 141); // a blocked SIGPIPE stays pending, then kills
    const elf = `${scratch.dir}/${mode}`;
    if (shell(`${FAULTLINE} asm '${p}' -o '${elf}'`).status !== 0) assert.unreachable('asm failed');
    const native = throughHead(`'${elf}'`);
    assert.equal(native, here);
  });
}

test('faultline disasm cut short by head ends quietly (no stack trace)', () => {
  const body = Array.from({ length: 40000 }, () => '\tadd $1, %rax');
  const p = scratch.file('big.s', lines('\t.globl _start', '_start:', ...body, '\tmov $60, %eax', '\tsyscall'));
  const elf = `${scratch.dir}/big`;
  assert.is(shell(`${FAULTLINE} asm '${p}' -o '${elf}'`).status, 0);
  const r = throughHead(`${FAULTLINE} disasm '${elf}'`);
  assert.is(r.stdout, '');
  assert.is(r.stderr, '');
  assert.is(r.status, 141);
});

test.after(() => scratch.remove());

test.run();
