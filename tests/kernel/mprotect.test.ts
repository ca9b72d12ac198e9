import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  EACCES, EINVAL, ENOMEM, MADV_DONTNEED, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MAP_SHARED, MM_ANONPAGES, PAGE_SIZE,
  PROT_EXEC, PROT_GROWSDOWN, PROT_NONE, PROT_READ, PROT_WRITE, VM_ACCOUNT, VM_MAYEXEC, VM_MAYREAD, VM_MAYWRITE,
  VM_READ, VM_WRITE,
} from '../../kernel/mm_constants.js';
import { do_mmap } from '../../kernel/mmap.js';
import { do_mprotect_pkey } from '../../kernel/mprotect.js';
import { do_madvise } from '../../kernel/madvise.js';
import { get_mm_counter } from '../../kernel/mm_types.js';
import { nr_free_pages } from '../../kernel/page_alloc.js';
import { pte_exec, pte_none, pte_pfn, pte_present, pte_protnone, pte_write } from '../../kernel/pgtable.js';
import { find_vma } from '../../kernel/vma.js';
import { layout, machine, pte_at, touch } from './mm_helpers.js';

const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const RW = PROT_READ | PROT_WRITE;
const MAY = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
const PRIV_RW = VM_READ | VM_WRITE | MAY | VM_ACCOUNT;
const A = 0x400000;
const P = PAGE_SIZE;
const mprotect = (mm: Parameters<typeof do_mprotect_pkey>[0], s: number, l: number, p: number) => do_mprotect_pkey(mm, s, l, p, -1);

test('mprotect in the middle splits in three; restoring merges back to one (case 6)', () => {
  const { mm } = machine();
  do_mmap(mm, null, A, 3 * P, RW, ANON | MAP_FIXED, 0);
  assert.is(mprotect(mm, A + P, P, PROT_READ), 0);
  assert.equal(layout(mm), [
    [A, A + P, PRIV_RW],
    [A + P, A + 2 * P, VM_READ | MAY | VM_ACCOUNT], // stays charged, as Linux
    [A + 2 * P, A + 3 * P, PRIV_RW],
  ]);
  assert.equal(layout(mm).map(([s]) => find_vma(mm, s)!.vm_pgoff), [A / P, A / P + 1, A / P + 2]);
  assert.is(mprotect(mm, A + P, P, RW), 0);
  assert.equal(layout(mm), [[A, A + 3 * P, PRIV_RW]]);
  assert.is(mm.map_count, 1);
  assert.is(mm.total_vm, 3);
});

test('a read-only mapping made writable gains VM_ACCOUNT and merges with its writable neighbour', () => {
  const { mm } = machine();
  const hi = do_mmap(mm, null, 0, 2 * P, RW, ANON, 0);
  const lo = do_mmap(mm, null, 0, P, PROT_READ, ANON, 0);
  assert.is(lo, hi - P);
  assert.is(mm.map_count, 2);
  assert.is(mprotect(mm, lo, P, RW), 0);
  assert.equal(layout(mm), [[lo, hi + 2 * P, PRIV_RW]], 'as native /proc/self/maps shows');
});

test('boundary moves between neighbours: case 4 (next grows down) and case 5 (prev grows up)', () => {
  const { mm } = machine();
  do_mmap(mm, null, A, 3 * P, RW, ANON | MAP_FIXED, 0);
  do_mmap(mm, null, A + 3 * P, 3 * P, PROT_READ, ANON | MAP_FIXED, 0);
  const RO = VM_READ | MAY;
  assert.is(mprotect(mm, A + 2 * P, P, PROT_READ), 0); // last page of the RW VMA -> joins the RO one
  // the page keeps VM_ACCOUNT, so it cannot join the uncharged RO VMA: Linux splits instead
  assert.equal(layout(mm), [[A, A + 2 * P, PRIV_RW], [A + 2 * P, A + 3 * P, RO | VM_ACCOUNT], [A + 3 * P, A + 6 * P, RO]]);
  const { mm: mm2 } = machine();
  do_mmap(mm2, null, A, 3 * P, PROT_READ, ANON | MAP_FIXED, 0);
  do_mmap(mm2, null, A + 3 * P, 3 * P, PROT_READ | PROT_EXEC, ANON | MAP_FIXED, 0);
  assert.is(mprotect(mm2, A + 2 * P, P, PROT_READ | PROT_EXEC), 0); // case 4
  assert.equal(layout(mm2).map(([s, e]) => [s, e]), [[A, A + 2 * P], [A + 2 * P, A + 6 * P]]);
  assert.is(find_vma(mm2, A + 2 * P)!.vm_pgoff, (A + 2 * P) / P, 'next grew down: pgoff moved with it');
  assert.is(mprotect(mm2, A + 2 * P, 2 * P, PROT_READ), 0); // case 5
  assert.equal(layout(mm2).map(([s, e]) => [s, e]), [[A, A + 4 * P], [A + 4 * P, A + 6 * P]]);
  assert.is(find_vma(mm2, A + 4 * P)!.vm_pgoff, (A + 4 * P) / P);
  assert.is(mm2.map_count, 2);
});

test('mprotect rewrites present PTEs and flushes each page that lost a permission', () => {
  const { mm, tlb } = machine();
  do_mmap(mm, null, A, 4 * P, RW, ANON | MAP_FIXED, 0);
  const pfn0 = touch(mm, A);
  touch(mm, A + 2 * P);
  assert.ok(pte_write(pte_at(mm, A)!));
  tlb.reset();
  assert.is(mprotect(mm, A, 4 * P, PROT_READ), 0);
  assert.not.ok(pte_write(pte_at(mm, A)!));
  assert.is(pte_pfn(pte_at(mm, A)!), pfn0);
  assert.ok(tlb.covers(A) && tlb.covers(A + 2 * P), 'stale writable translations flushed');
  assert.is(tlb.all, 0, 'a 4-page range flushes page by page (invlpg)');
  tlb.reset();
  assert.is(mprotect(mm, A, 4 * P, PROT_NONE), 0);
  assert.ok(pte_protnone(pte_at(mm, A)!) && pte_present(pte_at(mm, A)!), 'PROT_NONE keeps the page');
  assert.ok(tlb.covers(A));
  tlb.reset();
  assert.is(mprotect(mm, A, 4 * P, PROT_READ | PROT_WRITE | PROT_EXEC), 0);
  assert.not.ok(pte_write(pte_at(mm, A)!), 'private writable stays read-only: the next write is a COW fault');
  assert.ok(pte_exec(pte_at(mm, A)!));
});

test('mprotect of a large range flushes everything at once; of an empty range, nothing', () => {
  const { mm, tlb } = machine();
  do_mmap(mm, null, A, 64 * P, RW, ANON | MAP_FIXED, 0);
  tlb.reset();
  assert.is(mprotect(mm, A, 64 * P, PROT_READ), 0);
  assert.is(tlb.all + tlb.pages.length, 0, 'no PTE existed: nothing to flush');
  touch(mm, A + 5 * P);
  assert.is(mprotect(mm, A, 64 * P, RW), 0);
  tlb.reset();
  assert.is(mprotect(mm, A, 64 * P, PROT_READ), 0);
  assert.is(tlb.all, 1, 'more than 33 pages: one full flush');
});

test('mprotect errors: alignment, holes, VM_MAY* limits, bad prot', () => {
  const { mm } = machine();
  do_mmap(mm, null, A, 2 * P, RW, ANON | MAP_FIXED, 0);
  do_mmap(mm, null, A + 3 * P, P, RW, ANON | MAP_FIXED, 0);
  assert.is(mprotect(mm, A + 1, P, PROT_READ), -EINVAL);
  assert.is(mprotect(mm, A, 0, PROT_READ), 0);
  assert.is(mprotect(mm, A, P, 0x10), -EINVAL);
  assert.is(mprotect(mm, A, P, PROT_READ | PROT_GROWSDOWN), -EINVAL, 'not a growsdown VMA');
  assert.is(mprotect(mm, 0x100000, P, PROT_READ), -ENOMEM, 'nothing mapped there');
  assert.is(mprotect(mm, A, 4 * P, PROT_READ), -ENOMEM, 'a hole inside the range');
  assert.is(find_vma(mm, A)!.vm_flags & VM_WRITE, 0, 'the part before the hole was changed, as Linux');
  const file = { name: 'ro.bin' };
  const f = do_mmap(mm, file, 0, P, PROT_READ, MAP_SHARED, 0);
  assert.is(mprotect(mm, f, P, RW), -EACCES, 'shared mapping of a read-only file');
});

test('MADV_DONTNEED zaps pages: rss down, frames freed, TLB flushed, VMA kept', () => {
  const { mm, zone, tlb } = machine();
  do_mmap(mm, null, A, 4 * P, RW, ANON | MAP_FIXED, 0);
  touch(mm, A);
  touch(mm, A + 3 * P);
  const free = nr_free_pages(zone);
  tlb.reset();
  assert.is(do_madvise(mm, A, 4 * P, MADV_DONTNEED), 0);
  assert.ok(pte_none(pte_at(mm, A)!) && pte_none(pte_at(mm, A + 3 * P)!));
  assert.is(get_mm_counter(mm, MM_ANONPAGES), 0);
  assert.is(nr_free_pages(zone), free + 2);
  assert.ok(tlb.covers(A) && tlb.covers(A + 3 * P));
  assert.is(mm.map_count, 1);
  assert.is(do_madvise(mm, A - P, 2 * P, MADV_DONTNEED), -ENOMEM, 'a hole: -ENOMEM after doing the rest');
  assert.is(do_madvise(mm, A + 1, P, MADV_DONTNEED), -EINVAL);
  assert.is(do_madvise(mm, A, P, 12345), -EINVAL);
});

test.run();
