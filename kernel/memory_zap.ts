// Tearing down user mappings and the page tables under them (Linux 5.10 mm/memory.c unmap_page_range,
// zap_pte_range, zap_page_range, free_pgd_range, free_pgtables; include/asm-generic/tlb.h mmu_gather).
// Pages and page-table pages are gathered and released only after the TLB flush, as Linux does, so no
// frame is reused while a stale translation to it may remain. The gathered pfns live in typed arrays and
// the pte loop reads entries by halves (kernel/pte_raw.ts): an exit creates no object per page.

import {
  NR_MM_COUNTERS, PAGE_SIZE, PGDIR_SIZE, PMD_SIZE, PUD_SIZE, U64,
} from './mm_constants.js';
import { add_mm_counter, update_hiwater_rss, type mm_struct, type vm_area_struct } from './mm_types.js';
import { PageAnon, SetPageDirty, put_page } from './page.js';
import {
  pgd_bad, pgd_offset, pgdp_get, pgd_none, pgtable_page_free, pmd_bad, pmd_none, pmd_offset,
  pmdp_get, pte_offset_map, pud_bad, pud_none, pud_offset, pudp_get, set_pte,
} from './pgalloc.js';
import { _PAGE_DIRTY, pte_pfn, __pte } from './pgtable.js';
import { pte_hi_at, pte_lo_at, pte_none_raw, pte_present_raw, set_pte_raw, vm_normal_page_raw } from './pte_raw.js';
import { mm_counter, page_remove_rmap, unlink_anon_vmas } from './rmap.js';
import { TLB_FLUSH_ALL, flush_tlb_mm_range } from './tlbflush.js';

/** Room for one page table's pages at first; the arrays double when full (Linux chains more batches). */
const GATHER_START = 512;

/** a with room for one more entry after its first n. */
function gather_room(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (n < a.length) return a;
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

// include/asm-generic/tlb.h struct mmu_gather
export class mmu_gather {
  readonly mm: mm_struct;
  readonly fullmm: boolean;
  /** The range whose translations must go (start > end: nothing yet). */
  start = Infinity;
  end = 0;
  freed_tables = false;
  /** Pages whose pte was cleared (the first nr_pages): their reference is dropped after the flush. */
  pages = new Int32Array(GATHER_START);
  nr_pages = 0;
  /** Page-table pages taken out of the tree (the first nr_tables): freed after the flush. */
  tables = new Int32Array(GATHER_START);
  nr_tables = 0;

  constructor(mm: mm_struct, start: number, end: number) {
    this.mm = mm;
    this.fullmm = start === 0 && end === TLB_FLUSH_ALL;
  }
}

// Linux 5.10 mm/mmu_gather.c tlb_gather_mmu
export function tlb_gather_mmu(mm: mm_struct, start: number, end: number): mmu_gather {
  return new mmu_gather(mm, start, end);
}

// include/asm-generic/tlb.h __tlb_adjust_range
function __tlb_adjust_range(tlb: mmu_gather, address: number, range_size: number): void {
  tlb.start = Math.min(tlb.start, address);
  tlb.end = Math.max(tlb.end, address + range_size);
}

// include/asm-generic/tlb.h tlb_remove_tlb_entry
export function tlb_remove_tlb_entry(tlb: mmu_gather, _ptep: number, address: number): void {
  __tlb_adjust_range(tlb, address, PAGE_SIZE);
}

// include/asm-generic/tlb.h __tlb_remove_page
export function __tlb_remove_page(tlb: mmu_gather, pfn: number): void {
  tlb.pages = gather_room(tlb.pages, tlb.nr_pages);
  tlb.pages[tlb.nr_pages++] = pfn;
}

// include/asm-generic/tlb.h pte_free_tlb / pmd_free_tlb / pud_free_tlb
function pgtable_free_tlb(tlb: mmu_gather, pfn: number, address: number): void {
  __tlb_adjust_range(tlb, address, PAGE_SIZE);
  tlb.freed_tables = true;
  tlb.tables = gather_room(tlb.tables, tlb.nr_tables);
  tlb.tables[tlb.nr_tables++] = pfn;
}

// Linux 5.10 mm/mmu_gather.c tlb_flush_mmu: flush (arch/x86 tlb_flush), then release what was gathered
export function tlb_flush_mmu(tlb: mmu_gather): void {
  if (tlb.fullmm) flush_tlb_mm_range(tlb.mm, 0, TLB_FLUSH_ALL, 12, tlb.freed_tables);
  else if (tlb.end > 0) flush_tlb_mm_range(tlb.mm, tlb.start, tlb.end, 12, tlb.freed_tables);
  tlb.start = Infinity;
  tlb.end = 0;
  const m = tlb.mm.zone.mem_map;
  for (let i = 0; i < tlb.nr_pages; i++) put_page(m, tlb.pages[i]);
  for (let i = 0; i < tlb.nr_tables; i++) pgtable_page_free(tlb.mm.zone, tlb.tables[i]);
  tlb.nr_pages = 0;
  tlb.nr_tables = 0;
}

// Linux 5.10 mm/mmu_gather.c tlb_finish_mmu
export function tlb_finish_mmu(tlb: mmu_gather): void {
  tlb_flush_mmu(tlb);
}

/** The end of the level-sized block holding addr, or end if sooner (pgd_addr_end & co.). */
function level_addr_end(addr: number, end: number, size: number): number {
  const boundary = Math.floor(addr / size) * size + size;
  return boundary < end ? boundary : end;
}

// Linux 5.10 mm/memory.c zap_pte_range: clear the ptes, count rss down, drop the mappings. The TLB range
// grows once per table by the span of the entries cleared (tlb_remove_tlb_entry for each, summed).
function zap_pte_range(tlb: mmu_gather, vma: vm_area_struct, pmdp: number, addr: number, end: number, rss: Float64Array): void {
  const zone = tlb.mm.zone;
  const mem = zone.mem;
  const m = zone.mem_map;
  let ptep = pte_offset_map(mem, pmdp, addr);
  let first = -1, last = -1; // the first and last entry cleared, by index
  const n = (end - addr) / PAGE_SIZE;
  for (let k = 0; k < n; k++, ptep += 8) {
    const lo = pte_lo_at(mem, ptep), hi = pte_hi_at(mem, ptep); // ptent = ptep_get(pte)
    if (pte_none_raw(lo, hi)) continue;
    if (!pte_present_raw(lo)) {
      set_pte_raw(mem, ptep, 0, 0); // swap/migration entries come with swap (v2)
      continue;
    }
    const page = vm_normal_page_raw(zone, vma, addr + k * PAGE_SIZE, lo, hi);
    set_pte_raw(mem, ptep, 0, 0); // ptep_get_and_clear_full
    if (first < 0) first = k; // tlb_remove_tlb_entry
    last = k;
    if (page === null) continue;
    if (!PageAnon(m, page) && (lo & _PAGE_DIRTY) !== 0) SetPageDirty(m, page); // pte_dirty
    rss[mm_counter(m, page)]--;
    page_remove_rmap(m, page);
    __tlb_remove_page(tlb, page);
  }
  if (first >= 0) __tlb_adjust_range(tlb, addr + first * PAGE_SIZE, (last - first + 1) * PAGE_SIZE);
}

// Linux 5.10 mm/memory.c zap_pmd_range
function zap_pmd_range(tlb: mmu_gather, vma: vm_area_struct, pudp: number, addr: number, end: number, rss: Float64Array): void {
  const mem = tlb.mm.zone.mem;
  let pmdp = pmd_offset(mem, pudp, addr);
  for (; addr !== end; pmdp += 8) {
    const next = level_addr_end(addr, end, PMD_SIZE);
    if (!pmd_none_or_clear_bad(tlb.mm, pmdp)) zap_pte_range(tlb, vma, pmdp, addr, next, rss);
    addr = next;
  }
}

// Linux 5.10 mm/memory.c zap_pud_range
function zap_pud_range(tlb: mmu_gather, vma: vm_area_struct, p4dp: number, addr: number, end: number, rss: Float64Array): void {
  const mem = tlb.mm.zone.mem;
  let pudp = pud_offset(mem, p4dp, addr);
  for (; addr !== end; pudp += 8) {
    const next = level_addr_end(addr, end, PUD_SIZE);
    if (!pud_none_or_clear_bad(tlb.mm, pudp)) zap_pmd_range(tlb, vma, pudp, addr, next, rss);
    addr = next;
  }
}

// Linux 5.10 mm/memory.c unmap_page_range (zap_p4d_range folded into the pgd loop)
export function unmap_page_range(tlb: mmu_gather, vma: vm_area_struct, addr: number, end: number): void {
  const rss = new Float64Array(NR_MM_COUNTERS);
  let pgdp = pgd_offset(vma.vm_mm, addr);
  for (; addr !== end; pgdp += 8) {
    const next = level_addr_end(addr, end, PGDIR_SIZE);
    if (!pgd_none_or_clear_bad(tlb.mm, pgdp)) zap_pud_range(tlb, vma, pgdp, addr, next, rss);
    addr = next;
  }
  for (let i = 0; i < NR_MM_COUNTERS; i++) if (rss[i] !== 0) add_mm_counter(vma.vm_mm, i, rss[i]); // add_mm_rss_vec
}

// Linux 5.10 mm/memory.c unmap_single_vma
function unmap_single_vma(tlb: mmu_gather, vma: vm_area_struct, start_addr: number, end_addr: number): void {
  const start = Math.max(vma.vm_start, start_addr);
  if (start >= vma.vm_end) return;
  const end = Math.min(vma.vm_end, end_addr);
  if (end <= vma.vm_start) return;
  if (start !== end) unmap_page_range(tlb, vma, start, end);
}

// Linux 5.10 mm/memory.c unmap_vmas: the VMAs in order (a detached list in Linux; an array here)
export function unmap_vmas(tlb: mmu_gather, vmas: readonly vm_area_struct[], start_addr: number, end_addr: number): void {
  for (const vma of vmas) {
    if (vma.vm_start >= end_addr) break;
    unmap_single_vma(tlb, vma, start_addr, end_addr);
  }
}

// Linux 5.10 mm/memory.c zap_page_range: drop the pages of [start, start+size) in vma and its successors
export function zap_page_range(vma: vm_area_struct, start: number, size: number): void {
  const mm = vma.vm_mm;
  const end = start + size;
  const tlb = tlb_gather_mmu(mm, start, end);
  update_hiwater_rss(mm);
  for (let v: vm_area_struct | null = vma; v !== null && v.vm_start < end; v = v.vm_next) {
    unmap_single_vma(tlb, v, start, end);
  }
  tlb_finish_mmu(tlb);
}

// ---- freeing page-table pages ----

// Linux 5.10 include/linux/pgtable.h pgd_none_or_clear_bad & co.: a corrupt entry is cleared and skipped
function none_or_clear_bad(mm: mm_struct, p: number, none: boolean, bad: boolean): boolean {
  if (none) return true;
  if (bad) {
    set_pte(mm.zone.mem, p, __pte(0, 0));
    return true;
  }
  return false;
}
function pgd_none_or_clear_bad(mm: mm_struct, p: number): boolean {
  const e = pgdp_get(mm.zone.mem, p);
  return none_or_clear_bad(mm, p, pgd_none(e), pgd_bad(e));
}
function pud_none_or_clear_bad(mm: mm_struct, p: number): boolean {
  const e = pudp_get(mm.zone.mem, p);
  return none_or_clear_bad(mm, p, pud_none(e), pud_bad(e));
}
function pmd_none_or_clear_bad(mm: mm_struct, p: number): boolean {
  const e = pmdp_get(mm.zone.mem, p);
  return none_or_clear_bad(mm, p, pmd_none(e), pmd_bad(e));
}

/** ceiling - 1 in unsigned arithmetic: a ceiling of 0 means the top of the address space. */
const minus1 = (x: number): number => (x === 0 ? U64 - 1 : x - 1);

/** The tail shared by free_pmd_range/free_pud_range: may the table covering [start, end) go? */
function table_freeable(start: number, end: number, floor: number, ceiling: number, size: number): boolean {
  start = Math.floor(start / size) * size;
  if (start < floor) return false;
  if (ceiling !== 0) {
    ceiling = Math.floor(ceiling / size) * size;
    if (ceiling === 0) return false;
  }
  return !(end - 1 > minus1(ceiling));
}

// Linux 5.10 mm/memory.c free_pte_range: unhook and free one pte table
function free_pte_range(tlb: mmu_gather, pmdp: number, addr: number): void {
  const mem = tlb.mm.zone.mem;
  const pfn = pte_pfn(pmdp_get(mem, pmdp));
  set_pte(mem, pmdp, __pte(0, 0)); // pmd_clear
  pgtable_free_tlb(tlb, pfn, addr);
  tlb.mm.pgtables_bytes -= PAGE_SIZE; // mm_dec_nr_ptes
}

// Linux 5.10 mm/memory.c free_pmd_range
function free_pmd_range(tlb: mmu_gather, pudp: number, addr: number, end: number, floor: number, ceiling: number): void {
  const mem = tlb.mm.zone.mem;
  const start = addr;
  let pmdp = pmd_offset(mem, pudp, addr);
  for (; addr !== end; pmdp += 8) {
    const next = level_addr_end(addr, end, PMD_SIZE);
    if (!pmd_none_or_clear_bad(tlb.mm, pmdp)) free_pte_range(tlb, pmdp, addr);
    addr = next;
  }
  if (!table_freeable(start, end, floor, ceiling, PUD_SIZE)) return;
  const pfn = pte_pfn(pudp_get(mem, pudp));
  set_pte(mem, pudp, __pte(0, 0)); // pud_clear
  pgtable_free_tlb(tlb, pfn, Math.floor(start / PUD_SIZE) * PUD_SIZE);
  tlb.mm.pgtables_bytes -= PAGE_SIZE; // mm_dec_nr_pmds
}

// Linux 5.10 mm/memory.c free_pud_range (its p4d caller is folded away)
function free_pud_range(tlb: mmu_gather, p4dp: number, addr: number, end: number, floor: number, ceiling: number): void {
  const mem = tlb.mm.zone.mem;
  const start = addr;
  let pudp = pud_offset(mem, p4dp, addr);
  for (; addr !== end; pudp += 8) {
    const next = level_addr_end(addr, end, PUD_SIZE);
    if (!pud_none_or_clear_bad(tlb.mm, pudp)) free_pmd_range(tlb, pudp, addr, next, floor, ceiling);
    addr = next;
  }
  if (!table_freeable(start, end, floor, ceiling, PGDIR_SIZE)) return;
  const pfn = pte_pfn(pgdp_get(mem, p4dp));
  set_pte(mem, p4dp, __pte(0, 0)); // p4d_clear
  pgtable_free_tlb(tlb, pfn, Math.floor(start / PGDIR_SIZE) * PGDIR_SIZE);
  tlb.mm.pgtables_bytes -= PAGE_SIZE; // mm_dec_nr_puds
}

// Linux 5.10 mm/memory.c free_pgd_range: free the tables that only served [addr, end), never touching
// what [floor, ceiling) says neighbours still use
export function free_pgd_range(tlb: mmu_gather, addr: number, end: number, floor: number, ceiling: number): void {
  addr = Math.floor(addr / PMD_SIZE) * PMD_SIZE;
  if (addr < floor) addr += PMD_SIZE;
  if (ceiling !== 0) {
    ceiling = Math.floor(ceiling / PMD_SIZE) * PMD_SIZE;
    if (ceiling === 0) return;
  }
  if (end - 1 > minus1(ceiling)) end -= PMD_SIZE;
  if (addr > end - 1) return;
  let pgdp = pgd_offset(tlb.mm, addr);
  for (; addr !== end; pgdp += 8) {
    const next = level_addr_end(addr, end, PGDIR_SIZE);
    if (!pgd_none_or_clear_bad(tlb.mm, pgdp)) free_pud_range(tlb, pgdp, addr, next, floor, ceiling);
    addr = next;
  }
}

// Linux 5.10 mm/memory.c free_pgtables: for the (detached, ordered) VMAs, gathering neighbours less
// than a PMD apart into one call
export function free_pgtables(tlb: mmu_gather, vmas: readonly vm_area_struct[], floor: number, ceiling: number): void {
  let i = 0;
  while (i < vmas.length) {
    const addr = vmas[i].vm_start;
    unlink_anon_vmas(vmas[i]);
    while (i + 1 < vmas.length && vmas[i + 1].vm_start <= vmas[i].vm_end + PMD_SIZE) {
      i++;
      unlink_anon_vmas(vmas[i]);
    }
    const next = i + 1 < vmas.length ? vmas[i + 1].vm_start : ceiling;
    free_pgd_range(tlb, addr, vmas[i].vm_end, floor, next);
    i++;
  }
}
