// The page-fault handler: vector 14 enters here (Linux 5.10 arch/x86/mm/fault.c; seed 001 for the
// entry and do_user_addr_fault, seed 000 for no_context, seed 002 for 2.6, seed 003 for 4.19).
// Read it beside seed 001: the functions come in the same order and take the same decisions, with
// `k` (the machine) in front where Linux reaches for a global such as `current`.
//
//   exc_page_fault(k, error_code)                      the IDT entry; CR2 holds the address
//   handle_page_fault(k, regs, error_code, address)
//   fault_in_kernel_space(address): boolean
//   do_kern_addr_fault(k, regs, hw_error_code, address)
//   spurious_kernel_fault(k, error_code, address): boolean
//   do_user_addr_fault(k, regs, hw_error_code, address)
//   access_error(k, error_code, vma): boolean
// The error paths (bad_area & co.) are in fault_signal.ts, no_context and the oops in fault_oops.ts.

import { F_AC } from '../vm/flags.js';
import { CR4_SMAP } from '../vm/paging.js';
import {
  FAULT_FLAG_ALLOW_RETRY, FAULT_FLAG_DEFAULT, FAULT_FLAG_INSTRUCTION, FAULT_FLAG_TRIED, FAULT_FLAG_USER,
  FAULT_FLAG_WRITE, TASK_SIZE_MAX, VM_ACCESS_FLAGS, VM_FAULT_ERROR, VM_FAULT_RETRY, VM_GROWSDOWN, VM_WRITE,
} from './mm_constants.js';
import { BUS_ADRERR, SIGBUS } from './signal_defs.js';
import { search_exception_tables } from './extable.js';
import { fault_outcome, fault_path, fault_trace_begin, fault_trace_end } from './fault_trace.js';
import { no_context, pgtable_bad } from './fault_oops.js';
import { bad_area, bad_area_access_error, bad_area_nosemaphore, fault_signal_pending, mm_fault_error } from './fault_signal.js';
import type { Machine } from './machine.js';
import { handle_mm_fault } from './memory.js';
import type { vm_area_struct } from './mm_types.js';
import { mmap_read_lock, mmap_read_trylock, mmap_read_unlock } from './mmap_lock.js';
import { arch_vma_access_permitted } from './pkeys.js';
import { perf_sw_event_page_fault } from './perf_event.js';
import { profile } from './profiles.js';
import { from32, user_mode, type pt_regs } from './ptrace.js';
import { expand_stack } from './stack.js';
import { spurious_kernel_fault, vmalloc_fault } from './fault_kern.js';
import { X86_PF_INSTR, X86_PF_PK, X86_PF_PROT, X86_PF_RSVD, X86_PF_USER, X86_PF_WRITE } from './trap_pf.js';
import { find_vma } from './vma.js';

export { spurious_kernel_fault } from './fault_kern.js';

export * from './trap_pf.js';

// seed 001 (5.10) exc_page_fault: the faulting address was latched in CR2 by the hardware
export function exc_page_fault(k: Machine, error_code: number): void {
  const address = from32(k.cpu.cr2Lo, k.cpu.cr2Hi);
  handle_page_fault(k, k.regs, error_code, address);
}

// seed 001 (5.10) handle_page_fault: the kernel half and the user half are handled apart
export function handle_page_fault(k: Machine, regs: pt_regs, error_code: number, address: number): void {
  fault_trace_begin(k, regs.ip, address, error_code); // trace_page_fault_entries
  try {
    if (fault_in_kernel_space(address)) do_kern_addr_fault(k, regs, error_code, address);
    else do_user_addr_fault(k, regs, error_code, address);
  } finally {
    fault_trace_end(k);
  }
}

// seed 001 (5.10) fault_in_kernel_space: address >= TASK_SIZE_MAX, unsigned (the kernel half is negative
// here); faultline has no vsyscall page, the one exception Linux makes
export function fault_in_kernel_space(address: number): boolean {
  return address < 0 || address >= TASK_SIZE_MAX;
}

// Linux 5.10 arch/x86/mm/fault.c do_kern_addr_fault: a fault on a kernel address, from either mode
export function do_kern_addr_fault(k: Machine, regs: pt_regs, hw_error_code: number, address: number): void {
  fault_path(k, 'do_kern_addr_fault');
  // seed 002 (2.6.11): a kernel-mode, not-present fault may be a vmalloc area this pgd has not synced
  // yet; anything else on a kernel address is bad_area_nosemaphore at once (no spurious-fault check)
  if (profile(k).vmalloc_fault) {
    if (!(hw_error_code & (X86_PF_USER | X86_PF_PROT)) && vmalloc_fault(k, address) === 0) {
      fault_outcome(k, 'vmalloc_fault: pgd entry copied from init_mm');
      return;
    }
    bad_area_nosemaphore(k, regs, hw_error_code, address);
    return;
  }
  if (spurious_kernel_fault(k, hw_error_code, address)) {
    fault_outcome(k, 'spurious (stale TLB entry)');
    return; // the TLB entry went with the fault; the retry walks the page table again
  }
  bad_area_nosemaphore(k, regs, hw_error_code, address);
}

// seed 001 (5.10) do_user_addr_fault: a fault on a user address, from user mode or from the kernel
export function do_user_addr_fault(k: Machine, regs: pt_regs, hw_error_code: number, address: number): void {
  const tsk = k.current;
  const mm = tsk.mm;
  let flags = FAULT_FLAG_DEFAULT;
  fault_path(k, 'do_user_addr_fault');

  // Reserved bits are never set in user page tables: the tables themselves are corrupt.
  if (hw_error_code & X86_PF_RSVD) {
    pgtable_bad(k, regs, hw_error_code, address);
    return; // not reached: pgtable_bad kills the task
  }

  // SMAP: the kernel touched user memory outside stac/clac. (2.6 predates SMAP.)
  if (profile(k).smap_check && k.mmu.cr4 & CR4_SMAP && !(hw_error_code & X86_PF_USER) && !(regs.flags & F_AC)) {
    fault_path(k, 'smap');
    bad_area_nosemaphore(k, regs, hw_error_code, address);
    return;
  }

  // No user context (a kernel thread such as init): nothing to fault in. faulthandler_disabled() is
  // always false in faultline: the kernel never runs with page faults disabled.
  if (mm === null) {
    fault_path(k, 'no mm');
    bad_area_nosemaphore(k, regs, hw_error_code, address);
    return;
  }

  if (user_mode(regs)) flags |= FAULT_FLAG_USER; // (local_irq_enable: faultline has no interrupts)

  perf_sw_event_page_fault(k); // perf_sw_event(PERF_COUNT_SW_PAGE_FAULTS): every fault, successful or not
  if (hw_error_code & X86_PF_WRITE) flags |= FAULT_FLAG_WRITE;
  if (hw_error_code & X86_PF_INSTR) flags |= FAULT_FLAG_INSTRUCTION;

  // Kernel code may fault on user memory only where the exception table says so; if the lock is
  // taken, anything else would deadlock on it.
  if (!mmap_read_trylock(mm)) {
    if (!user_mode(regs) && search_exception_tables(k, regs.ip) === null) {
      fault_path(k, 'mmap_lock held');
      bad_area_nosemaphore(k, regs, hw_error_code, address);
      return;
    }
    mmap_read_lock(mm);
  }

  for (;;) {
    // find_vma: the first VMA that ends above the address
    fault_path(k, 'find_vma');
    const vma = find_vma(mm, address);
    if (vma === null) {
      bad_area(k, regs, hw_error_code, address);
      return;
    }
    if (vma.vm_start > address) {
      // Below a VMA: only a stack (VM_GROWSDOWN) may grow down to cover it.
      if (!(vma.vm_flags & VM_GROWSDOWN)) {
        bad_area(k, regs, hw_error_code, address);
        return;
      }
      if (profile(k).user_stack_check(hw_error_code, address, regs.sp)) {
        fault_path(k, 'below %sp');
        bad_area(k, regs, hw_error_code, address);
        return;
      }
      fault_path(k, 'expand_stack');
      if (expand_stack(k, vma, address)) {
        bad_area(k, regs, hw_error_code, address);
        return;
      }
    }

    // good_area: the address is inside a VMA; may it be accessed this way?
    fault_path(k, 'good_area');
    if (access_error(k, hw_error_code, vma)) {
      bad_area_access_error(k, regs, hw_error_code, address, vma);
      return;
    }

    const fault = handle_mm_fault(k, vma, address, flags, regs);

    // A signal arrived while the fault waited: let it be handled first (quick path).
    if (fault_signal_pending(k, fault, regs)) {
      if (!user_mode(regs)) no_context(k, regs, hw_error_code, address, SIGBUS, BUS_ADRERR);
      return;
    }

    // The handler dropped the lock to wait (for file I/O): take it again and retry once.
    if (fault & VM_FAULT_RETRY && flags & FAULT_FLAG_ALLOW_RETRY) {
      flags |= FAULT_FLAG_TRIED;
      fault_path(k, 'retry');
      mmap_read_lock(mm);
      continue;
    }

    mmap_read_unlock(mm);
    if (fault & VM_FAULT_ERROR) {
      mm_fault_error(k, regs, hw_error_code, address, fault);
      return;
    }
    return; // check_v8086_mode: no vm86 in 64-bit mode
  }
}

// seed 001 (5.10) access_error: may this VMA be touched the way the fault says? (2.6's switch on
// error_code & 3 makes the same decisions, save that a read then needs VM_READ|VM_EXEC.)
export function access_error(k: Machine, error_code: number, vma: vm_area_struct): boolean {
  if (error_code & X86_PF_PK) return true; // a protection key said no: never a COW
  if (!arch_vma_access_permitted(k, vma, error_code)) return true; // the VMA's key forbids it
  if (error_code & X86_PF_WRITE) return !(vma.vm_flags & VM_WRITE); // write, present or not
  if (error_code & X86_PF_PROT) return true; // read (or fetch) of a present page: permissions
  return !vma_is_accessible(vma); // read of a missing page: any access right will do
}

// Linux 5.10 include/linux/mm.h vma_is_accessible
export function vma_is_accessible(vma: vm_area_struct): boolean {
  return (vma.vm_flags & VM_ACCESS_FLAGS) !== 0;
}
