// --trace prints each event when it is decided, cause first; kernel addresses by symbol; a short style for
// a projector; --trace proc; syscalls strace-style, once each.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Scratch, faultline, lines } from './cli-helpers.js';

const scratch = new Scratch();

const traceLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('['));

test('segv demo: the fault\'s trace line comes before the segfault line it explains', () => {
  const r = faultline(['run', '--trace', 'faults', 'tests/linux/programs/segv-default-action.s', 'tests/linux/lib.s']);
  assert.is(r.status, 139);
  const all = r.stderr.split('\n');
  const fault = all.findIndex((l) => /^\[#PF pid 2\] .*addr 0x0 .*=> SIGSEGV \(SEGV_MAPERR\)$/.test(l));
  const segfault = all.findIndex((l) => / segfault at 0 /.test(l));
  assert.ok(fault >= 0 && segfault >= 0, r.stderr);
  assert.ok(fault < segfault, 'the [#PF] line first');
});

test('cow demo: each [cow] and [tlb] line follows the fault or fork that caused it', () => {
  const r = faultline(['run', '--trace', 'faults,cow,tlb,proc', 'guest-programs/cow-fork.s']);
  assert.is(r.status, 0);
  const ls = traceLines(r.stderr);
  let cows = 0;
  ls.forEach((l, i) => {
    const cow = /^\[cow pid (\d+)\] 0x([0-9a-f]+) /.exec(l);
    if (cow === null) return;
    cows++;
    // Walk back over the consequences of the same event to its cause.
    let j = i - 1;
    while (j >= 0 && /^\[(tlb|cow) /.test(ls[j])) j--;
    const cause = /^\[#PF pid (\d+)\] rip \S+ addr 0x([0-9a-f]+) .*do_wp_page/.exec(ls[j] ?? '');
    assert.ok(cause, `no write-protect fault before: ${l}`);
    assert.is(cause[1], cow[1]);
    assert.is(Math.floor(parseInt(cause[2], 16) / 4096), parseInt(cow[2], 16) / 4096, l);
  });
  assert.is(cows, 4); // two copies in the parent, two reuses in the child
  const flush = ls.findIndex((l) => l.startsWith('[tlb pid 2] flush'));
  assert.match(ls[flush - 1], /^\[proc pid 2\] fork: child pid 3$/);
});

test('kernel addresses are named from the kernel\'s symbols, as an oops does', () => {
  const r = faultline(['run', '--trace', 'faults', 'guest-programs/uaccess-efault.s']);
  assert.match(r.stderr, /^\[#PF pid 2\] rip copy_user_generic\+0x6 addr 0x10000 error 0x0 .*=> fixup -> copy_user_generic\+0x8 \(-EFAULT\)$/m);
  assert.not.match(r.stderr, /0xffffffff8/);
});

test('--trace-style short: one fault in under 100 columns; long stays the default', () => {
  for (const prog of ['guest-programs/cow-fork.s', 'guest-programs/uaccess-efault.s', 'guest-programs/demand-paging.s']) {
    const long = traceLines(faultline(['run', '--trace', 'faults,cow,tlb', prog]).stderr);
    const short = traceLines(faultline(['run', '--trace', 'faults,cow,tlb', '--trace-style', 'short', prog]).stderr);
    assert.is(short.length, long.length, prog);
    assert.ok(long.some((l) => l.length > 150), 'the long form keeps every detail');
    for (const l of short.filter((x) => x.startsWith('[#PF'))) assert.ok(l.length < 100, `${l.length} columns: ${l}`);
  }
  const one = traceLines(faultline(['run', '--trace', 'faults', '--trace-style', 'short', 'guest-programs/uaccess-efault.s']).stderr);
  assert.ok(one.includes('[#PF 2] copy_user_generic+0x6 kern read 0x10000: no_context => fixup -EFAULT'), one.join('\n'));
});

test('--trace proc: fork, exit and wait, in order', () => {
  const r = faultline(['run', '--trace', 'proc', 'guest-programs/cow-fork.s']);
  assert.equal(traceLines(r.stderr), [
    '[proc pid 2] fork: child pid 3',
    '[proc pid 3] +++ exited with 0 +++',
    '[proc pid 2] wait4: reaped pid 3 (exited with 0)',
    '[proc pid 2] +++ exited with 0 +++',
  ]);
});

test('--trace syscalls: a blocking wait4 is printed once, <unfinished ...> then <... resumed>', () => {
  const ls = traceLines(faultline(['run', '--trace', 'syscalls', 'guest-programs/cow-fork.s']).stderr);
  const waits = ls.filter((l) => /wait4/.test(l));
  assert.equal(waits, ['[sys pid 2] wait4(3, NULL, 0, NULL <unfinished ...>', '[sys pid 2] <... wait4 resumed>) = 3']);
  const resumed = ls.indexOf(waits[1]);
  assert.is(ls[resumed - 1], '[sys pid 3] exit(0) = ?'); // the child ran in between
});

test('--trace syscalls: a task killed while it sleeps in wait4 never returns from it (= ?)', () => {
  // The child kills its parent, which sleeps in wait4.
  const p = scratch.file('killer.s', lines(
    '\t.globl _start', '_start:', '\tmov $57, %eax', '\tsyscall', '\ttest %eax, %eax', '\tjz child',
    '\tmov $61, %eax', '\tmov $-1, %edi', '\txor %esi, %esi', '\txor %edx, %edx', '\txor %r10d, %r10d', '\tsyscall',
    'child:\tmov $110, %eax', '\tsyscall', '\tmov %eax, %edi', '\tmov $62, %eax', '\tmov $9, %esi', '\tsyscall',
    '\tmov $60, %eax', '\txor %edi, %edi', '\tsyscall',
  ));
  const r = faultline(['run', '--trace', 'syscalls,proc', p]);
  assert.is(r.status, 137);
  const ls = traceLines(r.stderr).filter((l) => l.startsWith('[sys pid 2]') || l.startsWith('[proc pid 2]'));
  assert.equal(ls, [
    '[sys pid 2] fork() = 3', '[proc pid 2] fork: child pid 3', '[sys pid 2] wait4(-1, NULL, 0, NULL <unfinished ...>',
    '[sys pid 2] <... wait4 resumed>) = ?', '[proc pid 2] +++ killed by SIGKILL +++',
  ]);
});

test('--trace syscalls decodes arguments: flags by name, buffers quoted, errors by name', () => {
  const ls = traceLines(faultline(['run', '--trace', 'syscalls', 'guest-programs/uaccess-efault.s']).stderr);
  assert.ok(ls.includes('[sys pid 2] write(1, 0x10000, 8) = -1 EFAULT (Bad address)'), ls.join('\n'));
  assert.ok(ls.includes('[sys pid 2] write(1, "message!", 8) = 8'));
  assert.ok(ls.includes('[sys pid 2] write(1, "case 2: write(1, 0xffff888000000"..., 42) = 42'));
  assert.ok(ls.includes('[sys pid 2] exit(0) = ?'));
  const mm = traceLines(faultline(['run', '--trace', 'syscalls', 'guest-programs/demand-paging.s']).stderr);
  assert.ok(mm.some((l) => /^\[sys pid 2\] mmap\(NULL, 16384, PROT_READ\|PROT_WRITE, MAP_PRIVATE\|MAP_ANONYMOUS, -1, 0\) = 0x7ffff7f[0-9a-f]+$/.test(l)), mm.join('\n'));
  assert.ok(mm.some((l) => /^\[sys pid 2\] getrusage\(RUSAGE_SELF, 0x7ffffff[0-9a-f]+\) = 0$/.test(l)));
});

test.after(() => scratch.remove());

test.run();
