// The buddy allocator (Linux 5.10 mm/page_alloc.c): one zone over the frames the machine hands the
// kernel, free lists per order 0..MAX_ORDER-1, split on allocation (expand), coalesce with the buddy on
// free (__free_one_page). Left out on purpose: migratetypes (one list per order), per-cpu page lists
// (order-0 pages go straight back to the buddy lists), watermarks (allocation fails only when empty).

import type { PhysicalMemory } from '../vm/memory.js';
import { PAGE_SIZE } from './mm_constants.js';
import {
  ClearPageFlag, KernelBug, MemMap, PG_anon, PG_buddy, PG_reserved, PG_zeroed, PageBuddy, PageReserved,
  SetPageFlag, SetPageReserved, put_page_testzero, set_page_count, set_page_refcounted,
} from './page.js';

export const MAX_ORDER = 11;

// gfp_t bits (include/linux/gfp.h, 5.10). Only __GFP_ZERO changes what faultline's allocator does.
export const __GFP_HIGHMEM = 0x02;
export const __GFP_MOVABLE = 0x08;
export const __GFP_ZERO = 0x100;
export const GFP_KERNEL = 0xcc0;
export const GFP_KERNEL_ACCOUNT = GFP_KERNEL | 0x400000;
export const GFP_HIGHUSER_MOVABLE = GFP_KERNEL | 0x100000 | __GFP_HIGHMEM | __GFP_MOVABLE;
export const GFP_PGTABLE_USER = GFP_KERNEL_ACCOUNT | __GFP_ZERO;

/** struct zone: the free areas over [zone_start_pfn, zone_end_pfn), plus mem_map for all frames. */
export class Zone {
  readonly mem: PhysicalMemory;
  readonly mem_map: MemMap;
  readonly zone_start_pfn: number;
  readonly zone_end_pfn: number;
  /** free_area[order].free_list as head/tail pfns (-1 = empty), nr_free per order. */
  readonly free_head = new Int32Array(MAX_ORDER).fill(-1);
  readonly free_tail = new Int32Array(MAX_ORDER).fill(-1);
  readonly nr_free = new Int32Array(MAX_ORDER);
  /** vm_stat[NR_FREE_PAGES] */
  free_pages = 0;
  managed_pages = 0;
  /** pfn of empty_zero_page (reserved, zero-filled, never freed) */
  zero_pfn = -1;

  constructor(mem: PhysicalMemory, firstFree: number) {
    if (!(firstFree >= 0 && firstFree < mem.frames)) throw new RangeError(`first free frame ${firstFree} outside memory`);
    this.mem = mem;
    this.mem_map = new MemMap(mem.frames);
    this.zone_start_pfn = firstFree;
    this.zone_end_pfn = mem.frames;
    this.mem_map.release = (pfn) => free_unref_page(this, pfn);
  }
}

// Linux 5.10 mm/page_alloc.c free_area_init + memblock_free_all: frames below firstFree stay reserved
// (kernel image, boot page tables), the rest enter the buddy lists; then the zero page is set aside.
export function free_area_init(mem: PhysicalMemory, firstFree: number): Zone {
  const zone = new Zone(mem, firstFree);
  const m = zone.mem_map;
  for (let pfn = 0; pfn < mem.frames; pfn++) {
    SetPageReserved(m, pfn);
    set_page_refcounted(m, pfn);
  }
  __free_pages_memory(zone, firstFree, mem.frames);
  const zero = alloc_pages(zone, GFP_KERNEL | __GFP_ZERO, 0);
  if (zero === null) throw new RangeError('no memory for the zero page');
  SetPageReserved(m, zero);
  zone.zero_pfn = zero;
  return zone;
}

// Linux 5.10 mm/memblock.c __free_pages_memory: the largest aligned blocks that fit
function __free_pages_memory(zone: Zone, start: number, end: number): void {
  while (start < end) {
    let order = Math.min(MAX_ORDER - 1, start === 0 ? MAX_ORDER - 1 : 31 - Math.clz32(start & -start));
    while (start + (1 << order) > end) order--;
    __free_pages_core(zone, start, order);
    start += 1 << order;
  }
}

// Linux 5.10 mm/page_alloc.c __free_pages_core: hand boot memory to the buddy allocator. Nothing has
// written these frames since power-on, so they hold zeros (PG_zeroed) until first handed out.
function __free_pages_core(zone: Zone, pfn: number, order: number): void {
  const m = zone.mem_map;
  for (let p = pfn; p < pfn + (1 << order); p++) {
    ClearPageFlag(m, p, PG_reserved);
    SetPageFlag(m, p, PG_zeroed);
    set_page_count(m, p, 0);
  }
  zone.managed_pages += 1 << order;
  __free_one_page(zone, pfn, order);
}

// ---- free lists (add_to_free_list, add_to_free_list_tail, del_page_from_free_list) ----

function add_to_free_list(zone: Zone, pfn: number, order: number, tail: boolean): void {
  const m = zone.mem_map;
  m.flags[pfn] |= 1 << PG_buddy;
  m.private_[pfn] = order; // set_buddy_order
  if (zone.free_head[order] === -1) {
    m.lru_next[pfn] = m.lru_prev[pfn] = -1;
    zone.free_head[order] = zone.free_tail[order] = pfn;
  } else if (tail) {
    const t = zone.free_tail[order];
    m.lru_next[t] = pfn;
    m.lru_prev[pfn] = t;
    m.lru_next[pfn] = -1;
    zone.free_tail[order] = pfn;
  } else {
    const h = zone.free_head[order];
    m.lru_prev[h] = pfn;
    m.lru_next[pfn] = h;
    m.lru_prev[pfn] = -1;
    zone.free_head[order] = pfn;
  }
  zone.nr_free[order]++;
  zone.free_pages += 1 << order;
}

function del_page_from_free_list(zone: Zone, pfn: number, order: number): void {
  const m = zone.mem_map;
  const next = m.lru_next[pfn];
  const prev = m.lru_prev[pfn];
  if (prev === -1) zone.free_head[order] = next;
  else m.lru_next[prev] = next;
  if (next === -1) zone.free_tail[order] = prev;
  else m.lru_prev[next] = prev;
  m.lru_next[pfn] = m.lru_prev[pfn] = -1;
  m.flags[pfn] &= ~(1 << PG_buddy);
  m.private_[pfn] = 0;
  zone.nr_free[order]--;
  zone.free_pages -= 1 << order;
}

// Linux 5.10 mm/internal.h __find_buddy_pfn
export function __find_buddy_pfn(pfn: number, order: number): number {
  return pfn ^ (1 << order);
}

// Linux 5.10 mm/page_alloc.c page_is_buddy: free, of this order, and in this zone
function page_is_buddy(zone: Zone, buddy: number, order: number): boolean {
  if (buddy < zone.zone_start_pfn || buddy >= zone.zone_end_pfn) return false;
  return PageBuddy(zone.mem_map, buddy) && zone.mem_map.private_[buddy] === order;
}

// Linux 5.10 mm/page_alloc.c buddy_merge_likely: queue at the tail if the next order up may soon merge
function buddy_merge_likely(zone: Zone, pfn: number, buddy_pfn: number, order: number): boolean {
  if (order >= MAX_ORDER - 2) return false;
  const combined = buddy_pfn & pfn;
  return page_is_buddy(zone, __find_buddy_pfn(combined, order + 1), order + 1);
}

// Linux 5.10 mm/page_alloc.c __free_one_page: coalesce with free buddies up to MAX_ORDER-1
function __free_one_page(zone: Zone, pfn: number, order: number): void {
  while (order < MAX_ORDER - 1) {
    const buddy = __find_buddy_pfn(pfn, order);
    if (!page_is_buddy(zone, buddy, order)) break;
    del_page_from_free_list(zone, buddy, order);
    pfn &= buddy;
    order++;
  }
  const to_tail = order < MAX_ORDER - 1 && buddy_merge_likely(zone, pfn, __find_buddy_pfn(pfn, order), order);
  add_to_free_list(zone, pfn, order, to_tail);
}

// Linux 5.10 mm/page_alloc.c expand: keep the low half, give the upper halves back to the lists
function expand(zone: Zone, pfn: number, low: number, high: number): void {
  let size = 1 << high;
  while (high > low) {
    high--;
    size >>= 1;
    add_to_free_list(zone, pfn + size, high, false);
  }
}

// Linux 5.10 mm/page_alloc.c __rmqueue_smallest: the smallest free block of at least `order`
function __rmqueue_smallest(zone: Zone, order: number): number | null {
  for (let current = order; current < MAX_ORDER; current++) {
    const pfn = zone.free_head[current];
    if (pfn === -1) continue;
    del_page_from_free_list(zone, pfn, current);
    expand(zone, pfn, order, current);
    return pfn;
  }
  return null;
}

// Linux 5.10 mm/page_alloc.c prep_new_page: one reference, zeroed on request (__GFP_ZERO) unless the
// frame is still prezeroed (free_pages_prezeroed); from here on its owner may write it
function prep_new_page(zone: Zone, pfn: number, order: number, gfp_mask: number): void {
  const m = zone.mem_map;
  set_page_refcounted(m, pfn);
  for (let p = pfn; p < pfn + (1 << order); p++) {
    const prezeroed = (m.flags[p] & (1 << PG_zeroed)) !== 0;
    m.flags[p] &= ~(1 << PG_zeroed);
    if (gfp_mask & __GFP_ZERO && !prezeroed) clear_highpage(zone, p);
  }
}

// Linux 5.10 include/linux/highmem.h clear_highpage: zero a frame (and tell the CPU's code cache)
export function clear_highpage(zone: Zone, pfn: number): void {
  zone.mem.zeroFrame(pfn);
}

// Linux 5.10 include/linux/highmem.h copy_highpage
export function copy_highpage(zone: Zone, to: number, from: number): void {
  zone.mem.copyFrame(to, from);
}

// Linux 5.10 include/linux/gfp.h alloc_pages: 2^order contiguous frames, or null when none are free
export function alloc_pages(zone: Zone, gfp_mask: number, order: number): number | null {
  if (order < 0 || order >= MAX_ORDER) return null;
  const pfn = __rmqueue_smallest(zone, order);
  if (pfn === null) return null;
  prep_new_page(zone, pfn, order, gfp_mask);
  return pfn;
}

// Linux 5.10 include/linux/gfp.h alloc_page
export function alloc_page(zone: Zone, gfp_mask: number): number | null {
  return alloc_pages(zone, gfp_mask, 0);
}

// Linux 5.10 mm/page_alloc.c get_zeroed_page (returns a pfn: the kernel has no direct-map pointers)
export function get_zeroed_page(zone: Zone, gfp_mask: number): number | null {
  return alloc_pages(zone, gfp_mask | __GFP_ZERO, 0);
}

// Linux 5.10 mm/page_alloc.c free_pages_check: a page must be unmapped and unowned when freed
function free_pages_prepare(zone: Zone, pfn: number): void {
  const m = zone.mem_map;
  if (m._mapcount[pfn] !== -1) throw new KernelBug(`Bad page state: pfn ${pfn} nonzero mapcount`);
  if (PageReserved(m, pfn)) throw new KernelBug(`Bad page state: pfn ${pfn} PG_reserved`);
  if (PageBuddy(m, pfn)) throw new KernelBug(`Bad page state: pfn ${pfn} already free`);
  if (m.flags[pfn] & (1 << PG_anon)) m.mapping[pfn] = null; // PageMappingFlags: cleared on free
  if (m.mapping[pfn] !== null) throw new KernelBug(`Bad page state: pfn ${pfn} non-NULL mapping`);
  m.flags[pfn] = 0;
  m.index[pfn] = 0;
}

// Linux 5.10 mm/page_alloc.c free_the_page / __free_pages_ok
function free_the_page(zone: Zone, pfn: number, order: number): void {
  for (let p = pfn; p < pfn + (1 << order); p++) free_pages_prepare(zone, p);
  __free_one_page(zone, pfn, order);
}

// Linux 5.10 mm/page_alloc.c free_unref_page: where put_page sends an order-0 page at refcount zero
export function free_unref_page(zone: Zone, pfn: number): void {
  free_the_page(zone, pfn, 0);
}

// Linux 5.10 mm/page_alloc.c __free_pages: drop the caller's reference; if others still hold the head,
// the tail blocks of a non-compound allocation are freed anyway (as Linux does)
export function __free_pages(zone: Zone, pfn: number, order: number): void {
  if (put_page_testzero(zone.mem_map, pfn)) {
    free_the_page(zone, pfn, order);
    return;
  }
  while (order-- > 0) free_the_page(zone, pfn + (1 << order), order);
}

// Linux 5.10 include/linux/gfp.h __free_page / free_page
export function __free_page(zone: Zone, pfn: number): void {
  __free_pages(zone, pfn, 0);
}
export const free_page = __free_page;

// Linux 5.10 mm/page_alloc.c nr_free_pages
export function nr_free_pages(zone: Zone): number {
  return zone.free_pages;
}

// Linux 5.10 include/linux/pgtable.h ZERO_PAGE / my_zero_pfn / is_zero_pfn
export function ZERO_PAGE(zone: Zone): number {
  return zone.zero_pfn;
}
export function my_zero_pfn(zone: Zone): number {
  return zone.zero_pfn;
}
export function is_zero_pfn(zone: Zone, pfn: number): boolean {
  return pfn === zone.zero_pfn;
}

/** Physical byte address of a frame. */
export function pfn_phys(pfn: number): number {
  return pfn * PAGE_SIZE;
}
