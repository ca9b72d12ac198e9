import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  EEXIST, EINVAL, ENOMEM, EPERM, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_NORESERVE,
  MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, MM_ANONPAGES, PAGE_SIZE, PROT_READ, PROT_WRITE, TASK_SIZE,
  VM_ACCOUNT, VM_GROWSDOWN, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_MAYWRITE, VM_NORESERVE, VM_READ, VM_SHARED,
  VM_WRITE,
} from '../../kernel/mm_constants.js';
import { do_mmap, vm_munmap } from '../../kernel/mmap.js';
import { find_vma, find_vma_prev } from '../../kernel/vma.js';
import { get_mm_counter } from '../../kernel/mm_types.js';
import { nr_free_pages } from '../../kernel/page_alloc.js';
import { mmput } from '../../kernel/mm_init.js';
import { layout, machine, pte_at, touch } from './mm_helpers.js';

const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const RW = PROT_READ | PROT_WRITE;
const MAY = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
const PRIV_RW = VM_READ | VM_WRITE | MAY | VM_ACCOUNT;
const TOP = 0x7ffff7fff000; // mmap_base with an 8 MiB stack limit, no randomization (as `setarch -R`)

test('anonymous mmaps go top-down from mmap_base and merge with the one above', () => {
  const { mm } = machine();
  assert.is(mm.mmap_base, TOP);
  const a = do_mmap(mm, null, 0, PAGE_SIZE, RW, ANON, 0);
  const b = do_mmap(mm, null, 0, PAGE_SIZE, RW, ANON, 0);
  assert.is(a, TOP - PAGE_SIZE);
  assert.is(b, TOP - 2 * PAGE_SIZE);
  assert.equal(layout(mm), [[b, TOP, PRIV_RW]], 'one VMA, as /proc/self/maps shows natively');
  assert.is(mm.map_count, 1);
  assert.is(mm.total_vm, 2);
  assert.is(mm.data_vm, 2);
  assert.is(find_vma(mm, b)!.vm_pgoff, b / PAGE_SIZE, 'private anon pgoff is the linear page index');
  assert.is(pte_at(mm, a), null, 'mmap populates nothing');
});

test('vm_flags from PROT/MAP bits as calc_vm_prot_bits/calc_vm_flag_bits', () => {
  const { mm } = machine();
  const ro = do_mmap(mm, null, 0, PAGE_SIZE, PROT_READ, ANON, 0);
  assert.is(find_vma(mm, ro)!.vm_flags, VM_READ | MAY, 'read-only private: no VM_ACCOUNT');
  const sh = do_mmap(mm, null, 0, PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, 0);
  const shv = find_vma(mm, sh)!;
  assert.is(shv.vm_flags, VM_READ | VM_WRITE | MAY | VM_SHARED | VM_MAYSHARE);
  assert.is(shv.vm_pgoff, 0);
  assert.ok(shv.vm_file !== null, 'shared anonymous memory is a shmem object');
  const nr = do_mmap(mm, null, 0, PAGE_SIZE, RW, ANON | MAP_NORESERVE, 0);
  assert.is(find_vma(mm, nr)!.vm_flags, VM_READ | VM_WRITE | MAY | VM_NORESERVE);
  const gd = do_mmap(mm, null, 0, PAGE_SIZE, RW, ANON | MAP_GROWSDOWN, 0);
  assert.is(find_vma(mm, gd)!.vm_flags & VM_GROWSDOWN, VM_GROWSDOWN);
  assert.is(mm.map_count, 4, 'no two of these merge');
});

test('argument errors match Linux', () => {
  const { mm } = machine();
  assert.is(do_mmap(mm, null, 0, 0, RW, ANON, 0), -EINVAL, 'len 0');
  assert.is(do_mmap(mm, null, 0, PAGE_SIZE, RW, MAP_ANONYMOUS, 0), -EINVAL, 'neither private nor shared');
  assert.is(do_mmap(mm, null, 0, PAGE_SIZE, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, 0), -EINVAL);
  assert.is(do_mmap(mm, null, 0x10001, PAGE_SIZE, RW, ANON | MAP_FIXED, 0), -EINVAL, 'unaligned MAP_FIXED');
  assert.is(do_mmap(mm, null, 0, PAGE_SIZE, RW, ANON | MAP_FIXED, 0), -EPERM, 'below mmap_min_addr');
  assert.is(do_mmap(mm, null, 0, PAGE_SIZE, RW, MAP_ANONYMOUS | MAP_FIXED, 0), -EPERM, 'EPERM is checked first');
  assert.is(do_mmap(mm, null, 0, 2 ** 64 - 1, RW, ANON, 0), -ENOMEM, 'length wraps to 0');
  assert.is(do_mmap(mm, null, 0, TASK_SIZE + PAGE_SIZE, RW, ANON, 0), -ENOMEM, 'longer than user space');
  assert.is(do_mmap(mm, null, TASK_SIZE, PAGE_SIZE, RW, ANON | MAP_FIXED, 0), -ENOMEM, 'fixed past the top');
  assert.is(do_mmap(mm, null, 0, PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, 0), -EINVAL);
  assert.is(mm.map_count, 0);
});

test('hints: used when free, rounded to mmap_min_addr, ignored when taken', () => {
  const { mm } = machine();
  assert.is(do_mmap(mm, null, 0x10000000, PAGE_SIZE, RW, ANON, 0), 0x10000000);
  assert.is(do_mmap(mm, null, 0x10000000, PAGE_SIZE, RW, ANON, 0), TOP - PAGE_SIZE, 'taken: top-down');
  assert.is(do_mmap(mm, null, 0x100, PAGE_SIZE, RW, ANON, 0), TOP - 2 * PAGE_SIZE, 'rounds down to no hint');
  assert.is(do_mmap(mm, null, 0x1100, PAGE_SIZE, RW, ANON, 0), 0x1000);
});

test('MAP_FIXED replaces what is there (its pages are freed); MAP_FIXED_NOREPLACE refuses', () => {
  const { mm, zone } = machine();
  const a = do_mmap(mm, null, 0x400000, 4 * PAGE_SIZE, RW, ANON | MAP_FIXED, 0);
  touch(mm, a + PAGE_SIZE);
  const free = nr_free_pages(zone);
  assert.is(do_mmap(mm, null, a + PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED_NOREPLACE, 0), -EEXIST);
  assert.is(do_mmap(mm, null, a + PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, 0), a + PAGE_SIZE);
  assert.equal(layout(mm), [
    [a, a + PAGE_SIZE, PRIV_RW],
    [a + PAGE_SIZE, a + 2 * PAGE_SIZE, VM_READ | MAY],
    [a + 2 * PAGE_SIZE, a + 4 * PAGE_SIZE, PRIV_RW],
  ]);
  assert.is(nr_free_pages(zone), free + 1, 'the old page went back');
  assert.is(get_mm_counter(mm, MM_ANONPAGES), 0);
  assert.is(pte_at(mm, a + PAGE_SIZE)!.lo, 0);
});

test('find_vma returns the first VMA ending above addr, even when addr lies in a hole', () => {
  const { mm } = machine();
  const lo = do_mmap(mm, null, 0x400000, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, 0);
  const hi = do_mmap(mm, null, 0x800000, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, 0);
  assert.is(find_vma(mm, 0)!.vm_start, lo);
  assert.is(find_vma(mm, lo + PAGE_SIZE)!.vm_start, lo);
  assert.is(find_vma(mm, lo + 2 * PAGE_SIZE)!.vm_start, hi, 'vm_end is exclusive');
  assert.is(find_vma(mm, hi + PAGE_SIZE - 1)!.vm_start, hi);
  assert.is(find_vma(mm, hi + PAGE_SIZE), null);
  const r = find_vma_prev(mm, 0x600000);
  assert.is(r.vma!.vm_start, hi);
  assert.is(r.prev!.vm_start, lo);
  assert.is(find_vma_prev(mm, 0x900000).prev!.vm_start, hi, 'prev is the last VMA when none follows');
});

test('munmap in the middle splits; page tables go when nothing else uses them', () => {
  const { mm, zone, tlb } = machine();
  const before = nr_free_pages(zone);
  const a = do_mmap(mm, null, 0x400000, 3 * PAGE_SIZE, RW, ANON | MAP_FIXED, 0);
  for (let i = 0; i < 3; i++) touch(mm, a + i * PAGE_SIZE);
  assert.is(get_mm_counter(mm, MM_ANONPAGES), 3);
  tlb.reset();
  assert.is(vm_munmap(mm, a + PAGE_SIZE, PAGE_SIZE), 0);
  assert.equal(layout(mm), [[a, a + PAGE_SIZE, PRIV_RW], [a + 2 * PAGE_SIZE, a + 3 * PAGE_SIZE, PRIV_RW]]);
  assert.is(find_vma(mm, a + 2 * PAGE_SIZE)!.vm_pgoff, (a + 2 * PAGE_SIZE) / PAGE_SIZE, 'upper part keeps its offset');
  assert.ok(tlb.covers(a + PAGE_SIZE), 'the unmapped page was flushed');
  assert.is(get_mm_counter(mm, MM_ANONPAGES), 2);
  assert.is(mm.hiwater_rss, 3);
  assert.is(mm.pgtables_bytes, 3 * PAGE_SIZE, 'tables still serve the neighbours');
  assert.is(vm_munmap(mm, a, 3 * PAGE_SIZE), 0);
  assert.is(mm.map_count, 0);
  assert.is(mm.total_vm, 0);
  assert.is(mm.pgtables_bytes, 0, 'free_pgtables released pud, pmd and pte tables');
  assert.is(nr_free_pages(zone), before);
});

test('munmap argument checks and holes', () => {
  const { mm } = machine();
  assert.is(vm_munmap(mm, 0x400001, PAGE_SIZE), -EINVAL);
  assert.is(vm_munmap(mm, 0x400000, 0), -EINVAL);
  assert.is(vm_munmap(mm, TASK_SIZE, 2 * PAGE_SIZE), -EINVAL);
  assert.is(vm_munmap(mm, -(2 ** 47), PAGE_SIZE), -EINVAL, 'a kernel address');
  assert.is(vm_munmap(mm, 0x400000, PAGE_SIZE), 0, 'nothing mapped: success');
});

test('munmap across several VMAs and holes removes exactly the range', () => {
  const { mm } = machine();
  do_mmap(mm, null, 0x400000, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, 0);
  do_mmap(mm, null, 0x403000, 2 * PAGE_SIZE, PROT_READ, ANON | MAP_FIXED, 0);
  do_mmap(mm, null, 0x406000, 2 * PAGE_SIZE, RW, ANON | MAP_FIXED, 0);
  assert.is(vm_munmap(mm, 0x401000, 0x6000), 0);
  assert.equal(layout(mm).map(([s, e]) => [s, e]), [[0x400000, 0x401000], [0x407000, 0x408000]]);
  assert.is(mm.total_vm, 2);
});

test('exit tears everything down: every frame back, pgd freed', () => {
  const m = machine();
  const start = nr_free_pages(m.zone);
  const a = do_mmap(m.mm, null, 0, 64 * PAGE_SIZE, RW, ANON, 0);
  const b = do_mmap(m.mm, null, 0x400000, 8 * PAGE_SIZE, RW, ANON | MAP_FIXED, 0);
  for (let i = 0; i < 64; i += 3) touch(m.mm, a + i * PAGE_SIZE);
  touch(m.mm, b);
  m.tlb.reset();
  mmput(m.mm);
  assert.ok(m.tlb.all > 0, 'full flush on exit');
  assert.is(nr_free_pages(m.zone), start + 1, 'user pages, tables and the pgd itself');
});

test.run();
