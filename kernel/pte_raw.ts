// Page-table entries read and written by halves, for the loops that visit every entry of whole tables
// (fork's copy_pte_range, exit's and munmap's zap_pte_range): they build no pte_t per entry. The tests
// are pgtable.ts's (pte_none, pte_present, pte_special ...), on the int32 halves of the entry in memory.

import type { PhysicalMemory } from '../vm/memory.js';
import type { vm_area_struct } from './mm_types.js';
import type { Zone } from './page_alloc.js';
import { PTE_PFN_MASK_HI, _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_PRESENT, _PAGE_PROTNONE, _PAGE_SPECIAL, __pte } from './pgtable.js';
import { vm_normal_page } from './rmap.js';

/** Bits 31:0 and 63:32 of the entry at ptep (int32). */
export const pte_lo_at = (mem: PhysicalMemory, ptep: number): number => mem.view.getInt32(ptep, true);
export const pte_hi_at = (mem: PhysicalMemory, ptep: number): number => mem.view.getInt32(ptep + 4, true);

/** set_pte by halves. */
export function set_pte_raw(mem: PhysicalMemory, ptep: number, lo: number, hi: number): void {
  mem.view.setInt32(ptep, lo, true);
  mem.view.setInt32(ptep + 4, hi, true);
}

// Linux 5.10 pte_none (A and D ignored) and pte_present, by halves
export const pte_none_raw = (lo: number, hi: number): boolean => (lo & ~(_PAGE_ACCESSED | _PAGE_DIRTY)) === 0 && hi === 0;
export const pte_present_raw = (lo: number): boolean => (lo & (_PAGE_PRESENT | _PAGE_PROTNONE)) !== 0;

// Linux 5.10 mm/memory.c vm_normal_page, by halves: the pfn of an ordinary present pte is its page; a
// special one (rare here: the zero page) takes rmap.ts's full checks
export function vm_normal_page_raw(zone: Zone, vma: vm_area_struct, addr: number, lo: number, hi: number): number | null {
  if (lo & _PAGE_SPECIAL) return vm_normal_page(zone, vma, addr, __pte(lo, hi));
  const pfn = (lo >>> 12) + (hi & PTE_PFN_MASK_HI) * 0x100000; // pte_pfn
  if (pfn >= zone.mem_map.nr_pages) return vm_normal_page(zone, vma, addr, __pte(lo, hi)); // its KernelBug
  return pfn;
}
