// Random mmap/munmap/mprotect/madvise sequences over a small window, checked page by page against a
// plain model, plus the structural invariants of the VMA set and the page accounting.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  MADV_DONTNEED, MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MM_ANONPAGES, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE,
  VM_ACCOUNT,
} from '../../kernel/mm_constants.js';
import { do_mmap, vm_munmap } from '../../kernel/mmap.js';
import { do_mprotect_pkey } from '../../kernel/mprotect.js';
import { do_madvise } from '../../kernel/madvise.js';
import { get_mm_counter, type mm_struct } from '../../kernel/mm_types.js';
import { nr_free_pages } from '../../kernel/page_alloc.js';
import { pte_none, pte_present } from '../../kernel/pgtable.js';
import { find_vma } from '../../kernel/vma.js';
import { machine, pte_at, rng, touch } from './mm_helpers.js';

const P = PAGE_SIZE;
const BASE = 0x1ff000; // straddles a 2 MiB boundary: two pte tables
const N = 24;

/** Model page state: -1 unmapped, else prot | (charged ? 8 : 0). */
type Model = number[];

function check(mm: mm_struct, model: Model, touched: boolean[]): void {
  let prevEnd = -1;
  let count = 0;
  let rss = 0;
  for (let v = mm.mmap, i = 0; v !== null; v = v.vm_next, i++) {
    assert.is(mm.mm_rb[i], v, 'search array matches the list');
    assert.ok(v.vm_start < v.vm_end && v.vm_start >= prevEnd, 'sorted, non-empty, non-overlapping');
    assert.is(v.vm_pgoff, v.vm_start / P, 'private anonymous pgoff follows the address');
    if (v.vm_next) assert.is(v.vm_next.vm_prev, v);
    prevEnd = v.vm_end;
    count++;
  }
  assert.is(mm.map_count, count);
  assert.is(mm.mm_rb.length, count);
  let mapped = 0;
  for (let i = 0; i < N; i++) {
    const a = BASE + i * P;
    const vma = find_vma(mm, a);
    const inside = vma !== null && vma.vm_start <= a;
    if (model[i] < 0) {
      assert.not.ok(inside, `page ${i} unmapped`);
    } else {
      mapped++;
      assert.ok(inside, `page ${i} mapped`);
      assert.is(vma!.vm_flags & 7, model[i] & 7, `page ${i} prot`);
      assert.is((vma!.vm_flags & VM_ACCOUNT) !== 0, (model[i] & 8) !== 0, `page ${i} charged`);
    }
    const pte = pte_at(mm, a);
    const present = pte !== null && !pte_none(pte);
    assert.is(present, touched[i], `page ${i} pte`);
    if (present) {
      assert.ok(pte_present(pte!));
      rss++;
    }
  }
  assert.is(mm.total_vm, mapped);
  assert.is(get_mm_counter(mm, MM_ANONPAGES), rss);
}

/** With no page ever touched (no anon_vma), Linux leaves no two mergeable VMAs side by side. */
function checkMerged(mm: mm_struct): void {
  for (let v = mm.mmap; v !== null && v.vm_next !== null; v = v.vm_next) {
    assert.not.ok(v.vm_end === v.vm_next.vm_start && v.vm_flags === v.vm_next.vm_flags, 'unmerged neighbours');
  }
}

function run(seed: number, touching: boolean): void {
  const { mm, zone } = machine(2048);
  const start = nr_free_pages(zone);
  const rand = rng(seed);
  const model: Model = new Array(N).fill(-1);
  const touched: boolean[] = new Array(N).fill(false);
  const prots = [0, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC];
  for (let step = 0; step < 400; step++) {
    const s = Math.floor(rand() * N);
    const len = 1 + Math.floor(rand() * Math.min(6, N - s));
    const prot = prots[Math.floor(rand() * prots.length)];
    const op = rand();
    if (op < 0.3) {
      assert.is(do_mmap(mm, null, BASE + s * P, len * P, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0), BASE + s * P);
      for (let i = s; i < s + len; i++) {
        model[i] = prot | (prot & PROT_WRITE ? 8 : 0);
        touched[i] = false;
      }
    } else if (op < 0.5) {
      assert.is(vm_munmap(mm, BASE + s * P, len * P), 0);
      for (let i = s; i < s + len; i++) model[i] = -1, touched[i] = false;
    } else if (op < 0.8) {
      const r = do_mprotect_pkey(mm, BASE + s * P, len * P, prot, -1);
      for (let i = s; i < s + len; i++) {
        if (model[i] < 0) break; // Linux stops at the first hole (-ENOMEM)
        model[i] = prot | (model[i] & 8) | (prot & PROT_WRITE ? 8 : 0);
      }
      const hole = model.slice(s, s + len).some((m) => m < 0);
      assert.is(r === 0, !hole, 'mprotect fails exactly when the range has a hole');
    } else if (op < 0.9 && touching) {
      if (model[s] >= 0 && !touched[s]) {
        touch(mm, BASE + s * P);
        touched[s] = true;
      }
    } else if (touching) {
      const r = do_madvise(mm, BASE + s * P, len * P, MADV_DONTNEED);
      for (let i = s; i < s + len; i++) if (model[i] >= 0) touched[i] = false;
      assert.is(r === 0, model.slice(s, s + len).every((m) => m >= 0));
    }
    check(mm, model, touched);
    if (!touching) checkMerged(mm);
  }
  assert.is(vm_munmap(mm, BASE, N * P), 0);
  assert.is(mm.pgtables_bytes, 0, `seed ${seed}: no page table left`);
  assert.is(nr_free_pages(zone), start, `seed ${seed}: every frame back`);
}

test('random sequences without faults: page-exact layout, always fully merged', () => {
  for (const seed of [11, 12, 13]) run(seed, false);
});

test('random sequences with faulted pages: layout, rss and frames stay exact', () => {
  for (const seed of [21, 22, 23]) run(seed, true);
});

test.run();
