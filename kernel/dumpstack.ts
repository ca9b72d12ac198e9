// Printing an oops and ending the task that caused it (Linux 5.10 arch/x86/kernel/dumpstack.c __die, die,
// oops_end; arch/x86/kernel/process_64.c __show_regs). Used by the fault path (no_context, pgtable_bad)
// and by the traps (a #DE, #UD or #GP in kernel mode with no fixup).
//
//   __die(k, str, regs, err)     the header and the registers
//   oops_end(k, signr): never    the task exits with signr; the machine goes on
//   die(k, str, regs, err): never
//   report_kernel_bug(k, e)      a JavaScript exception escaped the kernel: say so as Linux's BUG() would

import { do_exit } from './exit.js';
import { hex16, hex64 } from './printk.js';
import { show_opcodes } from './fault_signal.js';
import { symbolize } from './kallsyms.js';

export { symbolize };
import type { Machine } from './machine.js';
import { R10, R11, R12, R13, R14, R15, R8, R9, RAX, RBP, RBX, RCX, RDI, RDX, RSI, user_mode, type pt_regs } from './ptrace.js';
import { KernelBug } from './page.js';
import { SIGSEGV } from './signal_defs.js';

/** How many oopses each machine printed ([#N] in the header): Linux's static die_counter, per machine. */
const die_counter = new WeakMap<Machine, number>();

// Linux 5.10 __die: header, then the registers (show_regs). One CPU, no SMP: " NOPTI" only.
export function __die(k: Machine, str: string, regs: pt_regs, err: number): void {
  const n = (die_counter.get(k) ?? 0) + 1;
  die_counter.set(k, n);
  k.printk('emerg', `${str}: ${(err & 0xffff).toString(16).padStart(4, '0')} [#${n}] NOPTI`);
  k.printk('emerg', `CPU: 0 PID: ${k.current.pid} Comm: ${k.current.comm} Not tainted ${k.version}.0 #1`);
  __show_regs(k, regs);
}

// Linux 5.10 arch/x86/kernel/process_64.c __show_regs (with show_iret_regs / show_ip first)
function __show_regs(k: Machine, regs: pt_regs): void {
  const r = (n: number): string => hex16(regs.get(n));
  const user = user_mode(regs);
  k.printk('emerg', `RIP: ${user ? '0033' : '0010'}:${user ? `0x${hex64(regs.ip)}` : symbolize(regs.ip)}`);
  show_opcodes(k, regs, 'emerg');
  const orig = regs.orig_ax !== -1 ? ` ORIG_RAX: ${hex16(regs.orig_ax)}` : '';
  k.printk('emerg', `RSP: ${user ? '002b' : '0018'}:${hex16(regs.sp)} EFLAGS: ${(regs.flags >>> 0).toString(16).padStart(8, '0')}${orig}`);
  k.printk('emerg', `RAX: ${r(RAX)} RBX: ${r(RBX)} RCX: ${r(RCX)}`);
  k.printk('emerg', `RDX: ${r(RDX)} RSI: ${r(RSI)} RDI: ${r(RDI)}`);
  k.printk('emerg', `RBP: ${r(RBP)} R08: ${r(R8)} R09: ${r(R9)}`);
  k.printk('emerg', `R10: ${r(R10)} R11: ${r(R11)} R12: ${r(R12)}`);
  k.printk('emerg', `R13: ${r(R13)} R14: ${r(R14)} R15: ${r(R15)}`);
  const cr2 = k.cpu.cr2Hi * 4294967296 + (k.cpu.cr2Lo >>> 0);
  k.printk('emerg', `CR2: ${hex16(cr2)} CR3: ${hex16(k.mmu.cr3)} CR4: ${hex16(k.mmu.cr4 >>> 0)}`);
}

// Linux 5.10 oops_end: the machine goes on; the task that oopsed does not (make_task_dead(signr))
export function oops_end(k: Machine, signr: number): never {
  k.printk('emerg', '---[ end trace 0000000000000000 ]---');
  do_exit(k, signr);
}

// Linux 5.10 die: an oops from a trap (not a page fault); the task ends with SIGSEGV
export function die(k: Machine, str: string, regs: pt_regs, err: number): never {
  __die(k, str, regs, err);
  oops_end(k, SIGSEGV);
}

/**
 * A bug in faultline's kernel on behalf of the current task (a KernelBug, or any exception that escaped a
 * handler): reported like Linux's BUG(), with the host stack as the call trace. The caller ends the task.
 */
export function report_kernel_bug(k: Machine, e: unknown): void {
  const msg = e instanceof KernelBug ? e.message : `BUG: kernel fault: ${e instanceof Error ? e.message : String(e)}`;
  k.printk('emerg', msg);
  k.printk('emerg', `CPU: 0 PID: ${k.current.pid} Comm: ${k.current.comm} Not tainted ${k.version}`);
  k.printk('emerg', `RIP: ${user_mode(k.regs) ? '0033' : '0010'}:0x${hex64(k.regs.ip)}`);
  if (e instanceof Error && e.stack && !(e instanceof KernelBug)) {
    k.printk('emerg', 'Call Trace:');
    for (const line of e.stack.split('\n').slice(1, 7)) k.printk('emerg', ` ${line.trim()}`);
  }
  k.printk('emerg', '---[ end trace ]---');
}
