// The exceptions that become signals (Linux 5.10 arch/x86/kernel/traps.c): #DE -> SIGFPE FPE_INTDIV,
// #UD -> SIGILL ILL_ILLOPN (si_addr = the instruction), #BP -> SIGTRAP SI_KERNEL, #GP -> SIGSEGV SI_KERNEL
// (si_addr 0). In kernel mode the exception table is tried first; otherwise die() prints an oops and the
// task exits (oops_end -> do_exit(SIGSEGV)).
//
// API (the trap dispatcher calls these with the interrupted context in k.regs):
//   exc_divide_error(k, error_code)  exc_invalid_op(k, error_code)  exc_int3(k, error_code)
//   exc_general_protection(k, error_code)
//   do_trap(k, trapnr, signr, str, regs, error_code, sicode, addr)    do_error_trap(...same order as Linux)
//   print_vma_addr(k, ip): string    " in prog[401000+1000]" for a file-backed VMA, else ""

import { fixup_exception } from './extable.js';
import type { Machine } from './machine.js';
import { hex64 } from './printk.js';
import { user_mode, type pt_regs } from './ptrace.js';
import { force_sig, force_sig_fault } from './signal.js';
import {
  FPE_INTDIV, ILL_ILLOPN, SIGFPE, SIGILL, SIGSEGV, SIGTRAP, SIG_DFL, SIG_IGN,
  X86_TRAP_BP, X86_TRAP_DE, X86_TRAP_GP, X86_TRAP_UD,
} from './signal_defs.js';
import type { task_struct } from './task.js';
import { find_vma } from './vma.js';
import { die } from './dumpstack.js';

// Linux 5.10 mm/memory.c print_vma_addr: the file and VMA an address lies in
export function print_vma_addr(k: Machine, ip: number): string {
  const mm = k.current.mm;
  if (mm === null) return '';
  const vma = find_vma(mm, ip);
  if (vma === null || vma.vm_start > ip || vma.vm_file === null) return '';
  const name = vma.vm_file.name.slice(vma.vm_file.name.lastIndexOf('/') + 1);
  return ` in ${name}[${hex64(vma.vm_start)}+${hex64(vma.vm_end - vma.vm_start)}]`;
}

// Linux 5.10 kernel/signal.c unhandled_signal: no handler will see it (init always counts as unhandled)
function unhandled_signal(t: task_struct, sig: number): boolean {
  if (t.pid === 1) return true;
  const h = t.sighand[sig - 1].sa_handler;
  return h === SIG_DFL || h === SIG_IGN;
}

// Linux 5.10 arch/x86/kernel/traps.c show_signal (show_unhandled_signals = 1; pr_fmt adds "traps: ")
function show_signal(k: Machine, t: task_struct, signr: number, type: string, desc: string, regs: pt_regs, error_code: number): void {
  if (!unhandled_signal(t, signr)) return;
  k.printk('info', `traps: ${t.comm}[${t.pid}] ${type}${desc} ip:${hex64(regs.ip)} sp:${hex64(regs.sp)} error:${error_code.toString(16)}${print_vma_addr(k, regs.ip)}`);
}

// Linux 5.10 arch/x86/kernel/traps.c do_trap_no_signal: false when the trap was handled without a signal
function do_trap_no_signal(k: Machine, t: task_struct, trapnr: number, str: string, regs: pt_regs, error_code: number): boolean {
  if (!user_mode(regs)) {
    if (fixup_exception(k, regs, trapnr, error_code, 0)) return false;
    t.thread.error_code = error_code;
    t.thread.trap_nr = trapnr;
    die(k, str, regs, error_code);
    return false;
  }
  t.thread.error_code = error_code;
  t.thread.trap_nr = trapnr;
  return true;
}

// Linux 5.10 arch/x86/kernel/traps.c do_trap
export function do_trap(
  k: Machine, trapnr: number, signr: number, str: string, regs: pt_regs, error_code: number, sicode: number, addr: number,
): void {
  const t = k.current;
  if (!do_trap_no_signal(k, t, trapnr, str, regs, error_code)) return;
  show_signal(k, t, signr, 'trap ', str, regs, error_code);
  if (sicode === 0) force_sig(k, signr);
  else force_sig_fault(k, signr, sicode, addr);
}

// Linux 5.10 arch/x86/kernel/traps.c do_error_trap (notify_die has no listeners in faultline)
export function do_error_trap(
  k: Machine, regs: pt_regs, error_code: number, str: string, trapnr: number, signr: number, sicode: number, addr: number,
): void {
  do_trap(k, trapnr, signr, str, regs, error_code, sicode, addr);
}

// Linux 5.10 arch/x86/kernel/traps.c exc_divide_error: every #DE (x/0 and INT_MIN/-1) is FPE_INTDIV
export function exc_divide_error(k: Machine, _error_code = 0): void {
  const regs = k.regs;
  do_error_trap(k, regs, 0, 'divide error', X86_TRAP_DE, SIGFPE, FPE_INTDIV, regs.ip);
}

// Linux 5.10 arch/x86/kernel/traps.c exc_invalid_op -> handle_invalid_op (faultline's kernel has no BUG())
export function exc_invalid_op(k: Machine, _error_code = 0): void {
  const regs = k.regs;
  do_error_trap(k, regs, 0, 'invalid opcode', X86_TRAP_UD, SIGILL, ILL_ILLOPN, regs.ip);
}

// Linux 5.10 arch/x86/kernel/traps.c exc_int3 -> do_int3_user: force_sig(SIGTRAP), si_code SI_KERNEL
export function exc_int3(k: Machine, _error_code = 0): void {
  const regs = k.regs;
  if (!user_mode(regs)) return die(k, 'int3', regs, 0); // no kprobes or kgdb to claim it
  do_trap(k, X86_TRAP_BP, SIGTRAP, 'int3', regs, 0, 0, 0);
}

// Linux 5.10 arch/x86/kernel/traps.c exc_general_protection
export function exc_general_protection(k: Machine, error_code: number): void {
  const regs = k.regs;
  const t = k.current;
  const desc = 'general protection fault';
  if (user_mode(regs)) {
    t.thread.error_code = error_code;
    t.thread.trap_nr = X86_TRAP_GP;
    show_signal(k, t, SIGSEGV, '', desc, regs, error_code);
    force_sig(k, SIGSEGV);
    return;
  }
  if (fixup_exception(k, regs, X86_TRAP_GP, error_code, 0)) return;
  t.thread.error_code = error_code;
  t.thread.trap_nr = X86_TRAP_GP;
  die(k, desc, regs, error_code);
}
