// Kernel profiles (--kernel 5.10 | 4.19 | 2.6): the places where the seeds show different kernels doing
// different things in the fault path. Everything else is shared; each difference is one field here so
// that fault.ts, stack.ts and memory_wp.ts read like 5.10 with a single, named departure.

import type { KernelVersion, Machine } from './machine.js';
import { page_count, page_mapcount, PageAnon, type MemMap } from './page.js';
import { X86_PF_USER } from './trap_pf.js';

export interface KernelProfile {
  readonly version: KernelVersion;
  /** 5.10/4.19 do_user_addr_fault refuse a supervisor access to user memory without EFLAGS.AC (SMAP). */
  readonly smap_check: boolean;
  /** 2.6 do_page_fault copies a missing kernel pgd entry from init_mm (vmalloc_fault, seed 002). */
  readonly vmalloc_fault: boolean;
  /** 2.6 and 4.19 refuse a user fault far below %rsp before expanding the stack; 5.10 does not. */
  user_stack_check(error_code: number, address: number, sp: number): boolean;
  /** 2.6 expand_stack has neither the mmap_min_addr check nor the stack guard gap (added in 4.12). */
  readonly stack_guard_gap: boolean;
  /** do_read_fault maps neighbours from the page cache (fault-around, 3.15+); 2.6 do_no_page does not. */
  readonly fault_around: boolean;
  /** do_wp_page: may an anonymous page be made writable in place instead of copied? */
  wp_can_reuse(m: MemMap, pfn: number): boolean;
}

const linux_5_10: KernelProfile = {
  version: '5.10',
  smap_check: true,
  vmalloc_fault: false,
  user_stack_check: () => false, // seed 001: 5.10 has no %sp heuristic (gone since 4.20)
  stack_guard_gap: true,
  fault_around: true,
  // seed 002 vs 5.10 mm/memory.c do_wp_page: reuse only when nobody else holds the page at all
  wp_can_reuse: (m, pfn) => page_count(m, pfn) === 1 && page_mapcount(m, pfn) === 1,
};

const linux_4_19: KernelProfile = {
  ...linux_5_10,
  version: '4.19',
  // seed 003 (4.19): "Accessing the stack below %sp is always a bug" with a cushion for enter/pusha
  user_stack_check: (error_code, address, sp) => (error_code & X86_PF_USER) !== 0 && address + 65536 + 32 * 8 < sp,
  // 4.19 mm/memory.c do_wp_page: reuse_swap_page, i.e. the only mapping of the page
  wp_can_reuse: (m, pfn) => page_mapcount(m, pfn) === 1,
};

const linux_2_6: KernelProfile = {
  version: '2.6',
  smap_check: false,
  vmalloc_fault: true,
  // seed 002 (2.6.11): "if (address + 128 < regs->rsp) goto bad_area" for user faults (the red zone)
  user_stack_check: (error_code, address, sp) => (error_code & X86_PF_USER) !== 0 && address + 128 < sp,
  stack_guard_gap: false,
  fault_around: false,
  // seed 002 (2.6.11) do_wp_page: can_share_swap_page, the only mapping of an anonymous page
  wp_can_reuse: (m, pfn) => PageAnon(m, pfn) && page_mapcount(m, pfn) === 1,
};

const PROFILES: Record<KernelVersion, KernelProfile> = { '5.10': linux_5_10, '4.19': linux_4_19, '2.6': linux_2_6 };

/** The rules of the kernel the machine was booted as. */
export function profile(k: Machine): KernelProfile {
  return PROFILES[k.version];
}
