// handle_mm_fault's handlers (5.10 mm/memory.c; seeds 000 and 002): the zero page, copy-on-write and
// its reuse rule per profile, file pages with fault-around, private and shared writes, shmem.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { file } from '../../kernel/filemap.js';
import { fault_around_bytes } from '../../kernel/memory_fault.js';
import {
  MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED, MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES, PROT_READ, PROT_WRITE,
} from '../../kernel/mm_constants.js';
import { get_mm_counter, inc_mm_counter } from '../../kernel/mm_types.js';
import { PG_dirty, PageFlag, get_page, page_count, page_mapcount } from '../../kernel/page.js';
import { ptep_get, ptep_set_wrprotect, set_pte_at, walk_pte } from '../../kernel/pgalloc.js';
import { __pte, pte_exec, pte_pfn, pte_special, pte_write, pte_dirty, pte_none } from '../../kernel/pgtable.js';
import { page_add_anon_rmap } from '../../kernel/rmap.js';
import { shmem_file } from '../../kernel/shmem.js';
import { BUS_ADRERR, SIGBUS } from '../../kernel/signal_defs.js';
import { addProcess, fault, faultMachine, lastFaultTrace, mmap, pendingSignals, pteAt, switchTo, type FaultMachine } from './fault-machine.js';

const PROT = 1, WRITE = 2, USER = 4;
const RW = PROT_READ | PROT_WRITE;

function byteAt(fm: FaultMachine, addr: number): number {
  return fm.k.mem.u8[pte_pfn(pteAt(fm, addr)!) * 4096 + (addr % 4096)];
}

function filled(pages: number, byte: (page: number) => number): Uint8Array {
  const b = new Uint8Array(pages * 4096);
  for (let p = 0; p < pages; p++) b.fill(byte(p), p * 4096, (p + 1) * 4096);
  return b;
}

test('do_anonymous_page: a read maps the zero page read-only, special and NX; a write then copies it', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW);
  const zero = fm.k.zone.zero_pfn;
  const zeroRefs = page_count(fm.k.zone.mem_map, zero);
  fault(fm, a, USER);
  let pte = pteAt(fm, a)!;
  assert.is(pte_pfn(pte), zero);
  assert.ok(pte_special(pte));
  assert.not.ok(pte_write(pte));
  assert.not.ok(pte_exec(pte));
  assert.is(page_count(fm.k.zone.mem_map, zero), zeroRefs, 'the zero page is not reference counted');
  assert.is(get_mm_counter(fm.mm, MM_ANONPAGES), 0);
  fault(fm, a, USER | WRITE | PROT);
  pte = pteAt(fm, a)!;
  assert.is.not(pte_pfn(pte), zero);
  assert.ok(pte_write(pte) && pte_dirty(pte));
  assert.is(get_mm_counter(fm.mm, MM_ANONPAGES), 1);
  assert.is(fm.k.stats.cow_copies, 1);
  assert.match(lastFaultTrace(fm), 'do_wp_page > wp_page_copy: zero page -> new page => minor fault');
  assert.ok(fm.trace.some((l) => l.includes('zero page -> pfn')));
});

test('handle_pte_fault: a present pte the TLB had stale is only marked young/dirty (no new page)', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW);
  fault(fm, a, USER | WRITE);
  const before = pteAt(fm, a)!;
  fault(fm, a, USER | WRITE | PROT);
  assert.is(pte_pfn(pteAt(fm, a)!), pte_pfn(before));
  assert.match(lastFaultTrace(fm), 'handle_pte_fault: pte present => minor fault');
});

/** Give a second process the same anonymous page, write-protected in both (what fork's COW does). */
function shareLikeFork(fm: FaultMachine, a: number): void {
  const m = fm.k.zone.mem_map;
  fault(fm, a, USER | WRITE);
  const ptep = walk_pte(fm.mm, a)!;
  ptep_set_wrprotect(fm.mm, a, ptep);
  const shared = ptep_get(fm.k.mem, ptep);
  const pfn = pte_pfn(shared);
  const child = addProcess(fm, 3, 'child');
  mmap(fm, 4096, RW, MAP_PRIVATE | MAP_ANONYMOUS, a);
  const vma = child.mm!.mmap!;
  vma.anon_vma = fm.mm.mmap!.anon_vma;
  vma.anon_vma_chain = [...fm.mm.mmap!.anon_vma_chain];
  fault(fm, a, USER); // builds the child's page tables (and maps the zero page, replaced below)
  get_page(m, pfn);
  page_add_anon_rmap(m, pfn, vma, a);
  inc_mm_counter(child.mm!, MM_ANONPAGES);
  set_pte_at(child.mm!, a, walk_pte(child.mm!, a)!, shared);
}

test('do_wp_page: a page shared after fork is copied for the writer; the last holder then reuses it', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW);
  shareLikeFork(fm, a);
  const m = fm.k.zone.mem_map;
  const shared = pte_pfn(pteAt(fm, a)!);
  assert.is(page_count(m, shared), 2);
  assert.is(page_mapcount(m, shared), 2);
  fault(fm, a, USER | WRITE | PROT); // the child writes: copy
  assert.is.not(pte_pfn(pteAt(fm, a)!), shared);
  assert.is(fm.k.stats.cow_copies, 1);
  assert.is(page_count(m, shared), 1);
  switchTo(fm, fm.t);
  fault(fm, a, USER | WRITE | PROT); // the parent writes: nobody else holds it now: reuse
  assert.is(pte_pfn(pteAt(fm, a)!), shared);
  assert.ok(pte_write(pteAt(fm, a)!));
  assert.is(fm.k.stats.cow_reuses, 1);
  assert.match(lastFaultTrace(fm), 'do_wp_page > wp_page_reuse => minor fault');
});

test('do_wp_page reuse rule: 5.10 needs page_count 1, 4.19 and 2.6 only mapcount 1', () => {
  for (const [version, reuse] of [['5.10', false], ['4.19', true], ['2.6', true]] as const) {
    const fm = faultMachine({ version });
    const a = mmap(fm, 4096, RW);
    fault(fm, a, USER | WRITE);
    const pfn = pte_pfn(pteAt(fm, a)!);
    ptep_set_wrprotect(fm.mm, a, walk_pte(fm.mm, a)!);
    fm.k.mmu.flushAll();
    get_page(fm.k.zone.mem_map, pfn); // an extra reference (say, a pinned page), still one mapping
    fault(fm, a, USER | WRITE | PROT);
    assert.is(pte_pfn(pteAt(fm, a)!) === pfn, reuse, version);
    assert.is(fm.k.stats.cow_reuses, reuse ? 1 : 0, version);
  }
});

test('do_read_fault: fault-around maps the cached pages of a 64 KiB window, read-only, in one fault', () => {
  assert.is(fault_around_bytes, 65536);
  const fm = faultMachine();
  const f = new file('prog', filled(40, (p) => p + 1));
  const a = mmap(fm, 40 * 4096, PROT_READ, MAP_PRIVATE, 0x400000, f, 0);
  fault(fm, a + 5 * 4096 + 12, USER);
  for (let p = 0; p < 40; p++) {
    const pte = pteAt(fm, a + p * 4096);
    const mapped = pte !== null && !pte_none(pte);
    assert.is(mapped, p < 16, `page ${p}`);
    if (mapped) {
      assert.not.ok(pte_write(pte!));
      assert.is(byteAt(fm, a + p * 4096), p + 1);
    }
  }
  assert.is(fm.t.min_flt, 1);
  assert.is(get_mm_counter(fm.mm, MM_FILEPAGES), 16);
  assert.match(lastFaultTrace(fm), 'do_read_fault > do_fault_around (16 pages) => minor fault');
  // the window is clipped to the VMA: a VMA starting mid-window maps from its start
  const b = mmap(fm, 8 * 4096, PROT_READ, MAP_PRIVATE, 0x500000 + 3 * 4096, f, 3);
  fault(fm, b + 4096, USER);
  assert.is(get_mm_counter(fm.mm, MM_FILEPAGES), 16 + 8);
  assert.is(byteAt(fm, b), 4);
});

test('2.6 has no fault-around: one page per read fault', () => {
  const fm = faultMachine({ version: '2.6' });
  const f = new file('prog', filled(16, (p) => p));
  const a = mmap(fm, 16 * 4096, PROT_READ, MAP_PRIVATE, 0x400000, f, 0);
  fault(fm, a, USER);
  assert.is(get_mm_counter(fm.mm, MM_FILEPAGES), 1);
  assert.match(lastFaultTrace(fm), 'do_read_fault > filemap_fault: page cache => minor fault');
});

test('do_cow_fault: a first write to a private file page copies it; the page cache keeps the original', () => {
  const fm = faultMachine();
  const f = new file('data', filled(2, () => 0x33));
  const a = mmap(fm, 2 * 4096, RW, MAP_PRIVATE, 0x600000, f, 0);
  fault(fm, a, USER | WRITE);
  const pte = pteAt(fm, a)!;
  assert.ok(pte_write(pte));
  assert.is(byteAt(fm, a), 0x33);
  fm.k.mem.u8[pte_pfn(pte) * 4096] = 0x44;
  const cached = f.f_mapping.i_pages.get(0)!;
  assert.is.not(cached, pte_pfn(pte));
  assert.is(fm.k.mem.u8[cached * 4096], 0x33);
  assert.is(page_count(fm.k.zone.mem_map, cached), 1, 'only the cache holds it');
  assert.is(get_mm_counter(fm.mm, MM_ANONPAGES), 1);
  assert.is(get_mm_counter(fm.mm, MM_FILEPAGES), 0);
  assert.match(lastFaultTrace(fm), 'do_cow_fault > filemap_fault: page cache => minor fault');
  // read first, then write: the read maps the cache page, the write copies it (wp_page_copy)
  fault(fm, a + 4096, USER);
  assert.is(get_mm_counter(fm.mm, MM_FILEPAGES), 1);
  fault(fm, a + 4096, USER | WRITE | PROT);
  assert.is(get_mm_counter(fm.mm, MM_FILEPAGES), 0);
  assert.is(get_mm_counter(fm.mm, MM_ANONPAGES), 2);
  assert.match(lastFaultTrace(fm), 'do_wp_page > wp_page_copy => minor fault');
});

test('shmem (MAP_SHARED|MAP_ANONYMOUS): two processes share the page; do_shared_fault dirties it', () => {
  const fm = faultMachine();
  const a = mmap(fm, 2 * 4096, RW, MAP_SHARED | MAP_ANONYMOUS, 0x700000);
  const shm = fm.mm.mmap!.vm_file;
  assert.ok(shm instanceof shmem_file);
  fault(fm, a, USER | WRITE);
  const pfn = pte_pfn(pteAt(fm, a)!);
  fm.k.mem.u8[pfn * 4096] = 0x5a;
  assert.ok(PageFlag(fm.k.zone.mem_map, pfn, PG_dirty));
  assert.is(get_mm_counter(fm.mm, MM_SHMEMPAGES), 1);
  assert.match(lastFaultTrace(fm), 'do_shared_fault > shmem_fault: new page => minor fault');
  // another process maps the same object (what fork's dup_mmap gives the child)
  addProcess(fm, 3, 'child');
  const b = mmap(fm, 2 * 4096, RW, MAP_SHARED, 0x700000, shm, 0);
  fault(fm, b, USER);
  assert.is(pte_pfn(pteAt(fm, b)!), pfn);
  assert.is(byteAt(fm, b), 0x5a);
  assert.ok(pte_write(pteAt(fm, b)!), 'a shared writable mapping is writable from the first read');
  assert.is(page_mapcount(fm.k.zone.mem_map, pfn), 2);
  // past the object's size: SIGBUS
  const c = mmap(fm, 4 * 4096, RW, MAP_SHARED, 0x800000, shm, 0);
  fault(fm, c + 3 * 4096, USER);
  assert.equal(pendingSignals(fm), [[SIGBUS, BUS_ADRERR, c + 3 * 4096]]);
});

test('wp_page_shared: a read-only pte in a shared writable mapping is made writable in place', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW, MAP_SHARED | MAP_ANONYMOUS);
  fault(fm, a, USER | WRITE);
  const pfn = pte_pfn(pteAt(fm, a)!);
  ptep_set_wrprotect(fm.mm, a, walk_pte(fm.mm, a)!);
  fault(fm, a, USER | WRITE | PROT);
  assert.is(pte_pfn(pteAt(fm, a)!), pfn);
  assert.ok(pte_write(pteAt(fm, a)!));
  assert.match(lastFaultTrace(fm), 'do_wp_page > wp_page_shared > wp_page_reuse');
});

test('a non-present pte that is not PROT_NONE is a bad swap entry: SIGBUS, never a crash', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW);
  fault(fm, a, USER | WRITE);
  set_pte_at(fm.mm, a, walk_pte(fm.mm, a)!, __pte(0x12345000, 0));
  fault(fm, a, USER);
  assert.equal(pendingSignals(fm), [[SIGBUS, BUS_ADRERR, a]]);
  assert.ok(fm.log.some((l) => l.startsWith('BUG: Bad page map in process prog')));
});

test('a PROT_NONE pte in an accessible VMA (NUMA hinting) gets the VMA protection back', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, RW);
  fault(fm, a, USER | WRITE);
  const pfn = pte_pfn(pteAt(fm, a)!);
  set_pte_at(fm.mm, a, walk_pte(fm.mm, a)!, __pte(pfn * 4096 + 0x100 /* _PAGE_PROTNONE */, 0));
  fault(fm, a, USER);
  assert.is(pte_pfn(pteAt(fm, a)!), pfn);
  assert.ok((pteAt(fm, a)!.lo & 1) === 1, 'present again');
  assert.match(lastFaultTrace(fm), 'do_numa_page');
});

test('a file-backed VMA with no page cache behind it (no ->fault) is SIGBUS', () => {
  const fm = faultMachine();
  const a = mmap(fm, 4096, PROT_READ, MAP_PRIVATE, 0x900000, { name: 'opaque' }, 0);
  fault(fm, a, USER);
  assert.equal(pendingSignals(fm), [[SIGBUS, BUS_ADRERR, a]]);
  assert.match(lastFaultTrace(fm), 'do_fault: no ->fault');
});

test.run();
