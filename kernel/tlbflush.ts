// TLB shootdown from the kernel's side (Linux 5.10 arch/x86/mm/tlb.c, arch/x86/include/asm/tlbflush.h).
// The hardware is reached through mm.tlb (invlpg per page, or a CR3 reload for everything).

import { PAGE_SHIFT, PAGE_SIZE, tlb_single_page_flush_ceiling } from './mm_constants.js';
import type { mm_struct, vm_area_struct } from './mm_types.js';

/** TLB_FLUSH_ALL: "the whole address space" as an end address. */
export const TLB_FLUSH_ALL = -1;

// Linux 5.10 arch/x86/mm/tlb.c flush_tlb_mm_range: invlpg page by page up to 33 pages, else a full flush;
// nothing to do when the mm is not loaded on the CPU (its entries went with the last CR3 switch)
export function flush_tlb_mm_range(mm: mm_struct, start: number, end: number, stride_shift: number, _freed_tables: boolean): void {
  if (!mm.mm_cpumask) return;
  if (end === TLB_FLUSH_ALL || (end - start) / 2 ** stride_shift > tlb_single_page_flush_ceiling) {
    mm.tlb.flushAll();
    return;
  }
  for (let addr = start; addr < end; addr += 2 ** stride_shift) mm.tlb.flushPage(addr);
}

// Linux 5.10 arch/x86/include/asm/tlbflush.h flush_tlb_page
export function flush_tlb_page(vma: vm_area_struct, addr: number): void {
  flush_tlb_mm_range(vma.vm_mm, addr, addr + PAGE_SIZE, PAGE_SHIFT, false);
}

// Linux 5.10 arch/x86/include/asm/tlbflush.h flush_tlb_range
export function flush_tlb_range(vma: vm_area_struct, start: number, end: number): void {
  flush_tlb_mm_range(vma.vm_mm, start, end, PAGE_SHIFT, false);
}

// Linux 5.10 arch/x86/include/asm/tlbflush.h flush_tlb_mm
export function flush_tlb_mm(mm: mm_struct): void {
  flush_tlb_mm_range(mm, 0, TLB_FLUSH_ALL, 0, false);
}
