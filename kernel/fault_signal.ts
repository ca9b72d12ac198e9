// The error exits of the page-fault handler (Linux 5.10 arch/x86/mm/fault.c; seed 001 calls them, seed
// 002 shows 2.6.11's bad_area / do_sigbus / out_of_memory labels): a fault that cannot be satisfied
// becomes SIGSEGV or SIGBUS for a user access, and goes to no_context for a kernel one.
//
//   bad_area(k, regs, error_code, address)                     SEGV_MAPERR, mmap_lock held
//   bad_area_access_error(k, regs, error_code, address, vma)   SEGV_ACCERR (SEGV_PKUERR), lock held
//   bad_area_nosemaphore(k, regs, error_code, address)         SEGV_MAPERR, lock not held
//   __bad_area_nosemaphore(k, regs, error_code, address, pkey, si_code)
//   show_signal_msg(k, regs, error_code, address, tsk)          the "segfault at" line
//   set_signal_archinfo(k, address, error_code)                 thread.cr2 / error_code / trap_nr
//   mm_fault_error(k, regs, error_code, address, fault)        VM_FAULT_OOM / SIGBUS / SIGSEGV
//   do_sigbus(k, regs, error_code, address, fault)

import { do_exit } from './exit.js';
import { fault_outcome, fault_path } from './fault_trace.js';
import { hex16, hex64 } from './printk.js';
import { copy_nofault, is_prefetch } from './fault_nofault.js';
import { no_context } from './fault_oops.js';
import type { Machine } from './machine.js';
import { TASK_SIZE_MAX, VM_FAULT_RETRY, VM_FAULT_HWPOISON, VM_FAULT_HWPOISON_LARGE, VM_FAULT_OOM, VM_FAULT_SIGBUS, VM_FAULT_SIGSEGV } from './mm_constants.js';
import type { vm_area_struct } from './mm_types.js';
import { mmap_read_trylock, mmap_read_unlock } from './mmap_lock.js';
import { pagefault_out_of_memory } from './oom.js';
import { KernelBug } from './page.js';
import { arch_vma_access_permitted } from './pkeys.js';
import { user_mode, type pt_regs } from './ptrace.js';
import { CR4_PKE } from '../vm/paging.js';
import { force_sig_fault, signal_pending } from './signal.js';
import { BUS_ADRERR, SEGV_ACCERR, SEGV_MAPERR, SEGV_PKUERR, SIGBUS, SIGKILL, SIGSEGV, SIG_DFL, SIG_IGN } from './signal_defs.js';
import type { task_struct } from './task.js';
import { X86_PF_PK, X86_PF_PROT, X86_PF_USER, X86_TRAP_PF } from './trap_pf.js';
import { find_vma } from './vma.js';


// Linux 5.10 include/linux/sched/signal.h fatal_signal_pending
export function fatal_signal_pending(tsk: task_struct): boolean {
  return tsk.pending.some((s) => s.si_signo === SIGKILL);
}

// Linux 5.10 include/linux/sched/signal.h fault_signal_pending: the fault gave up waiting (RETRY) and a
// signal is there to be handled (a fatal one, or any one when the fault came from user mode)
export function fault_signal_pending(k: Machine, fault: number, regs: pt_regs): boolean {
  const tsk = k.current;
  return (fault & VM_FAULT_RETRY) !== 0 && (fatal_signal_pending(tsk) || (user_mode(regs) && signal_pending(tsk)));
}

// Linux 5.10 __bad_area: drop mmap_lock, then report
function __bad_area(k: Machine, regs: pt_regs, error_code: number, address: number, pkey: number, si_code: number): void {
  const mm = k.current.mm;
  if (mm !== null) mmap_read_unlock(mm);
  __bad_area_nosemaphore(k, regs, error_code, address, pkey, si_code);
}

// seed 001 (5.10) bad_area: no VMA covers the address
export function bad_area(k: Machine, regs: pt_regs, error_code: number, address: number): void {
  fault_path(k, 'bad_area');
  __bad_area(k, regs, error_code, address, 0, SEGV_MAPERR);
}

// seed 001 (5.10) bad_area_access_error: a VMA covers it, but not for this kind of access
export function bad_area_access_error(k: Machine, regs: pt_regs, error_code: number, address: number, vma: vm_area_struct): void {
  fault_path(k, 'bad_area_access_error');
  if (bad_area_access_from_pkeys(k, error_code, vma)) __bad_area(k, regs, error_code, address, vma.vm_pkey, SEGV_PKUERR);
  else __bad_area(k, regs, error_code, address, 0, SEGV_ACCERR);
}

// Linux 5.10 bad_area_access_from_pkeys: was it the protection key that refused the access?
function bad_area_access_from_pkeys(k: Machine, error_code: number, vma: vm_area_struct): boolean {
  if (!(k.mmu.cr4 & CR4_PKE)) return false; // cpu_feature_enabled(X86_FEATURE_OSPKE)
  if (error_code & X86_PF_PK) return true;
  return !arch_vma_access_permitted(k, vma, error_code);
}

// seed 001 (5.10) bad_area_nosemaphore: the same, reached before mmap_lock was taken
export function bad_area_nosemaphore(k: Machine, regs: pt_regs, error_code: number, address: number): void {
  fault_path(k, 'bad_area_nosemaphore');
  __bad_area_nosemaphore(k, regs, error_code, address, 0, SEGV_MAPERR);
}

// Linux 5.10 __bad_area_nosemaphore: a user access gets SIGSEGV; a kernel one goes to no_context
export function __bad_area_nosemaphore(k: Machine, regs: pt_regs, error_code: number, address: number, _pkey: number, si_code: number): void {
  const tsk = k.current;
  if (user_mode(regs) && error_code & X86_PF_USER) {
    if (is_prefetch(k, regs, error_code, address)) {
      fault_outcome(k, 'ignored (prefetch)');
      return;
    }
    // is_errata100 concerns 32-bit code segments: never the case for a 64-bit guest.
    // Do not leak the kernel's page-table layout: a user access to a kernel address is always "protection".
    if (address < 0 || address >= TASK_SIZE_MAX) error_code |= X86_PF_PROT;
    show_signal_msg(k, regs, error_code, address, tsk);
    set_signal_archinfo(k, address, error_code);
    // SEGV_PKUERR: force_sig_pkuerr would also report the key (protection keys are v2)
    fault_outcome(k, si_code === SEGV_MAPERR ? 'SIGSEGV (SEGV_MAPERR)' : si_code === SEGV_ACCERR ? 'SIGSEGV (SEGV_ACCERR)' : 'SIGSEGV (SEGV_PKUERR)');
    force_sig_fault(k, SIGSEGV, si_code, address);
    return;
  }
  // is_f00f_bug is a Pentium erratum of 32-bit kernels.
  no_context(k, regs, error_code, address, SIGSEGV, si_code);
}

// Linux 5.10 kernel/signal.c unhandled_signal: the default action will run (init always counts)
function unhandled_signal(tsk: task_struct, sig: number): boolean {
  if (tsk.pid === 1) return true;
  const handler = tsk.sighand[sig - 1].sa_handler;
  return handler === SIG_DFL || handler === SIG_IGN;
}

// Linux 5.10 show_signal_msg: the kernel-log line for a segfault nobody handles
export function show_signal_msg(k: Machine, regs: pt_regs, error_code: number, address: number, tsk: task_struct): void {
  if (!unhandled_signal(tsk, SIGSEGV)) return;
  const level = tsk.pid > 1 ? 'info' : 'emerg';
  if (k.version === '2.6') {
    // seed 002 (2.6.11): "%s[%d]: segfault at %016lx rip %016lx rsp %016lx error %lx"
    k.printk(level, `${tsk.comm}[${tsk.pid}]: segfault at ${hex16(address)} rip ${hex16(regs.ip)} rsp ${hex16(regs.sp)} error ${error_code.toString(16)}`);
    return;
  }
  const line = `${tsk.comm}[${tsk.pid}]: segfault at ${hex64(address)} ip ${hex16(regs.ip)} sp ${hex16(regs.sp)} error ${error_code.toString(16)}`;
  k.printk(level, line + print_vma_addr(k, ' in ', regs.ip));
  show_opcodes(k, regs, level);
}

// Linux 5.10 mm/memory.c print_vma_addr: " in file[start+size]" for the mapping holding ip (if a file)
function print_vma_addr(k: Machine, prefix: string, ip: number): string {
  const mm = k.current.mm;
  if (mm === null || !mmap_read_trylock(mm)) return '';
  try {
    const vma = ip < 0 ? null : find_vma(mm, ip);
    if (vma === null || vma.vm_file === null) return '';
    const name = vma.vm_file.name.slice(vma.vm_file.name.lastIndexOf('/') + 1); // kbasename
    return `${prefix}${name}[${hex64(vma.vm_start)}+${hex64(vma.vm_end - vma.vm_start)}]`;
  } finally {
    mmap_read_unlock(mm);
  }
}

const PROLOGUE_SIZE = 42;
const EPILOGUE_SIZE = 21;

// Linux 5.10 arch/x86/kernel/dumpstack.c show_opcodes: the code bytes around ip, the faulting one in <>
export function show_opcodes(k: Machine, regs: pt_regs, level: 'info' | 'emerg'): void {
  const prologue = regs.ip - PROLOGUE_SIZE;
  const buf = new Uint8Array(PROLOGUE_SIZE + 1 + EPILOGUE_SIZE);
  // copy_code: a user ip must not point the dump at kernel memory
  const user_range_bad = user_mode(regs) && (prologue < 0 || prologue + buf.length > TASK_SIZE_MAX);
  if (user_range_bad || copy_nofault(k, buf, prologue, buf.length) !== 0) {
    k.printk(level, `Code: Unable to access opcode bytes at RIP 0x${hex64(prologue)}.`);
    return;
  }
  const hex = (a: Uint8Array): string => Array.from(a, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const at = buf[PROLOGUE_SIZE].toString(16).padStart(2, '0');
  k.printk(level, `Code: ${hex(buf.subarray(0, PROLOGUE_SIZE))} <${at}> ${hex(buf.subarray(PROLOGUE_SIZE + 1))}`);
}

// Linux 5.10 set_signal_archinfo: what the signal frame reports as REG_CR2, REG_ERR and REG_TRAPNO
export function set_signal_archinfo(k: Machine, address: number, error_code: number): void {
  const tsk = k.current;
  if (address < 0 || address >= TASK_SIZE_MAX) error_code |= X86_PF_PROT;
  tsk.thread.trap_nr = X86_TRAP_PF;
  tsk.thread.error_code = error_code | X86_PF_USER;
  tsk.thread.cr2 = address;
}

// Linux 5.10 mm_fault_error: handle_mm_fault could not produce a page
export function mm_fault_error(k: Machine, regs: pt_regs, error_code: number, address: number, fault: number): void {
  fault_path(k, 'mm_fault_error');
  if (fatal_signal_pending(k.current) && !(error_code & X86_PF_USER)) {
    no_context(k, regs, error_code, address, 0, 0);
    return;
  }
  if (fault & VM_FAULT_OOM) {
    if (!(error_code & X86_PF_USER)) {
      no_context(k, regs, error_code, address, SIGSEGV, SEGV_MAPERR); // kernel mode: fixup or die
      return;
    }
    if (k.version === '2.6') {
      out_of_memory_2_6(k);
      return;
    }
    fault_outcome(k, 'out of memory');
    pagefault_out_of_memory(k); // then back to user space: the fault is retried, or we were the victim
    return;
  }
  if (fault & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)) do_sigbus(k, regs, error_code, address, fault);
  else if (fault & VM_FAULT_SIGSEGV) bad_area_nosemaphore(k, regs, error_code, address);
  else throw new KernelBug(`mm_fault_error: fault 0x${fault.toString(16)} has no error bit`);
}

// seed 002 (2.6.11) out_of_memory label, user mode: init yields and retries; anyone else is killed
function out_of_memory_2_6(k: Machine): void {
  const tsk = k.current;
  if (tsk.pid === 1) {
    fault_outcome(k, 'out of memory: init retries');
    return; // yield(); goto again: the fault is simply taken again
  }
  k.printk('warn', `VM: killing process ${tsk.comm}`);
  fault_outcome(k, 'out of memory: killed');
  k.stats.oom_kills++;
  do_exit(k, SIGKILL);
}

// Linux 5.10 do_sigbus: the page exists in the VMA but cannot be provided (past the end of a file)
export function do_sigbus(k: Machine, regs: pt_regs, error_code: number, address: number, _fault: number): void {
  fault_path(k, 'do_sigbus');
  if (!(error_code & X86_PF_USER)) {
    no_context(k, regs, error_code, address, SIGBUS, BUS_ADRERR); // kernel mode: fixup or die
    return;
  }
  if (is_prefetch(k, regs, error_code, address)) {
    fault_outcome(k, 'ignored (prefetch)');
    return;
  }
  set_signal_archinfo(k, address, error_code);
  fault_outcome(k, 'SIGBUS (BUS_ADRERR)');
  force_sig_fault(k, SIGBUS, BUS_ADRERR, address);
}
