// madvise(2) (Linux 5.10 mm/madvise.c). MADV_DONTNEED zaps the pages (the next touch faults in a fresh
// zero-filled page); the hints with no effect without swap or huge pages are accepted and ignored.

import {
  EINVAL, ENOMEM, MADV_COLD, MADV_DODUMP, MADV_DOFORK, MADV_DONTDUMP, MADV_DONTFORK, MADV_DONTNEED, MADV_FREE,
  MADV_HUGEPAGE, MADV_KEEPONFORK, MADV_MERGEABLE, MADV_NOHUGEPAGE, MADV_NORMAL, MADV_PAGEOUT, MADV_RANDOM,
  MADV_REMOVE, MADV_SEQUENTIAL, MADV_UNMERGEABLE, MADV_WILLNEED, MADV_WIPEONFORK, PAGE_ALIGN, U64, VM_HUGETLB,
  VM_LOCKED, VM_PFNMAP, offset_in_page,
} from './mm_constants.js';
import type { mm_struct, vm_area_struct } from './mm_types.js';
import { zap_page_range } from './memory_zap.js';
import { find_vma, find_vma_prev } from './vma.js';

// Linux 5.10 mm/madvise.c madvise_behavior_valid (without the CONFIG_MEMORY_FAILURE ones)
function madvise_behavior_valid(behavior: number): boolean {
  switch (behavior) {
    case MADV_DOFORK: case MADV_DONTFORK: case MADV_NORMAL: case MADV_SEQUENTIAL: case MADV_RANDOM:
    case MADV_REMOVE: case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE: case MADV_COLD:
    case MADV_PAGEOUT: case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE:
    case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP: case MADV_WIPEONFORK: case MADV_KEEPONFORK:
      return true;
    default:
      return false;
  }
}

// Linux 5.10 mm/madvise.c madvise_dontneed_free: locked, huge or PFN-mapped VMAs refuse
function madvise_dontneed(vma: vm_area_struct, prev: { v: vm_area_struct | null }, start: number, end: number): number {
  prev.v = vma;
  if (vma.vm_flags & (VM_LOCKED | VM_HUGETLB | VM_PFNMAP)) return -EINVAL; // can_madv_lru_vma
  zap_page_range(vma, start, end - start);
  return 0;
}

// Linux 5.10 mm/madvise.c madvise_vma
function madvise_vma(vma: vm_area_struct, prev: { v: vm_area_struct | null }, start: number, end: number, behavior: number): number {
  if (behavior === MADV_DONTNEED) return madvise_dontneed(vma, prev, start, end);
  prev.v = vma; // hints that change nothing faultline models (no reclaim, no THP, no core dumps)
  return 0;
}

// Linux 5.10 mm/madvise.c do_madvise: walk the VMAs over [start, start+len); holes give -ENOMEM at the end
export function do_madvise(mm: mm_struct, start: number, len_in: number, behavior: number): number {
  if (!madvise_behavior_valid(behavior)) return -EINVAL;
  if (offset_in_page(start)) return -EINVAL; // on the sign-extended value, exact near 2^64
  if (start < 0) start += U64;
  const len = PAGE_ALIGN(len_in);
  if (len_in !== 0 && len === 0) return -EINVAL;
  const end = start + len;
  if (end >= U64) return -EINVAL;
  if (end === start) return 0;
  let unmapped_error = 0;
  const found = find_vma_prev(mm, start);
  let vma = found.vma;
  const prev = { v: found.prev };
  if (vma !== null && start > vma.vm_start) prev.v = vma;
  for (;;) {
    if (vma === null) return -ENOMEM;
    if (start < vma.vm_start) {
      unmapped_error = -ENOMEM;
      start = vma.vm_start;
      if (start >= end) return -ENOMEM;
    }
    const tmp = Math.min(vma.vm_end, end);
    const error = madvise_vma(vma, prev, start, tmp, behavior);
    if (error) return error;
    start = tmp;
    if (prev.v !== null && start < prev.v.vm_end) start = prev.v.vm_end;
    if (start >= end) return unmapped_error;
    vma = prev.v !== null ? prev.v.vm_next : find_vma(mm, start);
  }
}
