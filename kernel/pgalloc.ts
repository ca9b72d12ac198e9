// Walking and growing the 4-level page tables in guest memory (Linux 5.10 include/linux/pgtable.h,
// include/linux/mm.h p4d_alloc..pte_alloc, arch/x86/include/asm/pgalloc.h, arch/x86/mm/pgtable.c).
// An entry "pointer" (pgd_t *, pmd_t *, pte_t * ...) is the physical byte address of the entry; helpers
// that dereference one take the PhysicalMemory first, where Linux would go through its direct map.
// The p4d level is folded (4-level paging): p4d_offset returns the pgd entry itself.

import type { PhysicalMemory } from '../vm/memory.js';
import {
  KERNEL_PGD_BOUNDARY, PAGE_SIZE, PGDIR_SIZE, PMD_SIZE, PUD_SIZE,
} from './mm_constants.js';
import type { mm_struct } from './mm_types.js';
import { PG_table, SetPageFlag, ClearPageFlag } from './page.js';
import { GFP_PGTABLE_USER, __free_page, get_zeroed_page, type Zone } from './page_alloc.js';
import {
  PTE_PFN_MASK_HI, PTE_PFN_MASK_LO, _PAGE_PRESENT, _PAGE_PSE, _PAGE_TABLE, __pte, pte_same, type pgd_t, type pmd_t,
  type pte_t, type pud_t,
} from './pgtable.js';

// ---- reading and writing one entry ----

// Linux 5.10 include/linux/pgtable.h ptep_get (and *pmd, *pud, *pgd: one 64-bit little-endian load)
export function ptep_get(mem: PhysicalMemory, ptep: number): pte_t {
  return __pte(mem.view.getUint32(ptep, true), mem.view.getUint32(ptep + 4, true));
}

// The walk below reads entries by halves (no pte_t built): it runs for every fault.
/** The entry at ptep is all zeros (pgd_none & co. on the entry in memory). */
function entry_none_at(mem: PhysicalMemory, ptep: number): boolean {
  return mem.view.getInt32(ptep, true) === 0 && mem.view.getInt32(ptep + 4, true) === 0;
}
/** entry_phys of the entry at ptep: the physical address of the table it points to. */
function entry_phys_at(mem: PhysicalMemory, ptep: number): number {
  return ((mem.view.getInt32(ptep, true) & PTE_PFN_MASK_LO) >>> 0) + (mem.view.getInt32(ptep + 4, true) & PTE_PFN_MASK_HI) * 0x100000000;
}
export const pmdp_get = ptep_get;
export const pudp_get = ptep_get;
export const p4dp_get = ptep_get;
export const pgdp_get = ptep_get;

// Linux 5.10 arch/x86 native_set_pte (set_pte, set_pmd, set_pud, set_p4d, set_pgd)
export function set_pte(mem: PhysicalMemory, ptep: number, pte: pte_t): void {
  mem.view.setUint32(ptep, pte.lo, true);
  mem.view.setUint32(ptep + 4, pte.hi, true);
}
export const set_pmd = set_pte;
export const set_pud = set_pte;
export const set_p4d = set_pte;
export const set_pgd = set_pte;

// Linux 5.10 include/linux/pgtable.h set_pte_at
export function set_pte_at(mm: mm_struct, _addr: number, ptep: number, pte: pte_t): void {
  set_pte(mm.zone.mem, ptep, pte);
}
// Linux 5.10 include/linux/pgtable.h pte_clear
export function pte_clear(mm: mm_struct, _addr: number, ptep: number): void {
  set_pte(mm.zone.mem, ptep, __pte(0, 0));
}
// Linux 5.10 include/linux/pgtable.h ptep_get_and_clear
export function ptep_get_and_clear(mm: mm_struct, addr: number, ptep: number): pte_t {
  const old = ptep_get(mm.zone.mem, ptep);
  pte_clear(mm, addr, ptep);
  return old;
}
// Linux 5.10 arch/x86/include/asm/pgtable.h ptep_set_wrprotect (fork's COW write-protect)
export function ptep_set_wrprotect(mm: mm_struct, _addr: number, ptep: number): void {
  const old = ptep_get(mm.zone.mem, ptep);
  set_pte(mm.zone.mem, ptep, __pte(old.lo & ~2, old.hi));
}
// Linux 5.10 arch/x86/mm/pgtable.c ptep_set_access_flags: x86 writes only when the change is a dirtying one
export function ptep_set_access_flags(mm: mm_struct, _addr: number, ptep: number, entry: pte_t, dirty: boolean): boolean {
  const changed = !pte_same(ptep_get(mm.zone.mem, ptep), entry);
  if (changed && dirty) set_pte(mm.zone.mem, ptep, entry);
  return changed;
}
// Linux 5.10 arch/x86/mm/pgtable.c ptep_test_and_clear_young
export function ptep_test_and_clear_young(mm: mm_struct, _addr: number, ptep: number): boolean {
  const old = ptep_get(mm.zone.mem, ptep);
  if (!(old.lo & 0x20)) return false;
  set_pte(mm.zone.mem, ptep, __pte(old.lo & ~0x20, old.hi));
  return true;
}

// ---- indices (pgd_index ...). Addresses may be negative (kernel half): floor keeps two's complement. ----

export const pgd_index = (addr: number): number => Math.floor(addr / PGDIR_SIZE) & 511;
export const pud_index = (addr: number): number => Math.floor(addr / PUD_SIZE) & 511;
export const pmd_index = (addr: number): number => Math.floor(addr / PMD_SIZE) & 511;
export const pte_index = (addr: number): number => Math.floor(addr / PAGE_SIZE) & 511;

// ---- state of upper-level entries ----

export const pgd_none = (e: pgd_t): boolean => e.lo === 0 && e.hi === 0;
export const pgd_present = (e: pgd_t): boolean => (e.lo & _PAGE_PRESENT) !== 0;
export const p4d_none = pgd_none;
export const p4d_present = pgd_present;
export const pud_none = pgd_none;
export const pud_present = pgd_present;
export const pmd_none = pgd_none;
export const pmd_present = pgd_present;
// Linux 5.10 pud_large / pmd_large (a 1 GiB or 2 MiB leaf)
export const pud_large = (e: pud_t): boolean => (e.lo & (_PAGE_PSE | _PAGE_PRESENT)) === (_PAGE_PSE | _PAGE_PRESENT);
export const pmd_large = (e: pmd_t): boolean => (e.lo & _PAGE_PSE) !== 0;
export const pmd_trans_huge = pmd_large;
// Linux 5.10 pmd_bad / pud_bad / p4d_bad / pgd_bad: a table entry whose flags are not _PAGE_TABLE-like
// (the user bit may differ: kernel tables use _KERNPG_TABLE)
const tableBad = (e: pte_t): boolean => ((e.lo & 0xfff & ~0x4) | 0) !== (_PAGE_TABLE & ~0x4);
export const pmd_bad = tableBad;
export const pud_bad = tableBad;
export const p4d_bad = tableBad;
export const pgd_bad = tableBad;

// ---- offsets: from an entry pointer to the entry for `address` one level down ----

// Linux 5.10 pgd_offset(mm, address)
export function pgd_offset(mm: mm_struct, address: number): number {
  return mm.pgd + pgd_index(address) * 8;
}
// Linux 5.10 pgd_offset_pgd: the same on a bare top-level table
export function pgd_offset_pgd(pgd: number, address: number): number {
  return pgd + pgd_index(address) * 8;
}
// Linux 5.10 p4d_offset: folded into the pgd with 4-level paging
export function p4d_offset(pgdp: number, _address: number): number {
  return pgdp;
}
// Linux 5.10 pud_offset
export function pud_offset(mem: PhysicalMemory, p4dp: number, address: number): number {
  return entry_phys_at(mem, p4dp) + pud_index(address) * 8;
}
// Linux 5.10 pmd_offset
export function pmd_offset(mem: PhysicalMemory, pudp: number, address: number): number {
  return entry_phys_at(mem, pudp) + pmd_index(address) * 8;
}
// Linux 5.10 pte_offset_kernel / pte_offset_map (no highmem: mapping is free)
export function pte_offset_map(mem: PhysicalMemory, pmdp: number, address: number): number {
  return entry_phys_at(mem, pmdp) + pte_index(address) * 8;
}
export const pte_offset_kernel = pte_offset_map;
// Linux 5.10 pte_unmap: nothing to undo without highmem
export function pte_unmap(_ptep: number): void {}

// ---- allocating missing levels (__pud_alloc, __pmd_alloc, __pte_alloc) ----

/** A zeroed page-table page, marked PG_table, or null when memory is exhausted. */
function pgtable_page_alloc(zone: Zone): number | null {
  const pfn = get_zeroed_page(zone, GFP_PGTABLE_USER);
  if (pfn !== null) SetPageFlag(zone.mem_map, pfn, PG_table);
  return pfn;
}

/** Free a page-table page (pte_free, pmd_free, pud_free: the pgtable destructor, then __free_page). */
export function pgtable_page_free(zone: Zone, pfn: number): void {
  ClearPageFlag(zone.mem_map, pfn, PG_table);
  __free_page(zone, pfn);
}

// Linux 5.10 mm/memory.c __pud_alloc + arch/x86 p4d_populate
function __pud_alloc(mm: mm_struct, p4dp: number): boolean {
  const pfn = pgtable_page_alloc(mm.zone);
  if (pfn === null) return false;
  mm.pgtables_bytes += PAGE_SIZE; // mm_inc_nr_puds
  set_p4d(mm.zone.mem, p4dp, __pte(pfn * PAGE_SIZE + _PAGE_TABLE, 0));
  return true;
}
// Linux 5.10 mm/memory.c __pmd_alloc + pud_populate
function __pmd_alloc(mm: mm_struct, pudp: number): boolean {
  const pfn = pgtable_page_alloc(mm.zone);
  if (pfn === null) return false;
  mm.pgtables_bytes += PAGE_SIZE; // mm_inc_nr_pmds
  set_pud(mm.zone.mem, pudp, __pte(pfn * PAGE_SIZE + _PAGE_TABLE, 0));
  return true;
}
// Linux 5.10 mm/memory.c __pte_alloc + pmd_populate: returns true on failure, like Linux's int
export function __pte_alloc(mm: mm_struct, pmdp: number): boolean {
  const pfn = pgtable_page_alloc(mm.zone);
  if (pfn === null) return true;
  mm.pgtables_bytes += PAGE_SIZE; // mm_inc_nr_ptes
  set_pmd(mm.zone.mem, pmdp, __pte(pfn * PAGE_SIZE + _PAGE_TABLE, 0));
  return false;
}

// Linux 5.10 include/linux/mm.h p4d_alloc: the p4d is folded, so it always exists
export function p4d_alloc(_mm: mm_struct, pgdp: number, address: number): number | null {
  return p4d_offset(pgdp, address);
}
// Linux 5.10 include/linux/mm.h pud_alloc: null when out of memory
export function pud_alloc(mm: mm_struct, p4dp: number, address: number): number | null {
  if (entry_none_at(mm.zone.mem, p4dp) && !__pud_alloc(mm, p4dp)) return null; // p4d_none
  return pud_offset(mm.zone.mem, p4dp, address);
}
// Linux 5.10 include/linux/mm.h pmd_alloc
export function pmd_alloc(mm: mm_struct, pudp: number, address: number): number | null {
  if (entry_none_at(mm.zone.mem, pudp) && !__pmd_alloc(mm, pudp)) return null; // pud_none
  return pmd_offset(mm.zone.mem, pudp, address);
}
// Linux 5.10 include/linux/mm.h pte_alloc: true when a needed table could not be allocated
export function pte_alloc(mm: mm_struct, pmdp: number): boolean {
  return entry_none_at(mm.zone.mem, pmdp) && __pte_alloc(mm, pmdp); // pmd_none
}
// Linux 5.10 include/linux/mm.h pte_alloc_map
export function pte_alloc_map(mm: mm_struct, pmdp: number, address: number): number | null {
  return pte_alloc(mm, pmdp) ? null : pte_offset_map(mm.zone.mem, pmdp, address);
}

/** Walk to the pte slot for `address`, allocating missing levels as __handle_mm_fault does; null on OOM. */
export function walk_alloc_pte(mm: mm_struct, address: number): number | null {
  const p4d = p4d_alloc(mm, pgd_offset(mm, address), address);
  if (p4d === null) return null;
  const pud = pud_alloc(mm, p4d, address);
  if (pud === null) return null;
  const pmd = pmd_alloc(mm, pud, address);
  if (pmd === null) return null;
  return pte_alloc_map(mm, pmd, address);
}

/** Walk to the pte slot for `address` without allocating (follow_pte); null if a level is missing. */
export function walk_pte(mm: mm_struct, address: number): number | null {
  const mem = mm.zone.mem;
  const pgd = pgd_offset(mm, address);
  if (!pgd_present(pgdp_get(mem, pgd))) return null;
  const pud = pud_offset(mem, p4d_offset(pgd, address), address);
  const pudv = pudp_get(mem, pud);
  if (!pud_present(pudv) || pud_large(pudv)) return null;
  const pmd = pmd_offset(mem, pud, address);
  const pmdv = pmdp_get(mem, pmd);
  if (!pmd_present(pmdv) || pmd_large(pmdv)) return null;
  return pte_offset_map(mem, pmd, address);
}

// ---- the top level ----

// Linux 5.10 arch/x86/mm/pgtable.c pgd_alloc: a zeroed PML4 sharing init_mm's kernel half (pgd_ctor);
// init_mm_pgd null makes init_mm's own, empty table
export function pgd_alloc(zone: Zone, init_mm_pgd: number | null): number | null {
  const pfn = pgtable_page_alloc(zone);
  if (pfn === null) return null;
  const pgd = pfn * PAGE_SIZE;
  if (init_mm_pgd === null) return pgd;
  const half = KERNEL_PGD_BOUNDARY * 8;
  zone.mem.u8.copyWithin(pgd + half, init_mm_pgd + half, init_mm_pgd + PAGE_SIZE); // clone_pgd_range
  return pgd;
}

// Linux 5.10 arch/x86/mm/pgtable.c pgd_free
export function pgd_free(zone: Zone, pgd: number): void {
  pgtable_page_free(zone, pgd / PAGE_SIZE);
}
