// Shared anonymous memory (Linux 5.10 mm/shmem.c shmem_zero_setup, shmem_fault, shmem_getpage_gfp):
// MAP_SHARED|MAP_ANONYMOUS is backed by a file of its own in an in-memory filesystem, so every process
// mapping it (after fork) finds the same pages in that file's page cache. Its pages start as zeros and
// are made on first touch; they are swap-backed (counted in MM_SHMEMPAGES), not file pages.

import { fault_path } from './fault_trace.js';
import { filemap_map_pages, file } from './filemap.js';
import { PAGE_SIZE, VM_FAULT_LOCKED, VM_FAULT_OOM, VM_FAULT_SIGBUS } from './mm_constants.js';
import type { vm_area_struct } from './mm_types.js';
import { PG_swapbacked, PG_uptodate, SetPageFlag, get_page } from './page.js';
import { GFP_HIGHUSER_MOVABLE, __GFP_ZERO, alloc_page } from './page_alloc.js';
import type { vm_fault, vm_operations_struct } from './vm_fault.js';

/** A shmem (tmpfs) file: no contents on any disk, pages created zeroed when first needed. */
export class shmem_file extends file {
  constructor(name: string, size: number) {
    super(name, new Uint8Array(0), { cached: false, writable: true });
    this.i_size = size;
    this.vm_ops = shmem_vm_ops;
  }
}

// Linux 5.10 mm/shmem.c shmem_kernel_file_setup
export function shmem_kernel_file_setup(name: string, size: number): shmem_file {
  return new shmem_file(name, size);
}

// Linux 5.10 mm/shmem.c shmem_zero_setup: a shared anonymous VMA gets its backing file
export function shmem_zero_setup(vma: vm_area_struct): void {
  vma.vm_file = shmem_kernel_file_setup('/dev/zero (deleted)', vma.vm_end - vma.vm_start);
}

// Linux 5.10 mm/shmem.c shmem_fault -> shmem_getpage_gfp(SGP_CACHE): the page at vmf.pgoff, created
// zeroed if it does not exist yet
export function shmem_fault(vmf: vm_fault): number {
  const f = vmf.vma.vm_file as shmem_file;
  const mapping = f.f_mapping;
  const zone = vmf.vma.vm_mm.zone;
  const m = zone.mem_map;
  if (vmf.pgoff >= Math.ceil(f.i_size / PAGE_SIZE)) return VM_FAULT_SIGBUS; // past i_size: -EINVAL
  let page = mapping.i_pages.get(vmf.pgoff) ?? -1;
  if (page < 0) {
    fault_path(vmf.k, 'shmem_fault: new page');
    const p = alloc_page(zone, GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
    if (p === null) return VM_FAULT_OOM;
    page = p;
    SetPageFlag(m, page, PG_swapbacked);
    SetPageFlag(m, page, PG_uptodate);
    m.mapping[page] = mapping;
    m.index[page] = vmf.pgoff;
    mapping.i_pages.set(vmf.pgoff, page); // the cache keeps the allocation's reference
  } else {
    fault_path(vmf.k, 'shmem_fault: page cache');
  }
  get_page(m, page);
  vmf.page = page;
  return VM_FAULT_LOCKED;
}

// Linux 5.10 mm/shmem.c shmem_vm_ops: shmem faults around like any page cache
export const shmem_vm_ops: vm_operations_struct = {
  name: 'shmem',
  fault: shmem_fault,
  map_pages: filemap_map_pages,
};
