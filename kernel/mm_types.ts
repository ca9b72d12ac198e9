// mm_struct and vm_area_struct (Linux 5.10 include/linux/mm_types.h), with the rss counter helpers of
// include/linux/mm.h. The VMAs are kept twice, as Linux 5.10 does: a list sorted by address (mmap,
// vm_next, vm_prev) and a search structure; faultline's search structure is a sorted array with binary
// search (mm_rb) in place of the red-black tree, and it has no vmacache.

import type { Zone } from './page_alloc.js';
import type { pgprot_t } from './pgtable.js';
import { MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES, NR_MM_COUNTERS, RLIM_INFINITY } from './mm_constants.js';

/** What the kernel asks of the TLB hardware (the machine backs it with invlpg and a CR3 reload). */
export interface TlbFlush {
  flushPage(addr: number): void;
  flushAll(): void;
}

/** struct file, as far as memory management sees it: identity (for merging) and a name for maps. */
export interface VmFile {
  readonly name: string;
  /** Opened for writing (FMODE_WRITE): a MAP_SHARED mapping may then be made writable. */
  readonly fmode_write?: boolean;
}

/** struct anon_vma: the reverse-map root anonymous pages point to (page->mapping). */
export class anon_vma {
  /** How many VMAs link to it (anon_vma->degree). */
  degree = 0;
}

export class vm_area_struct {
  vm_start: number;
  vm_end: number;
  vm_next: vm_area_struct | null = null;
  vm_prev: vm_area_struct | null = null;
  vm_flags: number;
  vm_page_prot: pgprot_t;
  /** Offset in vm_file in pages; for private anonymous VMAs, vm_start >> PAGE_SHIFT at creation. */
  vm_pgoff: number;
  vm_file: VmFile | null = null;
  anon_vma: anon_vma | null = null;
  /** anon_vma_chain: every anon_vma this VMA's pages may belong to (more than one after fork). */
  anon_vma_chain: anon_vma[] = [];
  /** Protection key (Linux keeps it in vm_flags bits 32..35). */
  vm_pkey = 0;
  readonly vm_mm: mm_struct;

  constructor(mm: mm_struct, start: number, end: number, flags: number, prot: pgprot_t, pgoff: number) {
    this.vm_mm = mm;
    this.vm_start = start;
    this.vm_end = end;
    this.vm_flags = flags;
    this.vm_page_prot = prot;
    this.vm_pgoff = pgoff;
  }
}

/** Resource limits memory management consults (current->signal->rlim[].rlim_cur), in bytes. */
export interface MmRlimits {
  RLIMIT_AS: number;
  RLIMIT_DATA: number;
  RLIMIT_STACK: number;
}

export class mm_struct {
  /** First VMA of the sorted list. */
  mmap: vm_area_struct | null = null;
  /** The same VMAs in a sorted array, searched by binary search (stands for mm_rb). */
  readonly mm_rb: vm_area_struct[] = [];
  /** Physical address of the top-level page table (PML4), what CR3 holds. */
  pgd: number;
  map_count = 0;
  /** Top of the top-down mmap area (arch_pick_mmap_layout) and the bottom-up legacy base. */
  mmap_base = 0;
  mmap_legacy_base = 0;
  /** Bottom-up layout (RLIMIT_STACK unlimited): mm->get_unmapped_area = arch_get_unmapped_area. */
  legacy_mmap = false;
  task_size: number;
  highest_vm_end = 0;
  /** Pages mapped, in total and by kind (vm_stat_account). */
  total_vm = 0;
  locked_vm = 0;
  data_vm = 0;
  exec_vm = 0;
  stack_vm = 0;
  def_flags = 0;
  start_code = 0;
  end_code = 0;
  start_data = 0;
  end_data = 0;
  start_brk = 0;
  brk = 0;
  start_stack = 0;
  arg_start = 0;
  arg_end = 0;
  env_start = 0;
  env_end = 0;
  /** rss_stat.count[NR_MM_COUNTERS] */
  readonly rss_stat = new Float64Array(NR_MM_COUNTERS);
  hiwater_rss = 0;
  hiwater_vm = 0;
  /** Bytes of page-table pages below the pgd (mm_inc_nr_ptes & co.). */
  pgtables_bytes = 0;
  mm_users = 1;
  mm_count = 1;
  /** The physical memory and its allocator (Linux's globals; explicit because machines may coexist). */
  readonly zone: Zone;
  /** The CPU's TLB; flushes reach it only while this mm is loaded (mm_cpumask). */
  readonly tlb: TlbFlush;
  mm_cpumask = true;
  rlim: MmRlimits = { RLIMIT_AS: RLIM_INFINITY, RLIMIT_DATA: RLIM_INFINITY, RLIMIT_STACK: 8 << 20 };

  constructor(zone: Zone, tlb: TlbFlush, pgd: number, task_size: number) {
    this.zone = zone;
    this.tlb = tlb;
    this.pgd = pgd;
    this.task_size = task_size;
  }
}

// Linux 5.10 include/linux/mm.h vma_pages
export function vma_pages(vma: vm_area_struct): number {
  return (vma.vm_end - vma.vm_start) / 4096;
}

// Linux 5.10 include/linux/mm.h vma_is_anonymous: no vm_ops (here: no file behind it)
export function vma_is_anonymous(vma: vm_area_struct): boolean {
  return vma.vm_file === null;
}

// Linux 5.10 include/linux/mm.h get_mm_counter / add_mm_counter / inc_mm_counter / dec_mm_counter
export function get_mm_counter(mm: mm_struct, member: number): number {
  return mm.rss_stat[member];
}
export function add_mm_counter(mm: mm_struct, member: number, value: number): void {
  mm.rss_stat[member] += value;
}
export function inc_mm_counter(mm: mm_struct, member: number): void {
  mm.rss_stat[member]++;
}
export function dec_mm_counter(mm: mm_struct, member: number): void {
  mm.rss_stat[member]--;
}

// Linux 5.10 include/linux/mm.h get_mm_rss
export function get_mm_rss(mm: mm_struct): number {
  return mm.rss_stat[MM_FILEPAGES] + mm.rss_stat[MM_ANONPAGES] + mm.rss_stat[MM_SHMEMPAGES];
}

// Linux 5.10 include/linux/mm.h update_hiwater_rss: remember the peak before rss drops
export function update_hiwater_rss(mm: mm_struct): void {
  const rss = get_mm_rss(mm);
  if (mm.hiwater_rss < rss) mm.hiwater_rss = rss;
}

// Linux 5.10 include/linux/mm.h update_hiwater_vm
export function update_hiwater_vm(mm: mm_struct): void {
  if (mm.hiwater_vm < mm.total_vm) mm.hiwater_vm = mm.total_vm;
}
