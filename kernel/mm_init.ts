// Creating and destroying address spaces (Linux 5.10 kernel/fork.c mm_alloc, mmput, mmdrop;
// arch/x86/mm/mmap.c arch_pick_mmap_layout).

import { PAGE_ALIGN, RLIM_INFINITY, TASK_SIZE, stack_guard_gap } from './mm_constants.js';
import { mm_struct, type TlbFlush } from './mm_types.js';
import { exit_mmap } from './mmap.js';
import { KernelBug } from './page.js';
import type { Zone } from './page_alloc.js';
import { pgd_alloc, pgd_free } from './pgalloc.js';

const SIZE_128M = 128 << 20;

/** init_mm: the kernel's own address space, its pgd a fresh zeroed table the boot code fills in. */
export function init_mm_create(zone: Zone, tlb: TlbFlush): mm_struct | null {
  const pgd = pgd_alloc(zone, null);
  if (pgd === null) return null;
  return new mm_struct(zone, tlb, pgd, TASK_SIZE);
}

// Linux 5.10 kernel/fork.c mm_alloc: an empty user address space sharing init_mm's kernel half
export function mm_alloc(zone: Zone, tlb: TlbFlush, init_mm: mm_struct): mm_struct | null {
  const pgd = pgd_alloc(zone, init_mm.pgd);
  if (pgd === null) return null;
  return new mm_struct(zone, tlb, pgd, TASK_SIZE);
}

// Linux 5.10 arch/x86/mm/mmap.c mmap_base: below the stack rlimit plus guard gap, at least 128 MiB
// below the top (no randomization: faultline is what `setarch -R` shows)
function mmap_base(task_size: number, rlim_stack: number): number {
  let gap = rlim_stack;
  const pad = stack_guard_gap; // + stack_maxrandom_size(), 0 without PF_RANDOMIZE
  if (gap + pad > gap) gap += pad;
  const gap_min = SIZE_128M;
  const gap_max = Math.floor(task_size / 6) * 5;
  if (gap < gap_min) gap = gap_min;
  else if (gap > gap_max) gap = gap_max;
  return PAGE_ALIGN(task_size - gap);
}

// Linux 5.10 arch/x86/mm/mmap.c arch_pick_mmap_layout: top-down unless the stack is unlimited
export function arch_pick_mmap_layout(mm: mm_struct): void {
  mm.legacy_mmap = mm.rlim.RLIMIT_STACK === RLIM_INFINITY; // mmap_is_legacy
  mm.mmap_legacy_base = PAGE_ALIGN(Math.floor(mm.task_size / 3)); // TASK_UNMAPPED_BASE
  mm.mmap_base = mm.legacy_mmap ? mm.mmap_legacy_base : mmap_base(mm.task_size, mm.rlim.RLIMIT_STACK);
}

// Linux 5.10 kernel/fork.c check_mm: a dying mm must have given back every page and table
function check_mm(mm: mm_struct): void {
  for (let i = 0; i < mm.rss_stat.length; i++) {
    if (mm.rss_stat[i] !== 0) throw new KernelBug(`Bad rss-counter state mm:${i} val:${mm.rss_stat[i]}`);
  }
  if (mm.pgtables_bytes !== 0) throw new KernelBug(`non-zero pgtables_bytes on freeing mm: ${mm.pgtables_bytes}`);
}

// Linux 5.10 kernel/fork.c mmdrop / __mmdrop: the last reference frees the pgd
export function mmdrop(mm: mm_struct): void {
  if (--mm.mm_count > 0) return;
  pgd_free(mm.zone, mm.pgd);
  check_mm(mm);
}

// Linux 5.10 kernel/fork.c mmput: the last user tears the mappings down
export function mmput(mm: mm_struct): void {
  if (--mm.mm_users > 0) return;
  exit_mmap(mm);
  mmdrop(mm);
}
