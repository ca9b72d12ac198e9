// The syscall table: argument decoding, return conventions (-errno), and the user-memory side of each call
// going through uaccess (bad pointers give -EFAULT, nothing is half-done where Linux does nothing).

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EBADF, EFAULT, EINVAL, ENOSYS, ESRCH } from '../../kernel/mm_constants.js';
import { R10, R8, R9, RDI, RDX, RSI } from '../../kernel/ptrace.js';
import { SIGKILL, SIGSEGV, SIGUSR1, SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK, sigismember } from '../../kernel/signal_defs.js';
import { do_syscall_64 } from '../../kernel/syscalls/index.js';
import { copy_from_user, copy_to_user } from '../../kernel/uaccess.js';
import { SigMachine } from './sig-machine.js';

const U = 0x10000000; // two mapped pages, nothing after them
const KERNEL = -0x7f000000;

function machine(stdin = ''): SigMachine {
  const k = new SigMachine(stdin);
  k.map(U, 0x2000, 3);
  return k;
}

function sys(k: SigMachine, nr: number, ...args: number[]): number {
  [RDI, RSI, RDX, R10, R8, R9].forEach((r, i) => k.regs.set(r, args[i] ?? 0));
  k.regs.orig_ax = nr;
  do_syscall_64(k, k.regs);
  return k.regs.ax;
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function u64s(k: SigMachine, addr: number, n: number): number[] {
  const b = new Uint8Array(8 * n);
  copy_from_user(k, b, addr, 8 * n);
  const v = new DataView(b.buffer);
  return Array.from({ length: n }, (_, i) => v.getInt32(8 * i + 4, true) * 4294967296 + v.getUint32(8 * i, true));
}

test('write: to stdout; a kernel or unmapped buffer is -EFAULT; bad descriptors are -EBADF', () => {
  const k = machine();
  copy_to_user(k, U, enc('hello\n'));
  assert.is(sys(k, 1, 1, U, 6), 6);
  assert.is(k.stdout, 'hello\n');
  assert.is(sys(k, 1, 1, KERNEL, 4), -EFAULT);
  assert.is(sys(k, 1, 1, U + 0x3000, 4), -EFAULT);
  assert.is(sys(k, 1, 0, U, 4), -EBADF);
  assert.is(sys(k, 1, 7, U, 4), -EBADF);
  assert.is(sys(k, 3, 1), 0);
  assert.is(sys(k, 1, 1, U, 4), -EBADF, 'closed');
  assert.is(sys(k, 3, 1), -EBADF, 'closed twice');
});

test('write: pipe semantics on a partly mapped buffer: whole pages go, the piece that faults does not', () => {
  const k = machine();
  copy_to_user(k, U, new Uint8Array(0x2000).fill(0x61));
  assert.is(sys(k, 1, 1, U + 0x100, 0x2000), 0x1000);
  assert.is(k.stdout.length, 0x1000);
});

test('read: stdin into user memory; a failed copy consumes nothing; end of file is 0', () => {
  const k = machine('0123456789\n');
  assert.is(sys(k, 0, 0, 0, 4), -EFAULT);
  assert.is(sys(k, 0, 0, KERNEL, 4), -EFAULT);
  assert.is(sys(k, 0, 0, U + 0x2000, 4), -EFAULT);
  assert.is(sys(k, 0, 0, U, 4), 4);
  const b = new Uint8Array(4);
  copy_from_user(k, b, U, 4);
  assert.is(new TextDecoder().decode(b), '0123');
  assert.is(sys(k, 0, 0, U, 100), 7);
  assert.is(sys(k, 0, 0, U, 100), 0);
  assert.is(sys(k, 0, 1, U, 4), -EBADF);
});

test('unknown syscall numbers are -ENOSYS', () => {
  const k = machine();
  assert.is(sys(k, 400), -ENOSYS);
  assert.is(sys(k, -1), -ENOSYS);
  assert.is(sys(k, 2 ** 32 + 1), -ENOSYS);
});

test('rt_sigaction: stores and returns the action; SIGKILL cannot be caught; bad sizes and pointers', () => {
  const k = machine();
  const act = new Uint8Array(32);
  const v = new DataView(act.buffer);
  v.setUint32(0, 0x401000, true);
  v.setUint32(8, 0x04000004, true);
  v.setUint32(16, 0x402000, true);
  v.setUint32(24, (1 << (SIGUSR1 - 1)) | (1 << (SIGKILL - 1)), true);
  copy_to_user(k, U, act);
  assert.is(sys(k, 13, SIGSEGV, U, 0, 8), 0);
  assert.is(sys(k, 13, SIGSEGV, 0, U + 64, 8), 0);
  assert.equal(u64s(k, U + 64, 4), [0x401000, 0x04000004, 0x402000, 1 << (SIGUSR1 - 1)], 'SIGKILL dropped from sa_mask');
  assert.is(sys(k, 13, SIGKILL, U, 0, 8), -EINVAL);
  assert.is(sys(k, 13, SIGKILL, 0, U + 64, 8), 0, 'querying SIGKILL is allowed');
  assert.is(sys(k, 13, 65, 0, U + 64, 8), -EINVAL);
  assert.is(sys(k, 13, SIGSEGV, U, 0, 4), -EINVAL);
  assert.is(sys(k, 13, SIGSEGV, U + 0x3000, 0, 8), -EFAULT);
  assert.is(sys(k, 13, SIGSEGV, KERNEL, 0, 8), -EFAULT);
  assert.is(sys(k, 13, SIGSEGV, 0, KERNEL, 8), -EFAULT);
});

test('rt_sigprocmask: block, unblock, setmask, old mask; SIGKILL is never blocked', () => {
  const k = machine();
  const set = new Uint8Array(8);
  new DataView(set.buffer).setUint32(0, (1 << (SIGUSR1 - 1)) | (1 << (SIGKILL - 1)), true);
  copy_to_user(k, U, set);
  assert.is(sys(k, 14, SIG_BLOCK, U, 0, 8), 0);
  assert.ok(sigismember(k.current.blocked, SIGUSR1));
  assert.not.ok(sigismember(k.current.blocked, SIGKILL));
  assert.is(sys(k, 14, SIG_UNBLOCK, U, U + 8, 8), 0);
  assert.equal(u64s(k, U + 8, 1), [1 << (SIGUSR1 - 1)]);
  assert.not.ok(sigismember(k.current.blocked, SIGUSR1));
  assert.is(sys(k, 14, 7, U, 0, 8), -EINVAL);
  assert.is(sys(k, 14, SIG_SETMASK, KERNEL, 0, 8), -EFAULT);
  assert.is(sys(k, 14, SIG_SETMASK, 0, 0, 16), -EINVAL);
});

test('getrusage: fault counters and ru_maxrss in KiB; who and pointers checked', () => {
  const k = machine();
  k.current.min_flt = 5;
  k.current.maj_flt = 1;
  k.current.cmin_flt = 9;
  copy_to_user(k, U, new Uint8Array(144).fill(0xff));
  assert.is(sys(k, 98, 0, U), 0);
  const r = u64s(k, U, 18);
  assert.is(r[8], 5);
  assert.is(r[9], 1);
  assert.ok(r[4] > 0 && r[4] % 4 === 0, 'maxrss in KiB');
  assert.is(r[0], 0, 'times are zero');
  assert.is(sys(k, 98, -1, U), 0);
  assert.is(u64s(k, U + 64, 1)[0], 9);
  assert.is(sys(k, 98, 5, U), -EINVAL);
  assert.is(sys(k, 98, 0, 0), -EFAULT);
  assert.is(sys(k, 98, 0, KERNEL), -EFAULT);
});

test('mmap/munmap/mprotect/brk/madvise go to the mm code; file mappings of fds 0-2 are refused', () => {
  const k = machine();
  const a = sys(k, 9, 0, 0x3000, 3, 0x22, -1, 0);
  assert.ok(a > 0 && a % 4096 === 0);
  assert.is(sys(k, 10, a, 0x1000, 1), 0);
  assert.is(sys(k, 28, a, 0x1000, 4), 0);
  assert.is(sys(k, 11, a, 0x3000), 0);
  assert.is(sys(k, 9, 0, 0x1000, 3, 0x02, 5, 0), -EBADF);
  assert.is(sys(k, 9, 0, 0x1000, 3, 0x22, -1, 100), -EINVAL);
  assert.is(sys(k, 12, 0), k.mm.brk);
});

test('kill: pending signal for the target; signal 0 probes; unknown pids are -ESRCH', () => {
  const k = machine();
  assert.is(sys(k, 62, 2, 0), 0);
  assert.is(sys(k, 62, 99, SIGUSR1), -ESRCH);
  assert.is(sys(k, 62, 2, 65), -EINVAL);
  assert.is(sys(k, 62, 2, SIGUSR1), 0);
  assert.equal(k.current.pending.map((q) => [q.si_signo, q.si_code, q.si_pid]), [[SIGUSR1, 0, 2]]);
  assert.is(sys(k, 39), 2, 'getpid');
});

test.run();
