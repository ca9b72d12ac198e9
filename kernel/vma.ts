// The VMA set of an mm: lookup, linking, accounting, merging and splitting (Linux 5.10 mm/mmap.c).
// mm.mmap/vm_next/vm_prev is the sorted list; mm.mm_rb is a sorted array searched by binary search,
// standing for Linux's rbtree (see mm_types.ts).

import {
  ENOMEM, PAGE_SIZE, VM_EXEC, VM_GROWSDOWN, VM_SHARED, VM_SOFTDIRTY, VM_SPECIAL, VM_STACK, VM_WRITE,
  stack_guard_gap, sysctl_max_map_count,
} from './mm_constants.js';
import { vm_area_struct, type anon_vma, type mm_struct, type VmFile } from './mm_types.js';
import { fput, get_file } from './file_table.js';
import { anon_vma_clone, anon_vma_merge } from './rmap.js';

// ---- lookup ----

/** Index in mm_rb of the first VMA with vm_end > addr (mm_rb.length if none). */
function rb_search(mm: mm_struct, addr: number): number {
  const a = mm.mm_rb;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid].vm_end > addr) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// Linux 5.10 mm/mmap.c find_vma (seed 001): the first VMA with vm_end > addr, which may start above addr
export function find_vma(mm: mm_struct, addr: number): vm_area_struct | null {
  const i = rb_search(mm, addr);
  return i < mm.mm_rb.length ? mm.mm_rb[i] : null;
}

// Linux 5.10 mm/mmap.c find_vma_prev: find_vma, and the VMA before it (the last VMA if none is found)
export function find_vma_prev(mm: mm_struct, addr: number): { vma: vm_area_struct | null; prev: vm_area_struct | null } {
  const i = rb_search(mm, addr);
  const vma = i < mm.mm_rb.length ? mm.mm_rb[i] : null;
  const prev = i > 0 ? mm.mm_rb[i - 1] : null;
  return { vma, prev };
}

// Linux 5.10 include/linux/mm.h find_vma_intersection
export function find_vma_intersection(mm: mm_struct, start: number, end: number): vm_area_struct | null {
  const vma = find_vma(mm, start);
  return vma !== null && end <= vma.vm_start ? null : vma;
}

// Linux 5.10 include/linux/mm.h vm_start_gap / vm_end_gap: a stack claims its guard gap below it
export function vm_start_gap(vma: vm_area_struct): number {
  if (!(vma.vm_flags & VM_GROWSDOWN)) return vma.vm_start;
  const start = vma.vm_start - stack_guard_gap;
  return start > vma.vm_start ? 0 : Math.max(start, 0);
}
export function vm_end_gap(vma: vm_area_struct): number {
  return vma.vm_end; // VM_GROWSUP does not exist on x86
}

// Linux 5.10 mm/mmap.c find_vma_links: where [addr, end) would go; null (-ENOMEM) if it overlaps a VMA
export function find_vma_links(mm: mm_struct, addr: number, end: number): { prev: vm_area_struct | null } | null {
  const i = rb_search(mm, addr);
  if (i < mm.mm_rb.length && mm.mm_rb[i].vm_start < end) return null;
  return { prev: i > 0 ? mm.mm_rb[i - 1] : null };
}

// ---- linking ----

// Linux 5.10 mm/mmap.c __vma_link_list + __vma_link_rb + vma_link: insert after prev (null: first)
export function vma_link(mm: mm_struct, vma: vm_area_struct, prev: vm_area_struct | null): void {
  const next = prev !== null ? prev.vm_next : mm.mmap;
  vma.vm_prev = prev;
  vma.vm_next = next;
  if (prev !== null) prev.vm_next = vma;
  else mm.mmap = vma;
  if (next !== null) next.vm_prev = vma;
  mm.mm_rb.splice(rb_search(mm, vma.vm_start), 0, vma);
  mm.map_count++;
  if (next === null) mm.highest_vm_end = vm_end_gap(vma);
}

// Linux 5.10 mm/mmap.c __vma_unlink_list + vma_rb_erase
export function __vma_unlink(mm: mm_struct, vma: vm_area_struct): void {
  const { vm_prev: prev, vm_next: next } = vma;
  if (prev !== null) prev.vm_next = next;
  else mm.mmap = next;
  if (next !== null) next.vm_prev = prev;
  mm.mm_rb.splice(mm.mm_rb.indexOf(vma), 1); // by identity: mid-adjust, vm_end order may be broken

  vma.vm_next = vma.vm_prev = null;
  if (next === null) mm.highest_vm_end = prev !== null ? vm_end_gap(prev) : 0;
}

/** Keep highest_vm_end right after a VMA's end moved (vma_gap_update's job for the last VMA). */
function update_highest(mm: mm_struct, vma: vm_area_struct): void {
  if (vma.vm_next === null) mm.highest_vm_end = vm_end_gap(vma);
}

// ---- accounting ----

// Linux 5.10 mm/internal.h is_exec_mapping / is_stack_mapping / is_data_mapping
export const is_exec_mapping = (flags: number): boolean => (flags & (VM_EXEC | VM_WRITE | VM_STACK)) === VM_EXEC;
export const is_stack_mapping = (flags: number): boolean => (flags & VM_STACK) === VM_STACK;
export const is_data_mapping = (flags: number): boolean => (flags & (VM_WRITE | VM_SHARED | VM_STACK)) === VM_WRITE;

// Linux 5.10 mm/mmap.c vm_stat_account
export function vm_stat_account(mm: mm_struct, flags: number, npages: number): void {
  mm.total_vm += npages;
  if (is_exec_mapping(flags)) mm.exec_vm += npages;
  else if (is_stack_mapping(flags)) mm.stack_vm += npages;
  else if (is_data_mapping(flags)) mm.data_vm += npages;
}

// ---- merging (vma_merge and its helpers) ----

// Linux 5.10 mm/mmap.c is_mergeable_vma (no vm_ops->close, no userfaultfd contexts in faultline)
function is_mergeable_vma(vma: vm_area_struct, file: VmFile | null, vm_flags: number): boolean {
  return ((vma.vm_flags ^ vm_flags) & ~VM_SOFTDIRTY) === 0 && vma.vm_file === file;
}

// Linux 5.10 mm/mmap.c is_mergeable_anon_vma: equal, or one side has none and no fork history
function is_mergeable_anon_vma(av1: anon_vma | null, av2: anon_vma | null, vma: vm_area_struct | null): boolean {
  if ((av1 === null || av2 === null) && (vma === null || vma.anon_vma_chain.length === 1)) return true; // list_is_singular
  return av1 === av2;
}

// Linux 5.10 mm/mmap.c can_vma_merge_before: the request ends where vma starts, offsets line up
function can_vma_merge_before(vma: vm_area_struct, vm_flags: number, av: anon_vma | null, file: VmFile | null, vm_pgoff: number): boolean {
  return is_mergeable_vma(vma, file, vm_flags) && is_mergeable_anon_vma(av, vma.anon_vma, vma) && vma.vm_pgoff === vm_pgoff;
}

// Linux 5.10 mm/mmap.c can_vma_merge_after: the request starts where vma ends, offsets line up
function can_vma_merge_after(vma: vm_area_struct, vm_flags: number, av: anon_vma | null, file: VmFile | null, vm_pgoff: number): boolean {
  return is_mergeable_vma(vma, file, vm_flags) && is_mergeable_anon_vma(av, vma.anon_vma, vma) &&
    vma.vm_pgoff + (vma.vm_end - vma.vm_start) / PAGE_SIZE === vm_pgoff;
}

/** Drop a VMA __vma_adjust merged away: unlink it, hand its anon_vma links over, count it out. */
function remove_merged(mm: mm_struct, vma: vm_area_struct, gone: vm_area_struct): void {
  __vma_unlink(mm, gone);
  if (gone.anon_vma !== null) anon_vma_merge(vma, gone);
  if (gone.vm_file !== null) fput(mm.zone, gone.vm_file); // the merged-away VMA's file reference
  mm.map_count--;
}

// Linux 5.10 mm/mmap.c __vma_adjust without `insert` (split_vma links its new VMA itself): set vma to
// [start, end) at pgoff, swallowing or trimming `next` as vma_merge's cases 1-8 require. `expand` is
// the VMA that grows; returns the VMA that remains.
export function __vma_adjust(vma: vm_area_struct, start: number, end: number, pgoff: number, expand: vm_area_struct): vm_area_struct {
  const mm = vma.vm_mm;
  let next = vma.vm_next;
  let remove_next = 0;
  let adjust_next = 0;
  let importer: vm_area_struct | null = null;
  let exporter: vm_area_struct | null = null;
  if (next !== null) {
    if (end >= next.vm_end) {
      if (next === expand) { // case 8: next grows down over vma, which goes
        remove_next = 3;
        [vma, next] = [next, vma];
      } else { // cases 1, 6, 7: vma swallows next (and in case 6 the one after it too)
        remove_next = 1 + (end > next.vm_end ? 1 : 0);
        end = next.vm_end;
      }
      exporter = next;
      importer = vma;
      if (remove_next === 2 && next.anon_vma === null) exporter = next.vm_next;
    } else if (end > next.vm_start) { // case 5: vma takes the start of next
      adjust_next = end - next.vm_start;
      exporter = next;
      importer = vma;
    } else if (end < vma.vm_end) { // case 4: next takes the end of vma
      adjust_next = -(vma.vm_end - end);
      exporter = vma;
      importer = next;
    }
    // pages that move between VMAs must stay reachable through the importer's anon_vma
    if (exporter !== null && importer !== null && exporter.anon_vma !== null && importer.anon_vma === null) {
      importer.anon_vma = exporter.anon_vma;
      anon_vma_clone(importer, exporter);
    }
  }
  vma.vm_start = start;
  vma.vm_end = end;
  vma.vm_pgoff = pgoff;
  if (adjust_next !== 0 && next !== null) {
    next.vm_start += adjust_next;
    next.vm_pgoff += adjust_next / PAGE_SIZE;
  }
  if (remove_next !== 0 && next !== null) {
    remove_merged(mm, vma, next);
    if (remove_next === 2) { // case 6 second pass: vma now also swallows the VMA after the first
      const again = vma.vm_next;
      if (again !== null) {
        vma.vm_end = again.vm_end;
        if (again.anon_vma !== null && vma.anon_vma === null) {
          vma.anon_vma = again.anon_vma;
          anon_vma_clone(vma, again);
        }
        remove_merged(mm, vma, again);
      }
    }
  }
  update_highest(mm, vma);
  if (vma.vm_next !== null) update_highest(mm, vma.vm_next);
  return vma;
}

// Linux 5.10 mm/mmap.c vma_merge: can [addr, end) with these properties join prev and/or next?
// Returns the VMA now covering the range, or null (then the caller creates or splits).
export function vma_merge(
  mm: mm_struct, prev: vm_area_struct | null, addr: number, end: number, vm_flags: number,
  av: anon_vma | null, file: VmFile | null, pgoff: number,
): vm_area_struct | null {
  const pglen = (end - addr) / PAGE_SIZE;
  if (vm_flags & VM_SPECIAL) return null;
  let next = prev !== null ? prev.vm_next : mm.mmap;
  let area = next;
  if (area !== null && area.vm_end === end) next = next!.vm_next; // cases 6, 7, 8

  // Can it merge with the predecessor?
  if (prev !== null && prev.vm_end === addr && can_vma_merge_after(prev, vm_flags, av, file, pgoff)) {
    // ... and with the successor as well?
    if (next !== null && end === next.vm_start && can_vma_merge_before(next, vm_flags, av, file, pgoff + pglen) &&
      is_mergeable_anon_vma(prev.anon_vma, next.anon_vma, null)) {
      return __vma_adjust(prev, prev.vm_start, next.vm_end, prev.vm_pgoff, prev); // cases 1, 6
    }
    return __vma_adjust(prev, prev.vm_start, end, prev.vm_pgoff, prev); // cases 2, 5, 7
  }

  // Can this new request be merged in front of next?
  if (next !== null && end === next.vm_start && can_vma_merge_before(next, vm_flags, av, file, pgoff + pglen)) {
    if (prev !== null && addr < prev.vm_end) { // case 4
      __vma_adjust(prev, prev.vm_start, addr, prev.vm_pgoff, next);
    } else { // cases 3, 8
      __vma_adjust(area!, addr, next.vm_end, next.vm_pgoff - pglen, next);
      area = next;
    }
    return area;
  }
  return null;
}

// ---- splitting ----

// Linux 5.10 kernel/fork.c vm_area_dup (into `mm`: dup_mmap's tmp->vm_mm = mm), with the file reference
// its callers take (__split_vma's and dup_mmap's get_file)
export function vm_area_dup(orig: vm_area_struct, mm: mm_struct = orig.vm_mm): vm_area_struct {
  const v = new vm_area_struct(mm, orig.vm_start, orig.vm_end, orig.vm_flags, orig.vm_page_prot, orig.vm_pgoff);
  v.vm_file = orig.vm_file !== null ? get_file(orig.vm_file) : null;
  v.anon_vma = orig.anon_vma;
  v.vm_pkey = orig.vm_pkey;
  return v;
}

// Linux 5.10 mm/mmap.c __split_vma: cut vma at addr; the new VMA takes the part below (new_below) or above
export function __split_vma(mm: mm_struct, vma: vm_area_struct, addr: number, new_below: boolean): number {
  const nv = vm_area_dup(vma);
  if (new_below) {
    nv.vm_end = addr;
  } else {
    nv.vm_start = addr;
    nv.vm_pgoff += (addr - vma.vm_start) / PAGE_SIZE;
  }
  anon_vma_clone(nv, vma);
  if (new_below) {
    vma.vm_pgoff += (addr - nv.vm_start) / PAGE_SIZE;
    vma.vm_start = addr;
    vma_link(mm, nv, vma.vm_prev);
  } else {
    vma.vm_end = addr;
    vma_link(mm, nv, vma);
  }
  return 0;
}

// Linux 5.10 mm/mmap.c split_vma: __split_vma under the map-count limit
export function split_vma(mm: mm_struct, vma: vm_area_struct, addr: number, new_below: boolean): number {
  if (mm.map_count >= sysctl_max_map_count) return -ENOMEM;
  return __split_vma(mm, vma, addr, new_below);
}
