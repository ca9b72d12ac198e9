// The heap: brk(2) and do_brk_flags (Linux 5.10 mm/mmap.c), without CONFIG_COMPAT_BRK (as distribution
// kernels): the break may not go below start_brk.

import { EINVAL, ENOMEM, ENOSPC, IS_ERR_VALUE, MAP_FIXED, PAGE_ALIGN, PAGE_SIZE, RLIM_INFINITY, VM_ACCOUNT, VM_DATA_DEFAULT_FLAGS, VM_EXEC, VM_LOCKED, sysctl_max_map_count } from './mm_constants.js';
import { vm_area_struct, type mm_struct } from './mm_types.js';
import { do_munmap, get_unmapped_area, may_expand_vm, munmap_vma_range } from './mmap.js';
import { vm_get_page_prot } from './pgtable.js';
import { find_vma, vm_start_gap, vma_link, vma_merge } from './vma.js';

// Linux 5.10 include/linux/mm.h check_data_rlimit: heap plus data segment within RLIMIT_DATA
function check_data_rlimit(rlim: number, newbrk: number, start: number, end_data: number, start_data: number): number {
  if (rlim < RLIM_INFINITY && newbrk - start + (end_data - start_data) > rlim) return -ENOSPC;
  return 0;
}

// Linux 5.10 mm/mmap.c do_brk_flags: an anonymous private VMA at [addr, addr+len), merged if possible
export function do_brk_flags(mm: mm_struct, addr: number, len: number, flags: number): number {
  if ((flags & ~VM_EXEC) !== 0) return -EINVAL;
  flags |= VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm.def_flags;
  const mapped_addr = get_unmapped_area(mm, null, addr, len, 0, MAP_FIXED);
  if (IS_ERR_VALUE(mapped_addr)) return mapped_addr;
  const links = munmap_vma_range(mm, addr, len);
  if (links === null) return -ENOMEM;
  if (!may_expand_vm(mm, flags, len / PAGE_SIZE)) return -ENOMEM;
  if (mm.map_count > sysctl_max_map_count) return -ENOMEM;
  const pgoff = addr / PAGE_SIZE;
  let vma = vma_merge(mm, links.prev, addr, addr + len, flags, null, null, pgoff);
  if (vma === null) {
    vma = new vm_area_struct(mm, addr, addr + len, flags, vm_get_page_prot(flags), pgoff);
    vma_link(mm, vma, links.prev);
  }
  mm.total_vm += len / PAGE_SIZE;
  mm.data_vm += len / PAGE_SIZE;
  if (flags & VM_LOCKED) mm.locked_vm += len / PAGE_SIZE;
  return 0;
}

// Linux 5.10 mm/mmap.c vm_brk_flags: what the ELF loader uses for .bss beyond the file (set_brk)
export function vm_brk_flags(mm: mm_struct, addr: number, request: number, flags: number): number {
  const len = PAGE_ALIGN(request);
  if (len < request) return -ENOMEM;
  if (len === 0) return 0;
  return do_brk_flags(mm, addr, len, flags);
}

// Linux 5.10 mm/mmap.c SYSCALL_DEFINE1(brk): returns the new break, or the old one when refused
export function sys_brk(mm: mm_struct, brk: number): number {
  const origbrk = mm.brk;
  const min_brk = mm.start_brk;
  if (brk < min_brk) return origbrk;
  if (check_data_rlimit(mm.rlim.RLIMIT_DATA, brk, mm.start_brk, mm.end_data, mm.start_data)) return origbrk;
  const newbrk = PAGE_ALIGN(brk);
  const oldbrk = PAGE_ALIGN(mm.brk);
  if (oldbrk === newbrk) {
    mm.brk = brk;
    return brk;
  }
  // Always allow shrinking brk.
  if (brk <= mm.brk) {
    mm.brk = brk;
    if (do_munmap(mm, newbrk, oldbrk - newbrk) < 0) {
      mm.brk = origbrk;
      return origbrk;
    }
    return brk;
  }
  // Check against existing mmap mappings (and a stack's guard gap).
  const next = find_vma(mm, oldbrk);
  if (next !== null && newbrk + PAGE_SIZE > vm_start_gap(next)) return origbrk;
  if (do_brk_flags(mm, oldbrk, newbrk - oldbrk, 0) < 0) return origbrk;
  mm.brk = brk;
  return brk;
}
