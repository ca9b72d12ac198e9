// fork's page-table copy (Linux 5.10 mm/memory.c copy_page_range, copy_p4d_range, copy_pud_range,
// copy_pmd_range, copy_pte_range, copy_present_pte — the last was copy_one_pte up to 5.8).
// A private writable page stays one frame: its pte is write-protected in the parent AND the child, its
// refcount and mapcount go up by one, and the first write on either side faults into do_wp_page
// (kernel/memory_wp.ts), which copies or reuses. Shared mappings keep their ptes as they are. The pte
// loop reads and writes entries by halves (kernel/pte_raw.ts): a 64 MiB fork visits 16,384 of them.
//
//   copy_page_range(dst_vma, src_vma): number     0, or -ENOMEM (a page table could not be allocated)

import { ENOMEM, NR_MM_COUNTERS, PAGE_SIZE, PGDIR_SIZE, PMD_SIZE, PUD_SIZE, VM_HUGETLB, VM_MAYWRITE, VM_MIXEDMAP, VM_PFNMAP, VM_SHARED } from './mm_constants.js';
import { add_mm_counter, type mm_struct, type vm_area_struct } from './mm_types.js';
import { KernelBug, get_page } from './page.js';
import type { Zone } from './page_alloc.js';
import {
  pgd_bad, pgd_none, pgd_offset, pmd_alloc, pmd_bad, pmd_none, pmd_offset, pte_alloc, pte_offset_map,
  pud_alloc, pud_bad, pud_none, pud_offset, p4d_alloc, pmdp_get, pudp_get, pgdp_get,
} from './pgalloc.js';
import { _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_RW } from './pgtable.js';
import { pte_hi_at, pte_lo_at, pte_none_raw, pte_present_raw, set_pte_raw, vm_normal_page_raw } from './pte_raw.js';
import { mm_counter } from './rmap.js';

// Linux 5.10 include/linux/mm.h is_cow_mapping: private and possibly writable
export function is_cow_mapping(flags: number): boolean {
  return (flags & (VM_SHARED | VM_MAYWRITE)) === VM_MAYWRITE;
}

/** The end of the level-sized block holding addr, or end if sooner (pgd_addr_end & co.). */
function addr_end(addr: number, end: number, size: number): number {
  const boundary = Math.floor(addr / size) * size + size;
  return boundary < end ? boundary : end;
}

// Linux 5.10 include/linux/mm.h page_dup_rmap: fork maps the page once more (no compound pages here)
function page_dup_rmap(m: { _mapcount: Int32Array }, page: number): void {
  m._mapcount[page]++;
}

// Linux 5.10 mm/memory.c copy_present_pte (copy_one_pte before 5.9), on the entry's halves lo/hi: one
// more reference and mapping on the page; a COW mapping's writable pte is write-protected in the parent
// and in the child's copy; the child's copy is old, and clean if shared. What it needs of the VMAs is
// read once per table by copy_pte_range.
function copy_present_pte(zone: Zone, src_vma: vm_area_struct, vm_flags: number, dst_pte: number, src_pte: number,
  addr: number, rss: Float64Array, lo: number, hi: number): void {
  const m = zone.mem_map;
  const page = vm_normal_page_raw(zone, src_vma, addr, lo, hi);
  if (page !== null) {
    // copy_present_page: a page pinned for DMA would be copied at once; faultline pins nothing
    get_page(m, page);
    page_dup_rmap(m, page);
    rss[mm_counter(m, page)]++;
  }
  if (is_cow_mapping(vm_flags) && (lo & _PAGE_RW) !== 0) { // pte_write
    lo &= ~_PAGE_RW; // pte_wrprotect
    set_pte_raw(zone.mem, src_pte, lo, hi); // ptep_set_wrprotect(src_mm, addr, src_pte)
  }
  if (vm_flags & VM_SHARED) lo &= ~_PAGE_DIRTY; // pte_mkclean
  lo &= ~_PAGE_ACCESSED; // pte_mkold
  set_pte_raw(zone.mem, dst_pte, lo, hi); // set_pte_at (one zone: the child's mm shares the parent's)
}

// Linux 5.10 mm/memory.c copy_pte_range: every present pte of one page table (swap entries come with swap)
function copy_pte_range(dst_vma: vm_area_struct, src_vma: vm_area_struct, dst_pmd: number, src_pmd: number, addr: number, end: number): number {
  const dst_mm = dst_vma.vm_mm;
  const zone = src_vma.vm_mm.zone;
  const mem = zone.mem;
  if (dst_mm.zone !== zone) throw new KernelBug('fork across memory zones');
  if (pte_alloc(dst_mm, dst_pmd)) return -ENOMEM;
  let dst_pte = pte_offset_map(mem, dst_pmd, addr);
  let src_pte = pte_offset_map(mem, src_pmd, addr);
  const rss = new Float64Array(NR_MM_COUNTERS);
  const vm_flags = src_vma.vm_flags;
  const n = (end - addr) / PAGE_SIZE;
  for (let k = 0; k < n; k++, dst_pte += 8, src_pte += 8) {
    const lo = pte_lo_at(mem, src_pte), hi = pte_hi_at(mem, src_pte); // ptep_get
    if (pte_none_raw(lo, hi) || !pte_present_raw(lo)) continue; // copy_nonpresent_pte: no swap entries in v1
    copy_present_pte(zone, src_vma, vm_flags, dst_pte, src_pte, addr + k * PAGE_SIZE, rss, lo, hi);
  }
  add_mm_rss_vec(dst_mm, rss);
  return 0;
}

// Linux 5.10 mm/memory.c add_mm_rss_vec
function add_mm_rss_vec(mm: mm_struct, rss: Float64Array): void {
  for (let i = 0; i < NR_MM_COUNTERS; i++) if (rss[i] !== 0) add_mm_counter(mm, i, rss[i]);
}

// Linux 5.10 mm/memory.c copy_pmd_range (no huge pmds in faultline)
function copy_pmd_range(dst_vma: vm_area_struct, src_vma: vm_area_struct, dst_pud: number, src_pud: number, addr: number, end: number): number {
  const dst_mm = dst_vma.vm_mm;
  const mem = dst_mm.zone.mem;
  const dst_pmd0 = pmd_alloc(dst_mm, dst_pud, addr);
  if (dst_pmd0 === null) return -ENOMEM;
  let dst_pmd = dst_pmd0;
  let src_pmd = pmd_offset(mem, src_pud, addr);
  for (; addr !== end; dst_pmd += 8, src_pmd += 8) {
    const next = addr_end(addr, end, PMD_SIZE);
    const e = pmdp_get(mem, src_pmd);
    if (!pmd_none(e) && !pmd_bad(e) && copy_pte_range(dst_vma, src_vma, dst_pmd, src_pmd, addr, next)) return -ENOMEM;
    addr = next;
  }
  return 0;
}

// Linux 5.10 mm/memory.c copy_pud_range (copy_p4d_range is folded: 4-level paging)
function copy_pud_range(dst_vma: vm_area_struct, src_vma: vm_area_struct, dst_p4d: number, src_p4d: number, addr: number, end: number): number {
  const dst_mm = dst_vma.vm_mm;
  const mem = dst_mm.zone.mem;
  const dst_pud0 = pud_alloc(dst_mm, dst_p4d, addr);
  if (dst_pud0 === null) return -ENOMEM;
  let dst_pud = dst_pud0;
  let src_pud = pud_offset(mem, src_p4d, addr);
  for (; addr !== end; dst_pud += 8, src_pud += 8) {
    const next = addr_end(addr, end, PUD_SIZE);
    const e = pudp_get(mem, src_pud);
    if (!pud_none(e) && !pud_bad(e) && copy_pmd_range(dst_vma, src_vma, dst_pud, src_pud, addr, next)) return -ENOMEM;
    addr = next;
  }
  return 0;
}

// Linux 5.10 mm/memory.c copy_page_range: "Don't copy ptes where a page fault will fill them correctly" —
// a VMA without anonymous pages (file text, a mapping only ever read, shared memory) is left to fault in
// the child; the others are copied table by table
export function copy_page_range(dst_vma: vm_area_struct, src_vma: vm_area_struct): number {
  if (!(src_vma.vm_flags & (VM_HUGETLB | VM_PFNMAP | VM_MIXEDMAP)) && src_vma.anon_vma === null) return 0;
  const dst_mm = dst_vma.vm_mm;
  const src_mm = src_vma.vm_mm;
  const mem = src_mm.zone.mem;
  let addr = src_vma.vm_start;
  const end = src_vma.vm_end;
  let dst_pgd = pgd_offset(dst_mm, addr);
  let src_pgd = pgd_offset(src_mm, addr);
  for (; addr !== end; dst_pgd += 8, src_pgd += 8) {
    const next = addr_end(addr, end, PGDIR_SIZE);
    const e = pgdp_get(mem, src_pgd);
    if (!pgd_none(e) && !pgd_bad(e)) {
      const dst_p4d = p4d_alloc(dst_mm, dst_pgd, addr);
      if (dst_p4d === null || copy_pud_range(dst_vma, src_vma, dst_p4d, src_pgd, addr, next)) return -ENOMEM;
    }
    addr = next;
  }
  return 0;
}
