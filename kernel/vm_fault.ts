// struct vm_fault and struct vm_operations_struct (Linux 5.10 include/linux/mm.h): what the generic fault
// code (memory.ts) hands to a mapping's own fault handlers (filemap.ts, shmem.ts) and back.
// Page-table "pointers" are physical byte addresses of entries; a struct page * is a pfn, -1 for NULL.

import type { Machine } from './machine.js';
import type { vm_area_struct } from './mm_types.js';
import { __pte_none, type pte_t } from './pgtable.js';

export class vm_fault {
  readonly k: Machine;
  readonly vma: vm_area_struct;
  /** Faulting virtual address, page-aligned (address & PAGE_MASK). */
  address: number;
  /** FAULT_FLAG_* */
  readonly flags: number;
  /** Offset of address in the VMA's file, in pages (linear_page_index). */
  readonly pgoff: number;
  /** The pmd entry covering address. */
  pmd = 0;
  /** The pte slot for address once looked up, else null (pte_offset_map). */
  pte: number | null = null;
  /** The pte as it was at the time of the fault. */
  orig_pte: pte_t = __pte_none;
  /** The page the handler found or read (->fault sets it), -1 if none. */
  page = -1;
  /** The private copy for a write to a private file mapping (do_cow_fault), -1 if none. */
  cow_page = -1;

  constructor(k: Machine, vma: vm_area_struct, address: number, flags: number, pgoff: number) {
    this.k = k;
    this.vma = vma;
    this.address = address;
    this.flags = flags;
    this.pgoff = pgoff;
  }
}

/** The operations of a file-backed mapping (generic_file_vm_ops, shmem_vm_ops). */
export interface vm_operations_struct {
  /** Find or read the page at vmf.pgoff: sets vmf.page (a reference held) and returns VM_FAULT_* bits. */
  fault(vmf: vm_fault): number;
  /** Map the pages of [start_pgoff, end_pgoff] already in the page cache (fault-around). */
  map_pages(vmf: vm_fault, start_pgoff: number, end_pgoff: number): void;
  /** Name for traces. */
  readonly name: string;
}

/** vma->vm_ops: the operations of the VMA's file, or null (anonymous, or a file faultline cannot page). */
export function vma_ops(vma: vm_area_struct): vm_operations_struct | null {
  const f = vma.vm_file as (object & { vm_ops?: vm_operations_struct }) | null;
  return f !== null && f.vm_ops !== undefined ? f.vm_ops : null;
}
