// Write-protect faults: a write to a present, read-only pte in a writable VMA (Linux 5.10 mm/memory.c
// do_wp_page, wp_page_reuse, wp_page_copy, wp_page_shared; seed 002: 2.6.11 do_wp_page / break_cow).
// This is copy-on-write: the zero page, a file page mapped by a read, a page shared with a forked child.

import { fault_path } from './fault_trace.js';
import type { Machine } from './machine.js';
import { MM_ANONPAGES, VM_FAULT_OOM, VM_FAULT_WRITE, VM_SHARED, VM_WRITE } from './mm_constants.js';
import { dec_mm_counter, inc_mm_counter } from './mm_types.js';
import { fault_dirty_shared_page } from './memory_fault.js';
import { PageAnon, get_page, page_count, page_mapcount, put_page } from './page.js';
import { GFP_HIGHUSER_MOVABLE, __GFP_ZERO, alloc_page, copy_highpage, is_zero_pfn } from './page_alloc.js';
import { ptep_get, ptep_get_and_clear, ptep_set_access_flags, set_pte_at } from './pgalloc.js';
import { mk_pte, pte_mkdirty, pte_mkwrite, pte_mkyoung, pte_pfn, pte_same, type pte_t } from './pgtable.js';
import { profile } from './profiles.js';
import { anon_vma_prepare, mm_counter, page_add_new_anon_rmap, page_remove_rmap, vm_normal_page } from './rmap.js';
import { flush_tlb_page } from './tlbflush.js';
import type { vm_fault } from './vm_fault.js';
import type { vm_area_struct } from './mm_types.js';
import { hex64 } from './printk.js';

// Linux 5.10 include/linux/mm.h maybe_mkwrite: writable only if the VMA allows writing
function maybe_mkwrite(pte: pte_t, vma: vm_area_struct): pte_t {
  return vma.vm_flags & VM_WRITE ? pte_mkwrite(pte) : pte;
}

/**
 * A --trace cow line: the address, what happened, the frame(s) and their reference counts, e.g.
 *   0x404000 copy: pfn 812 (refcount 2 -> 1, mapcount 2 -> 1) -> new pfn 1570 (refcount 1)
 *   0x404000 reuse: pfn 812 (refcount 1 -> 1, mapcount 1): made writable in place, no copy
 */
function trace_cow(k: Machine, vmf: vm_fault, text: string, short: string): void {
  const at = `0x${hex64(vmf.address)}`;
  k.trace({ kind: 'cow', pid: k.current.pid, text: `${at} ${text}`, short: `${at} ${short}` });
}

// seed 002 / Linux 5.10 do_wp_page: reuse the page if nobody else can see it, else copy it
export function do_wp_page(vmf: vm_fault): number {
  const vma = vmf.vma;
  const zone = vma.vm_mm.zone;
  const m = zone.mem_map;
  fault_path(vmf.k, 'do_wp_page');
  const page = vm_normal_page(zone, vma, vmf.address, vmf.orig_pte);
  vmf.page = page ?? -1;
  if (page === null) {
    // The zero page (special): shared writable mappings have no zero page, so always a copy here.
    if ((vma.vm_flags & (VM_WRITE | VM_SHARED)) === (VM_WRITE | VM_SHARED)) return wp_pfn_shared(vmf);
    return wp_page_copy(vmf);
  }
  if (PageAnon(m, page)) {
    // 5.10: only if this pte holds the one and only reference; 4.19/2.6: the only mapping (profiles.ts)
    if (profile(vmf.k).wp_can_reuse(m, page)) {
      vmf.k.stats.cow_reuses++;
      if (vmf.k.tracing('cow')) {
        const rc = page_count(m, page);
        trace_cow(vmf.k, vmf, `reuse: pfn ${page} (refcount ${rc} -> ${rc}, mapcount ${page_mapcount(m, page)}): made writable in place, no copy`, `reuse: pfn ${page} made writable`);
      }
      wp_page_reuse(vmf);
      return VM_FAULT_WRITE;
    }
  } else if ((vma.vm_flags & (VM_WRITE | VM_SHARED)) === (VM_WRITE | VM_SHARED)) {
    return wp_page_shared(vmf);
  }
  get_page(m, page); // held across the copy
  return wp_page_copy(vmf);
}

// Linux 5.10 wp_page_reuse: make the existing pte writable, young and dirty; no copy, no flush (a more
// permissive pte needs none: the faulting write dropped the stale TLB entry)
export function wp_page_reuse(vmf: vm_fault): void {
  const vma = vmf.vma;
  fault_path(vmf.k, 'wp_page_reuse');
  const entry = maybe_mkwrite(pte_mkdirty(pte_mkyoung(vmf.orig_pte)), vma);
  ptep_set_access_flags(vma.vm_mm, vmf.address, vmf.pte as number, entry, true);
}

// Linux 5.10 wp_page_copy (seed 002: the copy and break_cow): a new private page replaces the old one
export function wp_page_copy(vmf: vm_fault): number {
  const vma = vmf.vma;
  const mm = vma.vm_mm;
  const zone = mm.zone;
  const m = zone.mem_map;
  const old_page = vmf.page;
  // (do_wp_page holds one extra reference on old_page across the copy: not counted as "before")
  const before = old_page >= 0 && vmf.k.tracing('cow') ? `refcount ${page_count(m, old_page) - 1}, mapcount ${page_mapcount(m, old_page)}` : '';
  anon_vma_prepare(vma);
  let new_page: number | null;
  if (is_zero_pfn(zone, pte_pfn(vmf.orig_pte))) {
    fault_path(vmf.k, 'wp_page_copy: zero page -> new page');
    new_page = alloc_page(zone, GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
  } else {
    fault_path(vmf.k, 'wp_page_copy');
    new_page = alloc_page(zone, GFP_HIGHUSER_MOVABLE);
    if (new_page !== null) copy_highpage(zone, new_page, old_page); // cow_user_page
  }
  if (new_page === null) {
    if (old_page >= 0) put_page(m, old_page);
    return VM_FAULT_OOM;
  }
  const ptep = vmf.pte as number;
  let page_copied = false;
  let to_free = new_page;
  if (pte_same(ptep_get(zone.mem, ptep), vmf.orig_pte)) {
    if (old_page >= 0) {
      if (!PageAnon(m, old_page)) {
        dec_mm_counter(mm, mm_counter(m, old_page)); // a file page leaves, an anonymous one comes
        inc_mm_counter(mm, MM_ANONPAGES);
      }
    } else {
      inc_mm_counter(mm, MM_ANONPAGES);
    }
    const entry = maybe_mkwrite(pte_mkdirty(mk_pte(new_page, vma.vm_page_prot)), vma);
    // Clear and flush before installing the new pte: the old translation must leave every TLB first.
    ptep_get_and_clear(mm, vmf.address, ptep);
    flush_tlb_page(vma, vmf.address); // ptep_clear_flush_notify
    page_add_new_anon_rmap(m, new_page, vma, vmf.address);
    set_pte_at(mm, vmf.address, ptep, entry);
    if (old_page >= 0) page_remove_rmap(m, old_page);
    to_free = old_page; // "Free the old page.." (drops the mapping's reference)
    page_copied = true;
    vmf.k.stats.cow_copies++;
  }
  if (to_free >= 0) put_page(m, to_free);
  if (old_page >= 0) put_page(m, old_page); // the reference do_wp_page took for the copy
  if (page_copied && vmf.k.tracing('cow')) trace_copy(vmf, old_page, new_page, before);
  return page_copied ? VM_FAULT_WRITE : 0;
}

/** The trace line of a copy, with the old page's counts before the fault and after it. */
function trace_copy(vmf: vm_fault, old_page: number, new_page: number, before: string): void {
  const m = vmf.vma.vm_mm.zone.mem_map;
  const fresh = `pfn ${new_page} (refcount ${page_count(m, new_page)}, mapcount ${page_mapcount(m, new_page)})`;
  if (old_page < 0) {
    trace_cow(vmf.k, vmf, `copy: zero page -> ${fresh}, zeroed (the zero page, pfn ${pte_pfn(vmf.orig_pte)}, stays shared)`, `copy: zero page -> pfn ${new_page}`);
    return;
  }
  // After the put_page calls the old frame may be free already: a count of 0 says it went back to the allocator.
  const after = `refcount ${page_count(m, old_page)}, mapcount ${page_mapcount(m, old_page)}`;
  trace_cow(vmf.k, vmf, `copy: pfn ${old_page} (${before} -> ${after}) -> new ${fresh}`, `copy: pfn ${old_page} -> pfn ${new_page}`);
}

// Linux 5.10 wp_page_shared: a shared writable mapping writes the page in place (and dirties it)
export function wp_page_shared(vmf: vm_fault): number {
  const m = vmf.vma.vm_mm.zone.mem_map;
  fault_path(vmf.k, 'wp_page_shared');
  if (vmf.k.tracing('cow')) trace_cow(vmf.k, vmf, `shared: pfn ${vmf.page} (refcount ${page_count(m, vmf.page)}): MAP_SHARED page written in place (not copy-on-write)`, `shared: pfn ${vmf.page} written in place`);
  get_page(m, vmf.page);
  wp_page_reuse(vmf);
  fault_dirty_shared_page(vmf);
  put_page(m, vmf.page);
  return VM_FAULT_WRITE;
}

// Linux 5.10 wp_pfn_shared: a shared writable pte with no struct page behind it: just make it writable
function wp_pfn_shared(vmf: vm_fault): number {
  fault_path(vmf.k, 'wp_pfn_shared');
  wp_page_reuse(vmf);
  return VM_FAULT_WRITE;
}
