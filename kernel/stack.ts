// Stack growth (Linux 5.10 mm/mmap.c expand_stack, expand_downwards, acct_stack_growth; seed 001 for
// expand_downwards, seed 002 for 2.6.11's expand_stack and acct_stack_growth). A VM_GROWSDOWN VMA is
// moved down to cover a fault just below it, within RLIMIT_STACK and away from the mapping below.
// Each returns 0 or -errno.

import type { Machine } from './machine.js';
import { ENOMEM, EPERM, PAGE_SIZE, VM_ACCESS_FLAGS, VM_GROWSDOWN, VM_LOCKED, mmap_min_addr, stack_guard_gap } from './mm_constants.js';
import type { vm_area_struct } from './mm_types.js';
import { may_expand_vm } from './mmap.js';
import { profile } from './profiles.js';
import { anon_vma_prepare } from './rmap.js';
import { vm_stat_account } from './vma.js';
import { fault_path } from './fault_trace.js';

// Linux 5.10 mm/mmap.c expand_stack: x86 stacks grow down
export function expand_stack(k: Machine, vma: vm_area_struct, address: number): number {
  return expand_downwards(k, vma, address);
}

// seed 001 (5.10) expand_downwards
export function expand_downwards(k: Machine, vma: vm_area_struct, address: number): number {
  const mm = vma.vm_mm;
  address -= address % PAGE_SIZE;
  if (profile(k).stack_guard_gap) {
    if (address < mmap_min_addr) {
      fault_path(k, 'expand_downwards: below mmap_min_addr');
      return -EPERM;
    }
    // Enforce stack_guard_gap against an accessible mapping below (another stack may come closer).
    const prev = vma.vm_prev;
    if (prev !== null && !(prev.vm_flags & VM_GROWSDOWN) && (prev.vm_flags & VM_ACCESS_FLAGS) !== 0) {
      if (address - prev.vm_end < stack_guard_gap) {
        fault_path(k, 'expand_downwards: stack_guard_gap');
        return -ENOMEM;
      }
    }
  }
  anon_vma_prepare(vma); // the anon_vma must exist before its lock is taken
  if (address >= vma.vm_start) return 0; // somebody else grew it already
  const size = vma.vm_end - address;
  const grow = (vma.vm_start - address) / PAGE_SIZE;
  if (grow > vma.vm_pgoff) return -ENOMEM; // vm_pgoff would wrap below zero
  const error = acct_stack_growth(k, vma, size, grow);
  if (error) return error;
  if (vma.vm_flags & VM_LOCKED) mm.locked_vm += grow;
  vm_stat_account(mm, vma.vm_flags, grow);
  vma.vm_start = address; // the sorted VMA array keeps its order: nothing lies in between
  vma.vm_pgoff -= grow;
  return 0;
}

// seed 002 (2.6.11) / Linux 5.10 acct_stack_growth: may the stack become `size` bytes, `grow` pages more?
export function acct_stack_growth(k: Machine, vma: vm_area_struct, size: number, grow: number): number {
  const mm = vma.vm_mm;
  if (!may_expand_vm(mm, vma.vm_flags, grow)) {
    fault_path(k, 'acct_stack_growth: RLIMIT_AS');
    return -ENOMEM; // address space limit (RLIMIT_AS)
  }
  if (size > mm.rlim.RLIMIT_STACK) {
    fault_path(k, 'acct_stack_growth: RLIMIT_STACK');
    return -ENOMEM;
  }
  // mlock limits: faultline has no RLIMIT_MEMLOCK (VM_LOCKED stacks are not made by any syscall it has).
  // security_vm_enough_memory_mm: overcommit is heuristic (mode 0), which never refuses a stack page.
  return 0;
}
