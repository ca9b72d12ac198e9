// The trap dispatcher: faultline's IDT (Linux 5.10 arch/x86/kernel/idt.c def_idts + the entry code of
// arch/x86/entry/entry_64.S and kernel/entry/common.c). The CPU calls cpu.trap(vector, error_code) for
// every exception and for `syscall`; the handler runs with the interrupted context in k.regs and, when it
// returns to user mode, delivers pending signals (exit_to_user_mode) before the CPU resumes.
//
//   install_traps(k)    makes the dispatcher the CPU's trap handler (boot does this)
//
// During a syscall k.regs is the user's context as entry_SYSCALL_64 saves it: RIP after the syscall
// instruction (= RCX), RFLAGS as the user had them (= R11), CPL 3, orig_ax the syscall number; the
// handler's result goes in regs.ax and the CPU resumes from regs (an IRET-style return, which stays
// right after rt_sigreturn rewrote every register).

import { VEC_BP, VEC_DE, VEC_GP, VEC_PF, VEC_SYSCALL, VEC_UD } from '../vm/exceptions.js';
import { do_exit } from './exit.js';
import { exc_page_fault } from './fault.js';
import type { Machine } from './machine.js';
import { R11, RAX, user_mode } from './ptrace.js';
import { exc_divide_error, exc_general_protection, exc_int3, exc_invalid_op, exit_to_user_mode } from './signal.js';
import { SIGKILL } from './signal_defs.js';
import { do_syscall_64 } from './syscalls/index.js';
import { TaskExit } from './task.js';
import { syscall_trace_enter, syscall_trace_exit } from './syscall_trace.js';
import { hex64 } from './printk.js';
import { report_kernel_bug } from './dumpstack.js';

export function install_traps(k: Machine): void {
  k.cpu.trap = (vector, error_code) => idt_dispatch(k, vector, error_code);
}

/** One trap, start to finish: the handler, then (returning to user mode) signal delivery. */
function idt_dispatch(k: Machine, vector: number, error_code: number): void {
  try {
    if (vector === VEC_SYSCALL) {
      entry_SYSCALL_64(k);
      return;
    }
    switch (vector) {
      case VEC_PF: exc_page_fault(k, error_code); break;
      case VEC_DE: exc_divide_error(k, error_code); break;
      case VEC_UD: exc_invalid_op(k, error_code); break;
      case VEC_BP: exc_int3(k, error_code); break;
      case VEC_GP: exc_general_protection(k, error_code); break;
      default: unexpected_trap(k, vector, error_code);
    }
    if (user_mode(k.regs)) exit_to_user_mode(k); // irqentry_exit_to_user_mode
  } catch (e) {
    if (e instanceof TaskExit) throw e;
    die_kernel_bug(k, e);
  }
}

// Linux 5.10 arch/x86/entry/entry_64.S entry_SYSCALL_64 + kernel/entry/common.c do_syscall_64 and
// syscall_exit_to_user_mode
function entry_SYSCALL_64(k: Machine): void {
  const cpu = k.cpu;
  const regs = k.regs;
  // Save the user context as pt_regs: flags from R11 (the CPU masked them on entry), CS of user mode.
  cpu.setRflags(cpu.regs[2 * R11]);
  cpu.setCpl(3);
  regs.orig_ax = regs.get(RAX);
  k.stats.syscalls++;
  const traced = k.tracing('syscall') ? syscall_trace_enter(k) : null;
  let returned = false;
  try {
    do_syscall_64(k, regs);
    returned = true;
  } finally {
    if (traced !== null) syscall_trace_exit(k, traced, returned);
  }
  exit_to_user_mode(k);
}

/** A vector no handler is installed for: the kernel cannot go on with this task. */
function unexpected_trap(k: Machine, vector: number, error_code: number): void {
  k.printk('emerg', `traps: ${k.current.comm}[${k.current.pid}] unexpected trap ${vector} error_code ${error_code} ip 0x${hex64(k.regs.ip)}`);
  do_exit(k, SIGKILL);
}

/** A bug in the kernel while handling a trap (KernelBug or worse): oops, kill the task, keep the machine. */
function die_kernel_bug(k: Machine, e: unknown): never {
  report_kernel_bug(k, e);
  do_exit(k, SIGKILL);
}
