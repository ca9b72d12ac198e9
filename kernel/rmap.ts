// The reverse-map bookkeeping memory management needs (Linux 5.10 mm/rmap.c, mm/memory.c
// vm_normal_page, include/linux/mm.h mm_counter): anon_vma attachment and page->_mapcount.
// faultline never walks the reverse map (no reclaim of mapped pages in v1), so anon_vma is identity only.

import { MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES, PAGE_SIZE, VM_ACCESS_FLAGS, VM_MIXEDMAP, VM_PFNMAP } from './mm_constants.js';
import { anon_vma, type vm_area_struct } from './mm_types.js';
import { KernelBug, PG_anon, PG_swapbacked, PageAnon, PageSwapBacked, SetPageFlag, type MemMap } from './page.js';
import { is_zero_pfn, type Zone } from './page_alloc.js';
import { pte_pfn, pte_special, type pte_t } from './pgtable.js';

// Linux 5.10 mm/memory.c vm_normal_page: the page behind a pte, or null for special mappings (zero page)
export function vm_normal_page(zone: Zone, vma: vm_area_struct, _addr: number, pte: pte_t): number | null {
  const pfn = pte_pfn(pte);
  if (pte_special(pte)) {
    if (vma.vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) return null;
    if (is_zero_pfn(zone, pfn)) return null;
    throw new KernelBug(`Bad page map: special pte for pfn ${pfn}`); // print_bad_pte
  }
  if (pfn >= zone.mem_map.nr_pages) throw new KernelBug(`Bad page map: pfn ${pfn} beyond memory`);
  return pfn;
}

// Linux 5.10 include/linux/mm.h mm_counter: which rss counter a mapped page is charged to
export function mm_counter(m: MemMap, pfn: number): number {
  if (PageAnon(m, pfn)) return MM_ANONPAGES;
  if (PageSwapBacked(m, pfn)) return MM_SHMEMPAGES;
  return MM_FILEPAGES;
}

// Linux 5.10 include/linux/pagemap.h linear_page_index
export function linear_page_index(vma: vm_area_struct, address: number): number {
  return (address - vma.vm_start) / PAGE_SIZE + vma.vm_pgoff;
}

// Linux 5.10 mm/rmap.c page_add_new_anon_rmap: first mapping of a freshly allocated anonymous page
export function page_add_new_anon_rmap(m: MemMap, pfn: number, vma: vm_area_struct, address: number): void {
  if (vma.anon_vma === null) throw new KernelBug('page_add_new_anon_rmap without anon_vma');
  SetPageFlag(m, pfn, PG_swapbacked);
  m._mapcount[pfn] = 0;
  SetPageFlag(m, pfn, PG_anon); // __page_set_anon_rmap
  m.mapping[pfn] = vma.anon_vma;
  m.index[pfn] = linear_page_index(vma, address);
}

// Linux 5.10 mm/rmap.c page_add_anon_rmap: one more pte maps an existing anonymous page (fork, swap-in)
export function page_add_anon_rmap(m: MemMap, pfn: number, vma: vm_area_struct, address: number): void {
  if (++m._mapcount[pfn] === 0 && !PageAnon(m, pfn)) page_add_new_anon_rmap(m, pfn, vma, address);
}

// Linux 5.10 mm/rmap.c page_add_file_rmap
export function page_add_file_rmap(m: MemMap, pfn: number): void {
  m._mapcount[pfn]++;
}

// Linux 5.10 mm/rmap.c page_remove_rmap: a pte mapping the page went away
export function page_remove_rmap(m: MemMap, pfn: number): void {
  if (m._mapcount[pfn] < 0) throw new KernelBug(`Bad page map: pfn ${pfn} mapcount below zero`);
  m._mapcount[pfn]--;
}

// Linux 5.10 mm/mmap.c anon_vma_compatible: could a and b (a just below b) share pages' anon_vma?
function anon_vma_compatible(a: vm_area_struct, b: vm_area_struct): boolean {
  return a.vm_end === b.vm_start && a.vm_file === b.vm_file &&
    ((a.vm_flags ^ b.vm_flags) & ~VM_ACCESS_FLAGS) === 0 &&
    b.vm_pgoff === a.vm_pgoff + (b.vm_start - a.vm_start) / PAGE_SIZE;
}

// Linux 5.10 mm/mmap.c reusable_anon_vma
function reusable_anon_vma(old: vm_area_struct, a: vm_area_struct, b: vm_area_struct): anon_vma | null {
  if (!anon_vma_compatible(a, b)) return null;
  return old.anon_vma !== null && old.anon_vma_chain.length === 1 ? old.anon_vma : null;
}

// Linux 5.10 mm/mmap.c find_mergeable_anon_vma: share a neighbour's anon_vma so the VMAs can merge later
function find_mergeable_anon_vma(vma: vm_area_struct): anon_vma | null {
  const next = vma.vm_next;
  const prev = vma.vm_prev;
  let av = next !== null ? reusable_anon_vma(next, vma, next) : null;
  if (av === null && prev !== null) av = reusable_anon_vma(prev, prev, vma);
  return av;
}

// Linux 5.10 mm/rmap.c __anon_vma_prepare (via anon_vma_prepare): give the VMA an anon_vma before its
// first anonymous page
export function anon_vma_prepare(vma: vm_area_struct): anon_vma {
  if (vma.anon_vma !== null) return vma.anon_vma;
  const av = find_mergeable_anon_vma(vma) ?? new anon_vma();
  vma.anon_vma = av;
  vma.anon_vma_chain = [av];
  av.degree++;
  return av;
}

// Linux 5.10 mm/rmap.c anon_vma_clone: dst (a split-off or merged-into VMA) links to src's anon_vmas
export function anon_vma_clone(dst: vm_area_struct, src: vm_area_struct): void {
  for (const av of src.anon_vma_chain) {
    if (!dst.anon_vma_chain.includes(av)) {
      dst.anon_vma_chain.push(av);
      av.degree++;
    }
  }
}

// Linux 5.10 mm/rmap.c unlink_anon_vmas: the VMA is going away
export function unlink_anon_vmas(vma: vm_area_struct): void {
  for (const av of vma.anon_vma_chain) av.degree--;
  vma.anon_vma_chain = [];
}

// Linux 5.10 mm/rmap.c anon_vma_merge: next was merged into vma
export function anon_vma_merge(_vma: vm_area_struct, next: vm_area_struct): void {
  unlink_anon_vmas(next);
}
