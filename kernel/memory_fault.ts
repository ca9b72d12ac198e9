// Faults on file-backed (and shmem) mappings (Linux 5.10 mm/memory.c do_fault, do_read_fault,
// do_fault_around, do_cow_fault, do_shared_fault, __do_fault, finish_fault, alloc_set_pte; seed 002's
// do_no_page is the 2.6.11 form of the same: ->nopage, then an early COW break for a private write).

import { fault_path, fault_tracing } from './fault_trace.js';
import {
  FAULT_FLAG_WRITE, MM_ANONPAGES, PAGE_SIZE, PTRS_PER_PTE, VM_FAULT_ERROR, VM_FAULT_LOCKED, VM_FAULT_NOPAGE,
  VM_FAULT_OOM, VM_FAULT_RETRY, VM_FAULT_SIGBUS, VM_SHARED, VM_WRITE,
} from './mm_constants.js';
import { inc_mm_counter, vma_pages } from './mm_types.js';
import { SetPageDirty, put_page } from './page.js';
import { GFP_HIGHUSER_MOVABLE, alloc_page, copy_highpage } from './page_alloc.js';
import { __pte_alloc, pmd_none, pmdp_get, pte_offset_map, ptep_get, set_pte_at } from './pgalloc.js';
import { mk_pte, pte_mkdirty, pte_mkwrite, pte_none, type pte_t } from './pgtable.js';
import { profile } from './profiles.js';
import { anon_vma_prepare, mm_counter, page_add_file_rmap, page_add_new_anon_rmap } from './rmap.js';
import { vma_ops, type vm_fault } from './vm_fault.js';

/** fault_around_bytes (debugfs, default 64 KiB in 5.10): how much a read fault maps around itself. */
export const fault_around_bytes = 65536;

// Linux 5.10 mm/memory.c do_fault: read, private write (copy) or shared write
export function do_fault(vmf: vm_fault): number {
  const ops = vma_ops(vmf.vma);
  let ret: number;
  if (ops === null) {
    fault_path(vmf.k, 'do_fault: no ->fault');
    ret = VM_FAULT_SIGBUS;
  } else if (!(vmf.flags & FAULT_FLAG_WRITE)) {
    ret = do_read_fault(vmf);
  } else if (!(vmf.vma.vm_flags & VM_SHARED)) {
    ret = do_cow_fault(vmf);
  } else {
    ret = do_shared_fault(vmf);
  }
  return ret; // (no prealloc_pte to free: do_fault_around installs its page of ptes right away)
}

// Linux 5.10 mm/memory.c __do_fault: ask the mapping for the page (->fault)
function __do_fault(vmf: vm_fault): number {
  const ops = vma_ops(vmf.vma);
  if (ops === null) return VM_FAULT_SIGBUS;
  return ops.fault(vmf);
}

// Linux 5.10 mm/memory.c do_read_fault: map the neighbours from the page cache first, then the page
function do_read_fault(vmf: vm_fault): number {
  fault_path(vmf.k, 'do_read_fault');
  const ops = vma_ops(vmf.vma);
  if (ops !== null && profile(vmf.k).fault_around && fault_around_bytes / PAGE_SIZE > 1) {
    const ret = do_fault_around(vmf);
    if (ret) return ret;
  }
  const ret = __do_fault(vmf);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) return ret;
  const fin = finish_fault(vmf);
  if (fin & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) put_page(vmf.vma.vm_mm.zone.mem_map, vmf.page);
  return ret | fin;
}

// Linux 5.10 mm/memory.c do_fault_around: a window of fault_around_bytes, aligned, clipped to the VMA and
// to the page table; every page of it already in the page cache is mapped read-only
function do_fault_around(vmf: vm_fault): number {
  const vma = vmf.vma;
  const mm = vma.vm_mm;
  const address = vmf.address;
  const nr_pages = fault_around_bytes / PAGE_SIZE;
  let start_pgoff = vmf.pgoff;
  vmf.address = Math.max(address - (address % (nr_pages * PAGE_SIZE)), vma.vm_start);
  const off = ((address - vmf.address) / PAGE_SIZE) & (PTRS_PER_PTE - 1);
  start_pgoff -= off;
  let end_pgoff = start_pgoff - ((vmf.address / PAGE_SIZE) & (PTRS_PER_PTE - 1)) + PTRS_PER_PTE - 1;
  end_pgoff = Math.min(end_pgoff, vma_pages(vma) + vma.vm_pgoff - 1, start_pgoff + nr_pages - 1);
  if (fault_tracing(vmf.k)) fault_path(vmf.k, `do_fault_around (${end_pgoff - start_pgoff + 1} pages)`);

  let ret = 0;
  if (pmd_none(pmdp_get(mm.zone.mem, vmf.pmd))) {
    // pte_alloc_one: the page of ptes is made ready before map_pages needs it
    if (__pte_alloc(mm, vmf.pmd)) {
      vmf.address = address;
      return 0;
    }
  }
  vmf.pte = null;
  vma_ops(vma)?.map_pages(vmf, start_pgoff, end_pgoff);
  // Did the window cover the faulting page? Then the fault is solved.
  if (vmf.pte !== null && !pte_none(ptep_get(mm.zone.mem, pte_offset_map(mm.zone.mem, vmf.pmd, address)))) ret = VM_FAULT_NOPAGE;
  vmf.address = address;
  vmf.pte = null;
  return ret;
}

// Linux 5.10 mm/memory.c do_cow_fault (seed 002: "early C-O-W break"): a write to a private file
// mapping gets an anonymous copy of the file page at once
function do_cow_fault(vmf: vm_fault): number {
  fault_path(vmf.k, 'do_cow_fault');
  const vma = vmf.vma;
  const zone = vma.vm_mm.zone;
  anon_vma_prepare(vma);
  const cow = alloc_page(zone, GFP_HIGHUSER_MOVABLE);
  if (cow === null) return VM_FAULT_OOM;
  vmf.cow_page = cow;
  let ret = __do_fault(vmf);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) {
    put_page(zone.mem_map, cow);
    return ret;
  }
  copy_highpage(zone, cow, vmf.page); // copy_user_highpage
  ret |= finish_fault(vmf);
  put_page(zone.mem_map, vmf.page); // the copy is mapped, not the cache page
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) put_page(zone.mem_map, cow);
  return ret;
}

// Linux 5.10 mm/memory.c do_shared_fault: a write to a shared mapping writes the cache page itself
function do_shared_fault(vmf: vm_fault): number {
  fault_path(vmf.k, 'do_shared_fault');
  let ret = __do_fault(vmf);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) return ret;
  ret |= finish_fault(vmf);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) {
    put_page(vmf.vma.vm_mm.zone.mem_map, vmf.page);
    return ret;
  }
  fault_dirty_shared_page(vmf);
  return ret;
}

// Linux 5.10 mm/memory.c fault_dirty_shared_page: the page now differs from the file
export function fault_dirty_shared_page(vmf: vm_fault): void {
  SetPageDirty(vmf.vma.vm_mm.zone.mem_map, vmf.page);
}

// Linux 5.10 mm/memory.c finish_fault: install the page (the private copy for a private write)
function finish_fault(vmf: vm_fault): number {
  const page = vmf.flags & FAULT_FLAG_WRITE && !(vmf.vma.vm_flags & VM_SHARED) ? vmf.cow_page : vmf.page;
  const ret = alloc_set_pte(vmf, page);
  return ret & ~VM_FAULT_LOCKED;
}

// Linux 5.10 mm/memory.c alloc_set_pte: map one page at vmf.address (allocating the page of ptes if need
// be); VM_FAULT_NOPAGE if a pte is already there. The caller's reference on the page goes to the mapping.
export function alloc_set_pte(vmf: vm_fault, page: number): number {
  const vma = vmf.vma;
  const mm = vma.vm_mm;
  const m = mm.zone.mem_map;
  const write = (vmf.flags & FAULT_FLAG_WRITE) !== 0;
  if (vmf.pte === null) {
    if (pmd_none(pmdp_get(mm.zone.mem, vmf.pmd)) && __pte_alloc(mm, vmf.pmd)) return VM_FAULT_OOM;
    vmf.pte = pte_offset_map(mm.zone.mem, vmf.pmd, vmf.address);
  }
  if (!pte_none(ptep_get(mm.zone.mem, vmf.pte))) return VM_FAULT_NOPAGE;
  let entry: pte_t = mk_pte(page, vma.vm_page_prot);
  if (write && vma.vm_flags & VM_WRITE) entry = pte_mkwrite(pte_mkdirty(entry)); // maybe_mkwrite
  else if (write) entry = pte_mkdirty(entry);
  if (write && !(vma.vm_flags & VM_SHARED)) {
    inc_mm_counter(mm, MM_ANONPAGES);
    page_add_new_anon_rmap(m, page, vma, vmf.address);
  } else {
    inc_mm_counter(mm, mm_counter(m, page)); // mm_counter_file: MM_FILEPAGES or MM_SHMEMPAGES
    page_add_file_rmap(m, page);
  }
  set_pte_at(mm, vmf.address, vmf.pte, entry);
  return 0;
}
