// mprotect(2) (Linux 5.10 mm/mprotect.c): split or merge the VMAs, then rewrite the present PTEs with the
// new protection and flush the TLB for the range (a PTE that lost a permission must not survive in it).

import {
  EACCES, EINVAL, ENOMEM, PAGE_ALIGN, PAGE_SIZE, PROT_EXEC, PROT_GROWSDOWN, PROT_GROWSUP, PROT_READ, PROT_SEM,
  PMD_SIZE, PROT_WRITE, U64, VM_ACCESS_FLAGS, VM_ACCOUNT, VM_EXEC, VM_GROWSDOWN, VM_HUGETLB, VM_NORESERVE, VM_READ,
  VM_SHARED, VM_WRITE, offset_in_page,
} from './mm_constants.js';
import type { mm_struct, vm_area_struct } from './mm_types.js';
import { calc_vm_prot_bits, may_expand_vm } from './mmap.js';
import { pmd_none, pmd_offset, pmdp_get, pgd_none, pgd_offset, pgdp_get, ptep_get, pte_offset_map, pud_none, pud_offset, pudp_get, set_pte_at } from './pgalloc.js';
import { pte_modify, pte_present, vm_get_page_prot, type pgprot_t } from './pgtable.js';
import { flush_tlb_range } from './tlbflush.js';
import { find_vma, split_vma, vm_stat_account, vma_merge } from './vma.js';

/** The end of the level-sized block holding addr, or end if sooner. */
function level_end(addr: number, end: number, size: number): number {
  const b = Math.floor(addr / size) * size + size;
  return b < end ? b : end;
}

// Linux 5.10 mm/mprotect.c change_pte_range: pte_modify every present pte (missing ones fault in later
// with the VMA's new vm_page_prot); returns how many changed
function change_pte_range(vma: vm_area_struct, pmdp: number, addr: number, end: number, newprot: pgprot_t): number {
  const mm = vma.vm_mm;
  const mem = mm.zone.mem;
  let pages = 0;
  let ptep = pte_offset_map(mem, pmdp, addr);
  for (; addr !== end; addr += PAGE_SIZE, ptep += 8) {
    const oldpte = ptep_get(mem, ptep);
    if (!pte_present(oldpte)) continue;
    set_pte_at(mm, addr, ptep, pte_modify(oldpte, newprot)); // ptep_modify_prot_start/commit
    pages++;
  }
  return pages;
}

// Linux 5.10 mm/mprotect.c change_protection_range (pmd/pud/p4d walkers folded in): flush if anything changed
export function change_protection(vma: vm_area_struct, start: number, end: number, newprot: pgprot_t): number {
  const mm = vma.vm_mm;
  const mem = mm.zone.mem;
  let pages = 0;
  for (let addr = start; addr < end;) {
    const pgdp = pgd_offset(mm, addr);
    const pgd_next = level_end(addr, end, 2 ** 39);
    if (pgd_none(pgdp_get(mem, pgdp))) { addr = pgd_next; continue; }
    const pudp = pud_offset(mem, pgdp, addr);
    const pud_next = level_end(addr, end, 2 ** 30);
    if (pud_none(pudp_get(mem, pudp))) { addr = pud_next; continue; }
    const pmdp = pmd_offset(mem, pudp, addr);
    const pmd_next = level_end(addr, end, PMD_SIZE);
    if (!pmd_none(pmdp_get(mem, pmdp))) pages += change_pte_range(vma, pmdp, addr, pmd_next, newprot);
    addr = pmd_next;
  }
  if (pages) flush_tlb_range(vma, start, end);
  return pages;
}

// Linux 5.10 mm/mprotect.c mprotect_fixup: give [start, end) of vma the flags newflags, merging with a
// neighbour or splitting the VMA; `prev` is in/out as Linux's pprev
export function mprotect_fixup(vma: vm_area_struct, prev: { v: vm_area_struct | null }, start: number, end: number, newflags: number): number {
  const mm = vma.vm_mm;
  const oldflags = vma.vm_flags;
  const nrpages = (end - start) / PAGE_SIZE;
  if (newflags === oldflags) {
    prev.v = vma;
    return 0;
  }
  // Making a private mapping writable charges it; it stays charged when made read-only again.
  if (newflags & VM_WRITE) {
    if (!may_expand_vm(mm, newflags, nrpages) && may_expand_vm(mm, oldflags, nrpages)) return -ENOMEM;
    if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) newflags |= VM_ACCOUNT;
  }
  const pgoff = vma.vm_pgoff + (start - vma.vm_start) / PAGE_SIZE;
  const merged = vma_merge(mm, prev.v, start, end, newflags, vma.anon_vma, vma.vm_file, pgoff);
  if (merged !== null) {
    vma = merged;
    prev.v = merged;
  } else {
    prev.v = vma;
    if (start !== vma.vm_start) {
      const error = split_vma(mm, vma, start, true);
      if (error) return error;
    }
    if (end !== vma.vm_end) {
      const error = split_vma(mm, vma, end, false);
      if (error) return error;
    }
  }
  vma.vm_flags = newflags;
  vma.vm_page_prot = vm_get_page_prot(newflags); // vma_set_page_prot (anon/shmem: no write-notify)
  change_protection(vma, start, end, vma.vm_page_prot);
  vm_stat_account(mm, oldflags, -nrpages);
  vm_stat_account(mm, newflags, nrpages);
  return 0;
}

// Linux 5.10 mm/mprotect.c do_mprotect_pkey (pkey -1: plain mprotect; protection keys are v2)
export function do_mprotect_pkey(mm: mm_struct, start: number, len: number, prot: number, pkey: number): number {
  const grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
  prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
  if (grows === (PROT_GROWSDOWN | PROT_GROWSUP)) return -EINVAL;
  if (offset_in_page(start)) return -EINVAL; // on the sign-extended value, exact near 2^64
  if (start < 0) start += U64;
  if (len === 0) return 0;
  len = PAGE_ALIGN(len);
  const end = start + len;
  if (end <= start || end >= U64) return -ENOMEM;
  if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) return -EINVAL; // arch_validate_prot
  if (pkey !== -1) return -EINVAL; // no pkey is allocated (mm_pkey_is_allocated)
  let vma = find_vma(mm, start);
  if (vma === null) return -ENOMEM;
  const prev = { v: vma.vm_prev };
  if (grows & PROT_GROWSDOWN) {
    if (vma.vm_start >= end) return -ENOMEM;
    start = vma.vm_start;
    if (!(vma.vm_flags & VM_GROWSDOWN)) return -EINVAL;
  } else if (vma.vm_start > start) {
    return -ENOMEM;
  } else if (grows & PROT_GROWSUP) {
    return -EINVAL; // no VM_GROWSUP on x86
  }
  if (start > vma.vm_start) prev.v = vma;
  for (let nstart = start; ;) {
    const newflags = calc_vm_prot_bits(prot, pkey) | (vma.vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC));
    // newflags >> 4 shifts VM_MAY* into the place of VM_*: asking for more than VM_MAY* allows
    if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) return -EACCES;
    const tmp = Math.min(vma.vm_end, end);
    const error = mprotect_fixup(vma, prev, nstart, tmp, newflags);
    if (error) return error;
    nstart = tmp;
    const p = prev.v!;
    if (nstart < p.vm_end) nstart = p.vm_end;
    if (nstart >= end) return 0;
    const next = p.vm_next;
    if (next === null || next.vm_start !== nstart) return -ENOMEM;
    vma = next;
  }
}
