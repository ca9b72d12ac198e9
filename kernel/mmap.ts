// mmap and munmap (Linux 5.10 mm/mmap.c do_mmap, mmap_region, __do_munmap; arch/x86/kernel/sys_x86_64.c
// arch_get_unmapped_area_topdown). No page is populated here: demand paging fills the PTEs later.
// Addresses and lengths are unsigned 64-bit values held in numbers (see as_u64 for sign-extended input).

import {
  EACCES, EEXIST, EINVAL, ENOMEM, EOVERFLOW, EPERM, FIRST_USER_ADDRESS, IS_ERR_VALUE, MAP_DENYWRITE, MAP_FIXED,
  MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_LOCKED, MAP_NONBLOCK, MAP_NORESERVE, MAP_POPULATE, MAP_PRIVATE,
  MAP_SHARED, MAP_SHARED_VALIDATE, MAP_SYNC, MAP_TYPE, PAGE_ALIGN, PAGE_SIZE, PROT_WRITE, TASK_SIZE, USER_PGTABLES_CEILING, U64, VM_ACCOUNT,
  VM_DENYWRITE, VM_GROWSDOWN, VM_GROWSUP, VM_LOCKED, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_MAYWRITE,
  VM_NORESERVE, VM_SHARED, VM_SYNC, VM_WRITE, mmap_min_addr, offset_in_page, sysctl_max_map_count,
} from './mm_constants.js';
import { update_hiwater_rss, vm_area_struct, vma_pages, type mm_struct, type VmFile } from './mm_types.js';
import { free_pgtables, tlb_finish_mmu, tlb_gather_mmu, unmap_vmas } from './memory_zap.js';
import { fput, get_file } from './file_table.js';
import { vm_get_page_prot } from './pgtable.js';
import { shmem_zero_setup } from './shmem.js';
import {
  __split_vma, __vma_unlink, find_vma, find_vma_links, is_data_mapping, vm_end_gap, vm_start_gap,
  vm_stat_account, vma_link, vma_merge,
} from './vma.js';

// Linux 5.10 include/linux/mman.h calc_vm_prot_bits: PROT_READ/WRITE/EXEC have VM_READ/WRITE/EXEC's values
export function calc_vm_prot_bits(prot: number, _pkey: number): number {
  return prot & 0x7;
}

// Linux 5.10 include/linux/mman.h calc_vm_flag_bits
export function calc_vm_flag_bits(flags: number): number {
  return (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0) | (flags & MAP_DENYWRITE ? VM_DENYWRITE : 0) |
    (flags & MAP_LOCKED ? VM_LOCKED : 0) | (flags & MAP_SYNC ? VM_SYNC : 0);
}

// Linux 5.10 mm/mmap.c may_expand_vm: RLIMIT_AS for everything, RLIMIT_DATA for private writable data
export function may_expand_vm(mm: mm_struct, flags: number, npages: number): boolean {
  if (mm.total_vm + npages > Math.floor(mm.rlim.RLIMIT_AS / PAGE_SIZE)) return false;
  if (is_data_mapping(flags) && mm.data_vm + npages > Math.floor(mm.rlim.RLIMIT_DATA / PAGE_SIZE)) return false;
  return true;
}

// ---- choosing an address ----

interface vm_unmapped_area_info {
  length: number;
  low_limit: number;
  high_limit: number;
  align_mask: number;
  align_offset: number;
}

// Linux 5.10 mm/mmap.c unmapped_area_topdown: the highest gap that fits (a scan from the top stands
// for the rbtree walk over rb_subtree_gap); gaps honour the stack guard gap through vm_start_gap
function unmapped_area_topdown(mm: mm_struct, info: vm_unmapped_area_info): number {
  const length = info.length + info.align_mask;
  let gap_end = info.high_limit;
  if (gap_end < length) return -ENOMEM;
  const high_limit = gap_end - length;
  if (info.low_limit > high_limit) return -ENOMEM;
  const low_limit = info.low_limit + length;
  if (mm.highest_vm_end > high_limit) {
    const rb = mm.mm_rb;
    let i = rb.length - 1;
    for (; i >= 0; i--) {
      gap_end = vm_start_gap(rb[i]);
      if (gap_end < low_limit) return -ENOMEM;
      const gap_start = i > 0 ? vm_end_gap(rb[i - 1]) : 0;
      if (gap_start <= high_limit && gap_end > gap_start && gap_end - gap_start >= length) break;
    }
    if (i < 0) return -ENOMEM;
    if (gap_end > info.high_limit) gap_end = info.high_limit;
  }
  gap_end -= info.length;
  gap_end -= (gap_end - info.align_offset) & info.align_mask;
  return gap_end;
}

// Linux 5.10 mm/mmap.c unmapped_area: the lowest gap that fits (the legacy bottom-up layout)
function unmapped_area(mm: mm_struct, info: vm_unmapped_area_info): number {
  const length = info.length + info.align_mask;
  if (info.high_limit < length) return -ENOMEM;
  const high_limit = info.high_limit - length;
  if (info.low_limit > high_limit) return -ENOMEM;
  const rb = mm.mm_rb;
  for (let i = 0; i <= rb.length; i++) {
    let gap_start = i > 0 ? vm_end_gap(rb[i - 1]) : 0;
    const gap_end = i < rb.length ? vm_start_gap(rb[i]) : U64;
    if (gap_start > high_limit) return -ENOMEM;
    if (gap_start < info.low_limit) gap_start = info.low_limit;
    gap_start += (info.align_offset - gap_start) & info.align_mask;
    if (gap_end >= gap_start && gap_end - gap_start >= length) return gap_start;
  }
  return -ENOMEM;
}

// Linux 5.10 arch/x86/kernel/sys_x86_64.c mmap_address_hint_valid
function mmap_address_hint_valid(addr: number, len: number): boolean {
  if (TASK_SIZE - len < addr) return false;
  return addr > TASK_SIZE === addr + len > TASK_SIZE;
}

// Linux 5.10 arch/x86/kernel/sys_x86_64.c arch_get_unmapped_area_topdown (and arch_get_unmapped_area
// for the legacy layout and as its fallback)
function arch_get_unmapped_area(mm: mm_struct, addr: number, len: number, pgoff: number, flags: number): number {
  if (len > TASK_SIZE) return -ENOMEM;
  if (flags & MAP_FIXED) return addr;
  if (addr !== 0) {
    addr -= addr % PAGE_SIZE;
    if (mmap_address_hint_valid(addr, len)) {
      const vma = find_vma(mm, addr);
      if (vma === null || addr + len <= vm_start_gap(vma)) return addr;
    }
  }
  const align_offset = pgoff * PAGE_SIZE;
  if (!mm.legacy_mmap) {
    const a = unmapped_area_topdown(mm, { length: len, low_limit: PAGE_SIZE, high_limit: mm.mmap_base, align_mask: 0, align_offset });
    if (!IS_ERR_VALUE(a)) return a;
  }
  return unmapped_area(mm, { length: len, low_limit: mm.mmap_legacy_base, high_limit: TASK_SIZE, align_mask: 0, align_offset });
}

// Linux 5.10 mm/mmap.c get_unmapped_area (+ security_mmap_addr: below mmap_min_addr is -EPERM)
export function get_unmapped_area(mm: mm_struct, file: VmFile | null, addr: number, len: number, pgoff: number, flags: number): number {
  if (len > TASK_SIZE) return -ENOMEM;
  if (file === null && flags & MAP_SHARED) pgoff = 0; // shmem_get_unmapped_area (no huge pages)
  addr = arch_get_unmapped_area(mm, addr, len, pgoff, flags);
  if (IS_ERR_VALUE(addr)) return addr;
  if (addr > TASK_SIZE - len) return -ENOMEM;
  if (offset_in_page(addr)) return -EINVAL;
  if (addr < mmap_min_addr) return -EPERM; // cap_mmap_addr
  return addr;
}

// Linux 5.10 mm/mmap.c round_hint_to_min: a hint below mmap_min_addr is raised to it
function round_hint_to_min(hint: number): number {
  hint -= hint % PAGE_SIZE;
  if (hint !== 0 && hint < mmap_min_addr) return PAGE_ALIGN(mmap_min_addr);
  return hint;
}

// ---- mmap ----

export interface MmapResult {
  /** Bytes the caller should fault in now (MAP_POPULATE / VM_LOCKED): mm_populate's job. */
  populate: number;
}

// Linux 5.10 mm/mmap.c do_mmap: check arguments, pick an address, compute vm_flags, then mmap_region.
// Returns the address or -errno. ksys_mmap_pgoff has already dropped MAP_EXECUTABLE|MAP_DENYWRITE.
export function do_mmap(
  mm: mm_struct, file: VmFile | null, addr: number, len: number, prot: number, flags: number, pgoff: number,
  out?: MmapResult,
): number {
  if (out) out.populate = 0;
  if (len === 0) return -EINVAL;
  if (flags & MAP_FIXED_NOREPLACE) flags |= MAP_FIXED;
  if (!(flags & MAP_FIXED)) addr = round_hint_to_min(addr);
  len = PAGE_ALIGN(len);
  if (len === 0) return -ENOMEM;
  if (pgoff + len / PAGE_SIZE >= U64 / PAGE_SIZE) return -EOVERFLOW;
  if (mm.map_count > sysctl_max_map_count) return -ENOMEM;
  addr = get_unmapped_area(mm, file, addr, len, pgoff, flags);
  if (IS_ERR_VALUE(addr)) return addr;
  if (flags & MAP_FIXED_NOREPLACE) {
    const vma = find_vma(mm, addr);
    if (vma !== null && vma.vm_start < addr + len) return -EEXIST;
  }
  let vm_flags = calc_vm_prot_bits(prot, -1) | calc_vm_flag_bits(flags) | mm.def_flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  if (file !== null) {
    const f = file_mmap_flags(file, flags, prot, vm_flags);
    if (f < 0) return f;
    vm_flags = f;
  } else {
    switch (flags & MAP_TYPE) {
      case MAP_SHARED:
        if (vm_flags & (VM_GROWSDOWN | VM_GROWSUP)) return -EINVAL;
        pgoff = 0;
        vm_flags |= VM_SHARED | VM_MAYSHARE;
        break;
      case MAP_PRIVATE:
        pgoff = addr / PAGE_SIZE; // anon_vma's linear index
        break;
      default:
        return -EINVAL;
    }
  }
  if (flags & MAP_NORESERVE) vm_flags |= VM_NORESERVE; // overcommit is not OVERCOMMIT_NEVER
  addr = mmap_region(mm, file, addr, len, vm_flags, pgoff);
  if (out && !IS_ERR_VALUE(addr) && (vm_flags & VM_LOCKED || (flags & (MAP_POPULATE | MAP_NONBLOCK)) === MAP_POPULATE)) {
    out.populate = len;
  }
  return addr;
}

// Linux 5.10 mm/mmap.c do_mmap, the file branch: what the open mode allows (files are readable, never noexec)
function file_mmap_flags(file: VmFile, flags: number, prot: number, vm_flags: number): number {
  const type = flags & MAP_TYPE;
  if (type === MAP_SHARED || type === MAP_SHARED_VALIDATE) {
    if (prot & PROT_WRITE && !file.fmode_write) return -EACCES;
    vm_flags |= VM_SHARED | VM_MAYSHARE;
    if (!file.fmode_write) vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
  } else if (type !== MAP_PRIVATE) {
    return -EINVAL;
  }
  if (vm_flags & (VM_GROWSDOWN | VM_GROWSUP)) return -EINVAL;
  return vm_flags;
}

// Linux 5.10 mm/mmap.c count_vma_pages_range
function count_vma_pages_range(mm: mm_struct, addr: number, end: number): number {
  let n = 0;
  for (let v = find_vma(mm, addr); v !== null && v.vm_start < end; v = v.vm_next) {
    n += (Math.min(end, v.vm_end) - Math.max(addr, v.vm_start)) / PAGE_SIZE;
  }
  return n;
}

// Linux 5.10 mm/mmap.c munmap_vma_range: clear whatever [start, start+len) overlaps; return prev
export function munmap_vma_range(mm: mm_struct, start: number, len: number): { prev: vm_area_struct | null } | null {
  for (;;) {
    const links = find_vma_links(mm, start, start + len);
    if (links !== null) return links;
    if (do_munmap(mm, start, len) !== 0) return null;
  }
}

// Linux 5.10 mm/mmap.c accountable_mapping: private writable memory is charged (VM_ACCOUNT)
function accountable_mapping(vm_flags: number): boolean {
  return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) === VM_WRITE;
}

export { shmem_zero_setup } from './shmem.js';

// Linux 5.10 mm/mmap.c mmap_region: unmap what is there, merge with a neighbour or link a new VMA
export function mmap_region(mm: mm_struct, file: VmFile | null, addr: number, len: number, vm_flags: number, pgoff: number): number {
  const npages = len / PAGE_SIZE;
  if (!may_expand_vm(mm, vm_flags, npages)) {
    // MAP_FIXED may remove pages of mappings that intersect the request
    if (!may_expand_vm(mm, vm_flags, npages - count_vma_pages_range(mm, addr, addr + len))) return -ENOMEM;
  }
  const links = munmap_vma_range(mm, addr, len);
  if (links === null) return -ENOMEM;
  if (accountable_mapping(vm_flags)) vm_flags |= VM_ACCOUNT;
  let vma = vma_merge(mm, links.prev, addr, addr + len, vm_flags, null, file, pgoff);
  if (vma === null) {
    vma = new vm_area_struct(mm, addr, addr + len, vm_flags, vm_get_page_prot(vm_flags), pgoff);
    vma.vm_file = file !== null ? get_file(file) : null;
    if (file === null && vm_flags & VM_SHARED) shmem_zero_setup(vma);
    vma_link(mm, vma, links.prev);
  }
  vm_stat_account(mm, vm_flags, npages);
  if (vm_flags & VM_LOCKED) mm.locked_vm += npages;
  return addr;
}

// ---- munmap ----

// Linux 5.10 mm/mmap.c detach_vmas_to_be_unmapped: take the VMAs below end, from vma on, off the mm
function detach_vmas_to_be_unmapped(mm: mm_struct, vma: vm_area_struct | null, end: number): vm_area_struct[] {
  const gone: vm_area_struct[] = [];
  while (vma !== null && vma.vm_start < end) {
    const next: vm_area_struct | null = vma.vm_next;
    __vma_unlink(mm, vma);
    mm.map_count--;
    gone.push(vma);
    vma = next;
  }
  return gone;
}

// Linux 5.10 mm/mmap.c unmap_region: zap the pages, free the page tables only these VMAs used, flush
function unmap_region(mm: mm_struct, vmas: vm_area_struct[], prev: vm_area_struct | null, next: vm_area_struct | null, start: number, end: number): void {
  const tlb = tlb_gather_mmu(mm, start, end);
  update_hiwater_rss(mm);
  unmap_vmas(tlb, vmas, start, end);
  free_pgtables(tlb, vmas, prev !== null ? prev.vm_end : FIRST_USER_ADDRESS, next !== null ? next.vm_start : USER_PGTABLES_CEILING);
  tlb_finish_mmu(tlb);
}

// Linux 5.10 mm/mmap.c remove_vma: the VMA's file reference goes (the last one frees a shmem object)
export function remove_vma(vma: vm_area_struct): void {
  if (vma.vm_file !== null) fput(vma.vm_mm.zone, vma.vm_file);
  vma.vm_file = null;
}

// Linux 5.10 mm/mmap.c remove_vma_list: account the VMAs out, then remove_vma each
function remove_vma_list(mm: mm_struct, vmas: vm_area_struct[]): void {
  for (const vma of vmas) vm_stat_account(mm, vma.vm_flags, -vma_pages(vma));
  for (const vma of vmas) remove_vma(vma);
}

// Linux 5.10 mm/mmap.c __do_munmap: split the edge VMAs, detach, unmap, free page tables
export function do_munmap(mm: mm_struct, start: number, len: number): number {
  if (offset_in_page(start) || start > TASK_SIZE || len > TASK_SIZE - start) return -EINVAL;
  len = PAGE_ALIGN(len);
  const end = start + len;
  if (len === 0) return -EINVAL;
  let vma = find_vma(mm, start);
  if (vma === null) return 0;
  let prev = vma.vm_prev;
  if (vma.vm_start >= end) return 0;
  if (start > vma.vm_start) {
    // splitting in the middle makes one more VMA
    if (end < vma.vm_end && mm.map_count >= sysctl_max_map_count) return -ENOMEM;
    const error = __split_vma(mm, vma, start, false);
    if (error) return error;
    prev = vma;
  }
  const last = find_vma(mm, end);
  if (last !== null && end > last.vm_start) {
    const error = __split_vma(mm, last, end, true);
    if (error) return error;
  }
  vma = prev !== null ? prev.vm_next : mm.mmap;
  for (let t = vma; t !== null && t.vm_start < end; t = t.vm_next) {
    if (t.vm_flags & VM_LOCKED) mm.locked_vm -= vma_pages(t);
  }
  const vmas = detach_vmas_to_be_unmapped(mm, vma, end);
  const next = prev !== null ? prev.vm_next : mm.mmap;
  unmap_region(mm, vmas, prev, next, start, end);
  remove_vma_list(mm, vmas);
  return 0;
}

// Linux 5.10 mm/mmap.c __vm_munmap (the munmap syscall's body); accepts a sign-extended start too
export function vm_munmap(mm: mm_struct, start: number, len: number): number {
  if (offset_in_page(start)) return -EINVAL; // __do_munmap's first check, on the exact sign-extended value
  return do_munmap(mm, start < 0 ? start + U64 : start, len);
}

// Linux 5.10 mm/mmap.c exit_mmap: tear down every mapping and user page table of a dying mm
export function exit_mmap(mm: mm_struct): void {
  if (mm.mmap === null) return;
  const vmas = detach_vmas_to_be_unmapped(mm, mm.mmap, Infinity);
  const tlb = tlb_gather_mmu(mm, 0, -1);
  unmap_vmas(tlb, vmas, 0, Infinity);
  free_pgtables(tlb, vmas, FIRST_USER_ADDRESS, USER_PGTABLES_CEILING);
  tlb_finish_mmu(tlb);
  for (const vma of vmas) remove_vma(vma);
}
