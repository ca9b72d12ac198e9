// Files and their page cache (Linux 5.10 mm/filemap.c filemap_fault, filemap_map_pages, pagecache_get_page;
// include/linux/fs.h struct file / struct address_space). A `file` holds its bytes (its "disk") and an
// address_space mapping page index -> pfn. The executable a process runs is a file: its text and data are
// demand-paged from here (seed 002's do_no_page; 5.10's do_read_fault / do_cow_fault).
//
//   new file(name, bytes, { cached?, writable? })
//       cached (default true): the bytes are already in memory, as a file just written is in Linux's page
//       cache, so no fault on it is major; a frame is given to a page the first time it is looked up.
//       cached false: a cold file; the first fault on each page "reads" it: VM_FAULT_RETRY, then a major
//       fault (what Linux does when filemap_fault must wait for I/O).
//   find_get_page(f.f_mapping, index): pfn | -1       truncate_inode_pages(f.f_mapping): drop the cache

import { PAGE_SIZE } from './mm_constants.js';
import type { VmFile } from './mm_types.js';
import { mmap_read_unlock } from './mmap_lock.js';
import { ClearPageFlag, PG_uptodate, SetPageFlag, get_page, put_page } from './page.js';
import { GFP_HIGHUSER_MOVABLE, alloc_page, type Zone } from './page_alloc.js';
import {
  FAULT_FLAG_ALLOW_RETRY, FAULT_FLAG_RETRY_NOWAIT, FAULT_FLAG_TRIED, VM_FAULT_LOCKED, VM_FAULT_MAJOR, VM_FAULT_OOM,
  VM_FAULT_RETRY, VM_FAULT_SIGBUS,
} from './mm_constants.js';
import { alloc_set_pte } from './memory_fault.js';
import { fault_path } from './fault_trace.js';
import { pte_offset_map } from './pgalloc.js';
import type { vm_fault, vm_operations_struct } from './vm_fault.js';

/** struct address_space: the page cache of one file. */
export class address_space {
  /** i_pages: page index -> pfn (the cache holds one reference on each page). */
  readonly i_pages = new Map<number, number>();
  constructor(readonly host: file) {}
  get nrpages(): number {
    return this.i_pages.size;
  }
}

export interface FileOptions {
  /** The file's contents are already cached (default true). */
  cached?: boolean;
  /** Opened for writing (FMODE_WRITE): MAP_SHARED may be PROT_WRITE. */
  writable?: boolean;
}

/** struct file (+ its inode): a named sequence of bytes with a page cache. */
export class file implements VmFile {
  readonly name: string;
  readonly f_mapping: address_space;
  readonly fmode_write: boolean;
  /** inode->i_size in bytes. */
  i_size: number;
  /** Whether pages not yet in f_mapping are nevertheless resident (no I/O to bring them in). */
  readonly cached: boolean;
  vm_ops: vm_operations_struct = generic_file_vm_ops;
  /** f_count: references (the opener's, one per VMA mapping it); see kernel/file_table.ts. */
  f_count = 1;
  /** The contents on "disk". */
  protected readonly data: Uint8Array;

  constructor(name: string, bytes: Uint8Array, opts: FileOptions = {}) {
    this.name = name;
    this.data = bytes;
    this.i_size = bytes.length;
    this.cached = opts.cached ?? true;
    this.fmode_write = opts.writable ?? false;
    this.f_mapping = new address_space(this);
  }

  /** Fill a fresh frame with page `index` of the contents (zeros past the end): the "I/O". */
  readpage(zone: Zone, pfn: number, index: number): void {
    const start = index * PAGE_SIZE;
    const end = Math.min(start + PAGE_SIZE, this.data.length);
    zone.mem.zeroFrame(pfn);
    if (end > start) zone.mem.writeBytes(pfn * PAGE_SIZE, this.data.subarray(start, end));
  }
}

// Linux 5.10 mm/filemap.c add_to_page_cache_lru: the cache takes the allocation's reference
function add_to_page_cache(zone: Zone, mapping: address_space, pfn: number, index: number): void {
  const m = zone.mem_map;
  m.mapping[pfn] = mapping;
  m.index[pfn] = index;
  SetPageFlag(m, pfn, PG_uptodate);
  mapping.i_pages.set(index, pfn);
}

// Linux 5.10 mm/filemap.c page_cache_read (readpage into a new cache page); -1 when out of memory
export function page_cache_read(zone: Zone, mapping: address_space, index: number): number {
  const pfn = alloc_page(zone, GFP_HIGHUSER_MOVABLE);
  if (pfn === null) return -1;
  mapping.host.readpage(zone, pfn, index);
  add_to_page_cache(zone, mapping, pfn, index);
  return pfn;
}

/** The page at index if it is in the cache (for a cached file: resident, given a frame now), else -1. */
function find_cached(zone: Zone, mapping: address_space, index: number): number {
  const pfn = mapping.i_pages.get(index);
  if (pfn !== undefined) return pfn;
  if (!mapping.host.cached || index >= max_index(mapping)) return -1;
  return page_cache_read(zone, mapping, index);
}

// Linux 5.10 mm/filemap.c find_get_page: the cached page with a reference for the caller, or -1
export function find_get_page(zone: Zone, mapping: address_space, index: number): number {
  const pfn = find_cached(zone, mapping, index);
  if (pfn >= 0) get_page(zone.mem_map, pfn);
  return pfn;
}

/** DIV_ROUND_UP(i_size, PAGE_SIZE): the first page index past the end of the file. */
function max_index(mapping: address_space): number {
  return Math.ceil(mapping.host.i_size / PAGE_SIZE);
}

// Linux 5.10 mm/filemap.c filemap_fault: the page at vmf.pgoff, read in if need be
export function filemap_fault(vmf: vm_fault): number {
  const f = vmf.vma.vm_file as file;
  const mapping = f.f_mapping;
  const zone = vmf.vma.vm_mm.zone;
  if (vmf.pgoff >= max_index(mapping)) return VM_FAULT_SIGBUS; // past the end of the file
  let ret = 0;
  let page = find_get_page(zone, mapping, vmf.pgoff);
  if (page < 0) {
    // No page in the page cache at all: read it (count_vm_event(PGMAJFAULT)).
    fault_path(vmf.k, 'filemap_fault: read from file');
    ret = VM_FAULT_MAJOR;
    page = page_cache_read(zone, mapping, vmf.pgoff);
    if (page < 0) return VM_FAULT_OOM;
    get_page(zone.mem_map, page);
    // do_sync_mmap_readahead dropped mmap_lock for the I/O: the fault is redone from the top.
    if (vmf.flags & FAULT_FLAG_ALLOW_RETRY && !(vmf.flags & (FAULT_FLAG_RETRY_NOWAIT | FAULT_FLAG_TRIED))) {
      put_page(zone.mem_map, page);
      mmap_read_unlock(vmf.vma.vm_mm);
      return ret | VM_FAULT_RETRY;
    }
  } else {
    fault_path(vmf.k, 'filemap_fault: page cache');
  }
  vmf.page = page;
  return ret | VM_FAULT_LOCKED;
}

// Linux 5.10 mm/filemap.c filemap_map_pages: map every cached page of [start_pgoff, end_pgoff] whose
// pte is still empty, starting at vmf.address (the page of start_pgoff)
export function filemap_map_pages(vmf: vm_fault, start_pgoff: number, end_pgoff: number): void {
  const mapping = (vmf.vma.vm_file as file).f_mapping;
  const zone = vmf.vma.vm_mm.zone;
  const max_idx = max_index(mapping);
  const base = vmf.address;
  for (let index = start_pgoff; index <= end_pgoff; index++) {
    if (index >= max_idx) break;
    const page = find_cached(zone, mapping, index);
    if (page < 0) continue;
    get_page(zone.mem_map, page); // page_cache_get_speculative
    vmf.address = base + (index - start_pgoff) * PAGE_SIZE;
    if (vmf.pte !== null) vmf.pte = pte_offset_map(zone.mem, vmf.pmd, vmf.address);
    if (alloc_set_pte(vmf, page)) put_page(zone.mem_map, page); // already mapped: skip it
  }
}

// Linux 5.10 mm/truncate.c truncate_inode_pages_final: drop the whole cache (pages still mapped stay
// alive until unmapped: they hold their own references)
export function truncate_inode_pages(zone: Zone, mapping: address_space): void {
  const m = zone.mem_map;
  for (const pfn of mapping.i_pages.values()) {
    m.mapping[pfn] = null;
    ClearPageFlag(m, pfn, PG_uptodate);
    put_page(m, pfn);
  }
  mapping.i_pages.clear();
}

// Linux 5.10 mm/filemap.c generic_file_vm_ops
export const generic_file_vm_ops: vm_operations_struct = {
  name: 'filemap',
  fault: filemap_fault,
  map_pages: filemap_map_pages,
};
