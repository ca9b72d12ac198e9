// The generic half of a page fault (Linux 5.10 mm/memory.c; seed 000 for __handle_mm_fault and
// handle_pte_fault, seed 002 for 2.6.11's handle_pte_fault and do_anonymous_page): walk or build the page
// table down to the pte, then decide by its state.
//
//   handle_mm_fault(k, vma, address, flags, regs): vm_fault_t     (VM_FAULT_* bits; 0 = minor fault done)
//   __handle_mm_fault(k, vma, address, flags): vm_fault_t
//   handle_pte_fault(vmf): vm_fault_t
//   do_anonymous_page(vmf): vm_fault_t
// File-backed pages: memory_fault.ts (do_fault). Write-protect faults: memory_wp.ts (do_wp_page).

import { fault_outcome, fault_path } from './fault_trace.js';
import type { Machine } from './machine.js';
import {
  FAULT_FLAG_TRIED, FAULT_FLAG_WRITE, MM_ANONPAGES, PAGE_SIZE, VM_ACCESS_FLAGS, VM_FAULT_ERROR, VM_FAULT_MAJOR,
  VM_FAULT_OOM, VM_FAULT_RETRY, VM_FAULT_SIGBUS, VM_SHARED, VM_WRITE,
} from './mm_constants.js';
import { inc_mm_counter, vma_is_anonymous, type vm_area_struct } from './mm_types.js';
import { do_fault } from './memory_fault.js';
import { do_wp_page } from './memory_wp.js';
import { put_page } from './page.js';
import { GFP_HIGHUSER_MOVABLE, __GFP_ZERO, alloc_page, my_zero_pfn } from './page_alloc.js';
import {
  p4d_alloc, pgd_offset, pmd_alloc, pmdp_get, pmd_none, pmd_trans_huge, pte_alloc, pte_offset_map, ptep_get,
  ptep_set_access_flags, pud_alloc, set_pte_at,
} from './pgalloc.js';
import {
  mk_pte, pfn_pte, pte_mkdirty, pte_mkspecial, pte_mkwrite, pte_mkyoung, pte_modify, pte_none, pte_present,
  pte_protnone, pte_same, pte_write,
} from './pgtable.js';
import type { pt_regs } from './ptrace.js';
import { anon_vma_prepare, linear_page_index, page_add_new_anon_rmap } from './rmap.js';
import { flush_tlb_page } from './tlbflush.js';
import { vm_fault } from './vm_fault.js';

// Linux 5.10 mm/memory.c handle_mm_fault: the fault proper, then its accounting
export function handle_mm_fault(k: Machine, vma: vm_area_struct, address: number, flags: number, regs: pt_regs | null): number {
  fault_path(k, 'handle_mm_fault');
  // arch_vma_access_permitted: no protection keys yet (v2); hugetlb VMAs do not exist in faultline
  const ret = __handle_mm_fault(k, vma, address, flags);
  mm_account_fault(k, regs, address, flags, ret);
  return ret;
}

// Linux 5.10 mm/memory.c mm_account_fault: a completed fault counts once, as major when it needed I/O
// (or was retried after waiting for it); failed and unfinished faults are not counted at all
function mm_account_fault(k: Machine, _regs: pt_regs | null, _address: number, flags: number, ret: number): void {
  if (ret & (VM_FAULT_ERROR | VM_FAULT_RETRY)) return;
  const major = (ret & VM_FAULT_MAJOR) !== 0 || (flags & FAULT_FLAG_TRIED) !== 0;
  if (major) {
    k.current.maj_flt++;
    k.stats.major_faults++;
    fault_outcome(k, 'major fault');
  } else {
    k.current.min_flt++;
    k.stats.minor_faults++;
    fault_outcome(k, 'minor fault');
  }
}

// seed 000 (5.x) __handle_mm_fault: allocate the missing upper levels (no transparent huge pages in
// faultline, so every pmd leads to a page of ptes), then handle_pte_fault
export function __handle_mm_fault(k: Machine, vma: vm_area_struct, address: number, flags: number): number {
  const mm = vma.vm_mm;
  const vmf = new vm_fault(k, vma, address - (address % PAGE_SIZE), flags, linear_page_index(vma, address - (address % PAGE_SIZE)));
  const pgd = pgd_offset(mm, address);
  const p4d = p4d_alloc(mm, pgd, address);
  if (p4d === null) return VM_FAULT_OOM;
  const pud = pud_alloc(mm, p4d, address);
  if (pud === null) return VM_FAULT_OOM;
  const pmd = pmd_alloc(mm, pud, address);
  if (pmd === null) return VM_FAULT_OOM;
  vmf.pmd = pmd;
  return handle_pte_fault(vmf);
}

// seed 000 (5.x) handle_pte_fault: what the pte says decides the handler
export function handle_pte_fault(vmf: vm_fault): number {
  const mm = vmf.vma.vm_mm;
  const mem = mm.zone.mem;
  const pmdval = pmdp_get(mem, vmf.pmd);
  if (pmd_none(pmdval)) {
    vmf.pte = null; // no page of ptes yet: certainly no pte
  } else {
    if (pmd_trans_huge(pmdval)) return 0; // pmd_devmap_trans_unstable: never built by faultline
    vmf.pte = pte_offset_map(mem, vmf.pmd, vmf.address);
    vmf.orig_pte = ptep_get(mem, vmf.pte);
    if (pte_none(vmf.orig_pte)) vmf.pte = null;
  }

  if (vmf.pte === null) {
    if (vma_is_anonymous(vmf.vma)) return do_anonymous_page(vmf);
    return do_fault(vmf);
  }

  if (!pte_present(vmf.orig_pte)) return do_swap_page(vmf);
  if (pte_protnone(vmf.orig_pte) && (vmf.vma.vm_flags & VM_ACCESS_FLAGS) !== 0) return do_numa_page(vmf);

  let entry = vmf.orig_pte;
  if (!pte_same(ptep_get(mem, vmf.pte), entry)) return 0; // changed under us (not on one CPU)
  if (vmf.flags & FAULT_FLAG_WRITE) {
    if (!pte_write(entry)) return do_wp_page(vmf);
    entry = pte_mkdirty(entry);
  }
  entry = pte_mkyoung(entry);
  fault_path(vmf.k, 'handle_pte_fault: pte present');
  if (!ptep_set_access_flags(mm, vmf.address, vmf.pte, entry, (vmf.flags & FAULT_FLAG_WRITE) !== 0)) {
    // Nothing to change: the TLB held a stale, stricter entry. Skip the flush on a retried fault.
    if (vmf.flags & FAULT_FLAG_TRIED) return 0;
    if (vmf.flags & FAULT_FLAG_WRITE) flush_tlb_page(vmf.vma, vmf.address); // flush_tlb_fix_spurious_fault
  }
  return 0;
}

// seed 002 (2.6.11) / Linux 5.10 do_anonymous_page: a first touch of anonymous memory
export function do_anonymous_page(vmf: vm_fault): number {
  const vma = vmf.vma;
  const mm = vma.vm_mm;
  const zone = mm.zone;
  if (vma.vm_flags & VM_SHARED) return VM_FAULT_SIGBUS; // a shared mapping without a file: cannot be
  if (pte_alloc(mm, vmf.pmd)) return VM_FAULT_OOM;

  // A read maps the shared zero page, read-only whatever the VMA allows (special: no struct page use).
  if (!(vmf.flags & FAULT_FLAG_WRITE)) {
    const entry = pte_mkspecial(pfn_pte(my_zero_pfn(zone), vma.vm_page_prot));
    vmf.pte = pte_offset_map(zone.mem, vmf.pmd, vmf.address);
    if (!pte_none(ptep_get(zone.mem, vmf.pte))) return 0;
    fault_path(vmf.k, 'do_anonymous_page: zero page');
    set_pte_at(mm, vmf.address, vmf.pte, entry);
    return 0;
  }

  // A write gets its own zeroed page, writable and dirty at once when the VMA allows writing.
  anon_vma_prepare(vma);
  const page = alloc_page(zone, GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
  if (page === null) {
    fault_path(vmf.k, 'do_anonymous_page: no memory');
    return VM_FAULT_OOM;
  }
  let entry = mk_pte(page, vma.vm_page_prot);
  if (vma.vm_flags & VM_WRITE) entry = pte_mkwrite(pte_mkdirty(entry));
  vmf.pte = pte_offset_map(zone.mem, vmf.pmd, vmf.address);
  if (!pte_none(ptep_get(zone.mem, vmf.pte))) {
    put_page(zone.mem_map, page);
    return 0;
  }
  fault_path(vmf.k, 'do_anonymous_page: new page');
  inc_mm_counter(mm, MM_ANONPAGES);
  page_add_new_anon_rmap(zone.mem_map, page, vma, vmf.address);
  set_pte_at(mm, vmf.address, vmf.pte, entry);
  return 0; // no TLB flush: the pte was not present, so no entry was cached
}

// Linux 5.10 mm/memory.c do_swap_page: faultline has no swap yet (v2), so a non-present pte that is
// neither empty nor PROT_NONE is not a swap entry but garbage: print_bad_pte and SIGBUS, as Linux does
function do_swap_page(vmf: vm_fault): number {
  fault_path(vmf.k, 'do_swap_page: bad swap entry');
  const pte = vmf.orig_pte;
  vmf.k.printk('warn', `BUG: Bad page map in process ${vmf.k.current.comm}  pte:${pte.hi.toString(16).padStart(8, '0')}${pte.lo.toString(16).padStart(8, '0')}`);
  return VM_FAULT_SIGBUS;
}

// Linux 5.10 mm/memory.c do_numa_page: a PROT_NONE pte in an accessible VMA is a NUMA hinting fault;
// with one node there is nowhere to migrate, so the pte simply gets the VMA's protection back
function do_numa_page(vmf: vm_fault): number {
  fault_path(vmf.k, 'do_numa_page');
  const mm = vmf.vma.vm_mm;
  const pte = pte_modify(vmf.orig_pte, vmf.vma.vm_page_prot);
  set_pte_at(mm, vmf.address, vmf.pte as number, pte_mkyoung(pte));
  return 0;
}
