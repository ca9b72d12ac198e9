// File references (Linux 5.10 fs/file_table.c fput, include/linux/fs.h get_file). Every VMA that maps a
// file holds one reference (mmap_region, vm_area_dup, dup_mmap take it; remove_vma and a merge drop it).
// faultline's files have no directory entry: like an unlinked file, a file nobody references any more is
// evicted, and its page cache goes with it (iput -> evict -> truncate_inode_pages_final). That is what frees
// the pages of MAP_SHARED|MAP_ANONYMOUS memory (a shmem file) when its last mapping goes.
//
//   get_file(f): f                 one more reference
//   fput(zone, f): void            one reference less; the last one empties the page cache

import { file, truncate_inode_pages } from './filemap.js';
import type { VmFile } from './mm_types.js';
import { KernelBug } from './page.js';
import type { Zone } from './page_alloc.js';

// Linux 5.10 include/linux/fs.h get_file
export function get_file<T extends VmFile>(f: T): T {
  if (f instanceof file) {
    if (f.f_count <= 0) throw new KernelBug(`get_file on a released file (${f.name})`);
    f.f_count++;
  }
  return f;
}

// Linux 5.10 fs/file_table.c fput -> __fput -> dput/iput: the last reference evicts the inode's pages
export function fput(zone: Zone, f: VmFile): void {
  if (!(f instanceof file)) return;
  if (f.f_count <= 0) throw new KernelBug(`fput on a released file (${f.name})`);
  if (--f.f_count === 0) truncate_inode_pages(zone, f.f_mapping);
}
