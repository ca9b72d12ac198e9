// fork and copy-on-write: the parent's TLB flush after fork matters; every frame comes back after many
// fork/COW/exit rounds (private and MAP_SHARED|MAP_ANONYMOUS memory); the --trace cow lines; the process
// limit; the 2.6 reuse rule.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exec } from '../../kernel/exec.js';
import { set_fork_tlb_flush, max_threads } from '../../kernel/fork.js';
import { boot, type Kernel } from '../../kernel/kernel.js';
import type { KernelVersion } from '../../kernel/machine.js';
import { MemMap } from '../../kernel/page.js';
import { nr_free_pages } from '../../kernel/page_alloc.js';
import { profile } from '../../kernel/profiles.js';
import { run } from '../../kernel/sched.js';
import type { TraceKind } from '../../kernel/trace.js';
import { uaccess_init } from '../../kernel/uaccess.js';
import { buildWithFaultline } from './exec_harness.js';

const COW_FORK = fileURLToPath(new URL('../../../guest-programs/cow-fork.s', import.meta.url));

interface Run {
  k: Kernel;
  stdout: string;
  trace: string[];
  status: number;
  freeAtBoot: number;
  /** page->_refcount and _mapcount of every frame before exec. */
  refsAtBoot: Int32Array;
  mapsAtBoot: Int32Array;
}

function runElf(elf: Uint8Array, opts: { mem?: number; version?: KernelVersion; trace?: TraceKind[]; setup?: (k: Kernel) => void } = {}): Run {
  const out: number[] = [];
  const trace: string[] = [];
  const k = boot({
    memBytes: opts.mem ?? 32 << 20,
    version: opts.version,
    trace: opts.trace,
    io: { readStdin: () => new Uint8Array(0), write: (_fd, b) => { out.push(...b); } },
    printk: () => {},
    traceLine: (l) => trace.push(l),
  });
  opts.setup?.(k);
  uaccess_init(k); // the kernel's bounce buffer is allocated once and kept: not part of what a run frees
  const freeAtBoot = nr_free_pages(k.zone);
  const refsAtBoot = k.zone.mem_map._refcount.slice();
  const mapsAtBoot = k.zone.mem_map._mapcount.slice();
  const t = exec(k, elf, { filename: './prog', argv: ['./prog'], envp: [] });
  if (typeof t === 'string') throw new Error(t);
  assert.is(run(k, 20_000_000), 'idle');
  return { k, stdout: new TextDecoder().decode(Uint8Array.from(out)), trace, status: t.exit_code, freeAtBoot, refsAtBoot, mapsAtBoot };
}

const cowFork = (): Uint8Array => buildWithFaultline(readFileSync(COW_FORK, 'utf8'), 'cow-fork.s');

test('cow-fork: parent and child each see their own value; the second writer reuses the frame', () => {
  const r = runElf(cowFork(), { trace: ['cow'] });
  assert.is(r.status, 0);
  assert.match(r.stdout, /parent: wrote 2 after fork, page faults: 1\n/);
  assert.match(r.stdout, /child:  sees 1\n/);
  assert.match(r.stdout, /child:  wrote 3, page faults: 1\n/);
  assert.match(r.stdout, /parent: after the child exited, sees 2\n/);
  const data = r.trace.filter((l) => l.includes(' 0x403000 '));
  assert.is(data.length, 2, data.join('\n'));
  const copy = /^\[cow pid 2\] 0x403000 copy: pfn (\d+) \(refcount 2, mapcount 2 -> refcount 1, mapcount 1\) -> new pfn (\d+) \(refcount 1, mapcount 1\)$/.exec(data[0]);
  assert.ok(copy, data[0]);
  const reuse = /^\[cow pid 3\] 0x403000 reuse: pfn (\d+) \(refcount 1 -> 1, mapcount 1\)/.exec(data[1]);
  assert.ok(reuse, data[1]);
  assert.is(reuse![1], copy![1], 'the child reuses the very frame the parent copied away from');
  assert.is.not(copy![2], copy![1]);
});

test('TLB: without the flush after fork the parent writes through a stale writable entry into the shared frame', () => {
  const good = runElf(cowFork());
  assert.match(good.stdout, /child:  sees 1\n/);
  const bad = runElf(cowFork(), { setup: (k) => set_fork_tlb_flush(k, false) });
  // The parent's write took no fault and landed in the frame the child maps: the child sees 2.
  assert.match(bad.stdout, /parent: wrote 2 after fork, page faults: 0\n/);
  assert.match(bad.stdout, /child:  sees 2\n/);
  assert.is.not(bad.stdout, good.stdout);
});

// 20 rounds: a shared anonymous area is mapped and half touched; fork; the child writes 8 private pages (COW
// copies) and the 4 shared pages, then exits; the parent waits, writes its 8 pages again (reuse) and unmaps
// the shared area, whose shmem pages must then go back to the allocator.
const ROUNDS_SRC = `
	.globl _start
	.text
_start:
	mov $20, %r15
	mov $9, %eax
	xor %edi, %edi
	mov $8 * 4096, %esi
	mov $3, %edx
	mov $0x22, %r10d
	mov $-1, %r8
	xor %r9d, %r9d
	syscall
	mov %rax, %r14
	mov $1, %esi
	call touch8
round:
	mov $9, %eax
	xor %edi, %edi
	mov $4 * 4096, %esi
	mov $3, %edx
	mov $0x21, %r10d
	mov $-1, %r8
	xor %r9d, %r9d
	syscall
	mov %rax, %r13
	movq $1, (%r13)
	movq $1, 4096(%r13)
	mov $57, %eax
	syscall
	test %rax, %rax
	jnz parent
	mov $2, %esi
	call touch8
	movq $2, (%r13)
	movq $2, 4096(%r13)
	movq $2, 8192(%r13)
	movq $2, 12288(%r13)
	mov $60, %eax
	xor %edi, %edi
	syscall
parent:
	mov %rax, %rdi
	xor %esi, %esi
	xor %edx, %edx
	xor %r10d, %r10d
	mov $61, %eax
	syscall
	cmpq $2, 12288(%r13)
	jne fail
	mov $3, %esi
	call touch8
	mov $11, %eax
	mov %r13, %rdi
	mov $4 * 4096, %esi
	syscall
	dec %r15
	jnz round
	mov $60, %eax
	xor %edi, %edi
	syscall
fail:
	mov $60, %eax
	mov $1, %edi
	syscall
touch8:
	xor %ecx, %ecx
1:	mov %rsi, (%r14,%rcx)
	add $4096, %rcx
	cmp $8 * 4096, %rcx
	jne 1b
	ret
`;

test('frames are reclaimed: after 20 fork/COW/exit rounds with private and shared anonymous memory, every frame is free again', () => {
  const r = runElf(buildWithFaultline(ROUNDS_SRC, 'rounds.s'));
  assert.is(r.status, 0, 'the child wrote the shared pages, the parent saw it');
  assert.ok(r.k.stats.cow_copies >= 20 * 8, `cow copies ${r.k.stats.cow_copies}`);
  assert.ok(r.k.stats.cow_reuses >= 20 * 8, `cow reuses ${r.k.stats.cow_reuses}`);
  assert.is(nr_free_pages(r.k.zone), r.freeAtBoot, 'free frames after the run = free frames at boot');
  const m = r.k.zone.mem_map;
  for (let pfn = 0; pfn < m.nr_pages; pfn++) {
    if (m._refcount[pfn] !== r.refsAtBoot[pfn] || m._mapcount[pfn] !== r.mapsAtBoot[pfn]) {
      assert.unreachable(`pfn ${pfn}: refcount ${m._refcount[pfn]} mapcount ${m._mapcount[pfn] + 1} (at boot ${r.refsAtBoot[pfn]}, ${r.mapsAtBoot[pfn] + 1})`);
    }
  }
});

const BOMB_SRC = `
	.globl _start
	.text
_start:
	xor %ebx, %ebx
1:	mov $57, %eax
	syscall
	test %rax, %rax
	jz child
	js 2f
	inc %ebx
	jmp 1b
2:	cmp $-11, %rax
	jne 3f
	mov %ebx, %edi
	mov $60, %eax
	syscall
3:	mov $60, %eax
	mov $255, %edi
	syscall
child:
	mov $60, %eax
	xor %edi, %edi
	syscall
`;

test('process limit: a fork bomb gets -EAGAIN once max_threads tasks exist (zombies count)', () => {
  const r = runElf(buildWithFaultline(BOMB_SRC, 'bomb.s'), { mem: 8 << 20 });
  const limit = max_threads(r.k);
  assert.is(limit, 64, '8 MiB: one task per 32 pages');
  // init and the parent are 2 of the tasks; the rest are the children, zombies until the parent exits
  assert.is(r.status, (limit - 2) << 8);
  assert.is(nr_free_pages(r.k.zone), r.freeAtBoot);
});

test('2.6 reuse rule: only one mapping is needed (5.10 also wants no other reference)', () => {
  const m = new MemMap(4);
  m._refcount[1] = 2; // e.g. a reference held by someone that is not a page table
  m._mapcount[1] = 0;
  m.flags[1] |= 1 << 28; // PG_anon
  const k510 = boot({ memBytes: 4 << 20, io: { readStdin: () => new Uint8Array(0), write: () => {} } });
  const k26 = boot({ memBytes: 4 << 20, version: '2.6', io: { readStdin: () => new Uint8Array(0), write: () => {} } });
  assert.is(profile(k510).wp_can_reuse(m, 1), false);
  assert.is(profile(k26).wp_can_reuse(m, 1), true);
  const r = runElf(cowFork(), { version: '2.6', trace: ['cow'] });
  assert.match(r.stdout, /child:  sees 1\n/);
  assert.ok(r.trace.some((l) => /pid 3\] 0x403000 reuse/.test(l)));
});

test.run();
