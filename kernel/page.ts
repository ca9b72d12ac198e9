// struct page for every physical frame, kept as typed arrays indexed by pfn (Linux's mem_map, where a
// `struct page *` is here simply its pfn). Accessors carry Linux's names (include/linux/mm.h,
// page_ref.h, page-flags.h, 5.10); each takes the MemMap first because faultline may run several
// machines in one JS process and so cannot keep mem_map in a global.

// enum pageflags (include/linux/page-flags.h, 5.10): bit numbers in page->flags.
export const PG_locked = 0;
export const PG_referenced = 1;
export const PG_uptodate = 2;
export const PG_dirty = 3;
export const PG_lru = 4;
export const PG_active = 5;
export const PG_reserved = 12;
export const PG_private = 13;
export const PG_head = 16;
export const PG_swapbacked = 19;
// Linux keeps these outside page->flags: PageAnon is `mapping & PAGE_MAPPING_ANON`, PageBuddy and
// PageTable are page_type values. faultline gives them spare flag bits so every test is one AND.
// PG_zeroed stands for 5.10's free_pages_prezeroed(), kept per page: a free frame known to hold only
// zeros (never handed out since boot: the machine's RAM starts zero-filled), which __GFP_ZERO need not clear.
export const PG_zeroed = 27;
export const PG_anon = 28;
export const PG_buddy = 29;
export const PG_table = 30;

/** A kernel invariant broke: Linux would print "BUG: ..." and oops. Never caused by a guest. */
export class KernelBug extends Error {
  constructor(msg: string) {
    super(`BUG: ${msg}`);
    this.name = 'KernelBug';
  }
}

export class MemMap {
  readonly nr_pages: number;
  readonly flags: Uint32Array;
  /** page->_refcount: references held (0 = free). */
  readonly _refcount: Int32Array;
  /** page->_mapcount: page-table mappings minus one (-1 = unmapped), as Linux stores it. */
  readonly _mapcount: Int32Array;
  /** page->private: the order of a free buddy block's head page. */
  readonly private_: Int32Array;
  /** page->index: page offset in its mapping (file pages) or linear index (anon pages). */
  readonly index: Float64Array;
  /** page->mapping: the address_space (file/shmem pages) or anon_vma (anon pages). */
  readonly mapping: (object | null)[];
  /** page->lru as a doubly linked list of pfns (-1 ends it): the buddy free lists thread through here. */
  readonly lru_next: Int32Array;
  readonly lru_prev: Int32Array;
  /** Where a page goes when its last reference is dropped: set by the zone (free_unref_page). */
  release: (pfn: number) => void = (pfn) => {
    throw new KernelBug(`page ${pfn} freed with no allocator attached`);
  };

  constructor(nr_pages: number) {
    this.nr_pages = nr_pages;
    this.flags = new Uint32Array(nr_pages);
    this._refcount = new Int32Array(nr_pages);
    this._mapcount = new Int32Array(nr_pages).fill(-1);
    this.private_ = new Int32Array(nr_pages);
    this.index = new Float64Array(nr_pages);
    this.mapping = new Array<object | null>(nr_pages).fill(null);
    this.lru_next = new Int32Array(nr_pages).fill(-1);
    this.lru_prev = new Int32Array(nr_pages).fill(-1);
  }
}

// ---- flags (page-flags.h) ----

export function PageFlag(m: MemMap, pfn: number, bit: number): boolean {
  return (m.flags[pfn] & (1 << bit)) !== 0;
}
export function SetPageFlag(m: MemMap, pfn: number, bit: number): void {
  m.flags[pfn] |= 1 << bit;
}
export function ClearPageFlag(m: MemMap, pfn: number, bit: number): void {
  m.flags[pfn] &= ~(1 << bit);
}
export const PageReserved = (m: MemMap, pfn: number): boolean => PageFlag(m, pfn, PG_reserved);
export const SetPageReserved = (m: MemMap, pfn: number): void => SetPageFlag(m, pfn, PG_reserved);
export const PageAnon = (m: MemMap, pfn: number): boolean => PageFlag(m, pfn, PG_anon);
export const PageBuddy = (m: MemMap, pfn: number): boolean => PageFlag(m, pfn, PG_buddy);
export const PageTable = (m: MemMap, pfn: number): boolean => PageFlag(m, pfn, PG_table);
export const PageSwapBacked = (m: MemMap, pfn: number): boolean => PageFlag(m, pfn, PG_swapbacked);
export const PageDirty = (m: MemMap, pfn: number): boolean => PageFlag(m, pfn, PG_dirty);
export const SetPageDirty = (m: MemMap, pfn: number): void => SetPageFlag(m, pfn, PG_dirty);

// ---- reference counts (include/linux/page_ref.h, mm.h) ----

// Linux 5.10 page_ref.h page_ref_count
export function page_ref_count(m: MemMap, pfn: number): number {
  return m._refcount[pfn];
}
// Linux 5.10 mm.h page_count (no compound pages in faultline: the head is the page)
export function page_count(m: MemMap, pfn: number): number {
  return m._refcount[pfn];
}
// Linux 5.10 page_ref.h set_page_count
export function set_page_count(m: MemMap, pfn: number, v: number): void {
  m._refcount[pfn] = v;
}
// Linux 5.10 mm.h set_page_refcounted: a freshly allocated page holds one reference
export function set_page_refcounted(m: MemMap, pfn: number): void {
  set_page_count(m, pfn, 1);
}
// Linux 5.10 page_ref.h page_ref_inc
export function page_ref_inc(m: MemMap, pfn: number): void {
  m._refcount[pfn]++;
}
// Linux 5.10 page_ref.h page_ref_dec_and_test
export function page_ref_dec_and_test(m: MemMap, pfn: number): boolean {
  return --m._refcount[pfn] === 0;
}
// Linux 5.10 mm.h get_page: taking a reference on a free page is a kernel bug (VM_BUG_ON_PAGE)
export function get_page(m: MemMap, pfn: number): void {
  if (m._refcount[pfn] <= 0) throw new KernelBug(`get_page on free page pfn ${pfn}`);
  page_ref_inc(m, pfn);
}
// Linux 5.10 mm.h put_page_testzero
export function put_page_testzero(m: MemMap, pfn: number): boolean {
  if (m._refcount[pfn] <= 0) throw new KernelBug(`put_page on free page pfn ${pfn}`);
  return page_ref_dec_and_test(m, pfn);
}
// Linux 5.10 mm.h put_page: the last reference frees the page (__put_page -> free_unref_page)
export function put_page(m: MemMap, pfn: number): void {
  if (put_page_testzero(m, pfn)) m.release(pfn);
}

// ---- map counts (include/linux/mm.h) ----

// Linux 5.10 mm.h page_mapcount: _mapcount is stored off by one
export function page_mapcount(m: MemMap, pfn: number): number {
  return m._mapcount[pfn] + 1;
}
// Linux 5.10 mm.h page_mapped
export function page_mapped(m: MemMap, pfn: number): boolean {
  return m._mapcount[pfn] >= 0;
}
// Linux 5.10 mm.h page_mapcount_reset
export function page_mapcount_reset(m: MemMap, pfn: number): void {
  m._mapcount[pfn] = -1;
}

// Linux 5.10 mm.h page_to_pfn / pfn_to_page are the identity here; page_to_phys gives the byte address.
export function page_to_phys(pfn: number): number {
  return pfn * 4096;
}
