// Kernel-mode faults that nothing can satisfy (Linux 5.10 arch/x86/mm/fault.c no_context, show_fault_oops,
// dump_pagetable, pgtable_bad; seed 000 for no_context, seed 002 for 2.6.11's; the oops itself is
// dumpstack.ts). Either the exception table knows a fixup (a uaccess routine: the
// syscall returns -EFAULT), or it is a kernel bug: the oops is printed and the current task killed.
//
//   no_context(k, regs, error_code, address, signal, si_code)
//   show_fault_oops(k, regs, error_code, address)
//   dump_pagetable(k, address): string
//   pgtable_bad(k, regs, error_code, address): never

import { __die, oops_end, symbolize } from './dumpstack.js';
import { fixup_exception } from './extable.js';
import { fault_outcome, fault_path, ip_text } from './fault_trace.js';
import { hex16, hex64 } from './printk.js';
import { is_prefetch } from './fault_nofault.js';
import type { Machine } from './machine.js';
import { PAGE_SIZE } from './mm_constants.js';
import { pgd_index, pmd_index, pte_index, ptep_get, pud_index } from './pgalloc.js';
import { _PAGE_PRESENT, _PAGE_PSE, entry_phys, type pte_t } from './pgtable.js';
import { user_mode, type pt_regs } from './ptrace.js';
import { force_sig_fault } from './signal.js';
import { SIGKILL } from './signal_defs.js';
import { set_signal_archinfo } from './fault_signal.js';
import { X86_PF_INSTR, X86_PF_PK, X86_PF_PROT, X86_PF_RSVD, X86_PF_USER, X86_PF_WRITE, X86_TRAP_PF } from './trap_pf.js';


/** thread.sig_on_uaccess_err: set only by vsyscall emulation, which faultline does not have. */
const sig_on_uaccess_err = false;

// seed 000 / Linux 5.10 no_context: a kernel-mode fault the fault path could not resolve
export function no_context(k: Machine, regs: pt_regs, error_code: number, address: number, signal: number, si_code: number): void {
  fault_path(k, 'no_context');
  if (!user_mode(regs)) {
    // Are we prepared to handle this kernel fault? (a uaccess instruction listed in __ex_table)
    if (fixup_exception(k, regs, X86_TRAP_PF, error_code, address)) {
      fault_outcome(k, `fixup -> ${ip_text(regs.ip)} (-EFAULT)`);
      if (sig_on_uaccess_err && signal) {
        set_signal_archinfo(k, address, error_code);
        force_sig_fault(k, signal, si_code, address);
      }
      return;
    }
    // CONFIG_VMAP_STACK overflow detection: faultline's kernel stack is not in vmalloc space.
    // Hall of shame of CPU bugs: a prefetch that faulted (is_errata93 concerns AMD K8 only).
    if (is_prefetch(k, regs, error_code, address)) {
      fault_outcome(k, 'ignored (prefetch)');
      return;
    }
  }
  // oops: an implicit supervisor access from user mode comes straight here
  fault_outcome(k, 'oops');
  show_fault_oops(k, regs, error_code, address);
  __die(k, 'Oops', regs, error_code);
  k.printk('emerg', `CR2: ${hex16(address)}`); // executive summary in case the body scrolled away
  oops_end(k, SIGKILL);
}

// Linux 5.10 show_fault_oops (4.19 and 2.6 used one line: "unable to handle kernel paging request")
export function show_fault_oops(k: Machine, regs: pt_regs, error_code: number, address: number): void {
  if (k.version !== '5.10') {
    const what = address >= 0 && address < PAGE_SIZE ? 'NULL pointer dereference' : 'paging request';
    if (k.version === '4.19') k.printk('emerg', `BUG: unable to handle kernel ${what} at ${hex16(address)}`);
    else k.printk('emerg', `Unable to handle kernel ${what} at ${hex16(address)} RIP: ${symbolize(regs.ip)}`);
    k.printk('emerg', dump_pagetable(k, address));
    return;
  }
  if (address >= 0 && address < PAGE_SIZE && !user_mode(regs)) {
    k.printk('emerg', `BUG: kernel NULL pointer dereference, address: ${hex16(address)}`);
  } else {
    k.printk('emerg', `BUG: unable to handle page fault for address: ${hex16(address)}`);
  }
  const who = error_code & X86_PF_USER ? 'user' : 'supervisor';
  const what = error_code & X86_PF_INSTR ? 'instruction fetch' : error_code & X86_PF_WRITE ? 'write access' : 'read access';
  k.printk('emerg', `#PF: ${who} ${what} in ${user_mode(regs) ? 'user' : 'kernel'} mode`);
  const why = !(error_code & X86_PF_PROT) ? 'not-present page'
    : error_code & X86_PF_RSVD ? 'reserved bit violation'
    : error_code & X86_PF_PK ? 'protection keys violation' : 'permissions violation';
  k.printk('emerg', `#PF: error_code(0x${error_code.toString(16).padStart(4, '0')}) - ${why}`);
  k.printk('emerg', dump_pagetable(k, address));
}

const present = (e: pte_t): boolean => (e.lo & _PAGE_PRESENT) !== 0;
const large = (e: pte_t): boolean => (e.lo & _PAGE_PSE) !== 0;
const val = (e: pte_t): string => (e.hi >>> 0).toString(16).replace(/^0+(?=.)/, '') === '0'
  ? (e.lo >>> 0).toString(16)
  : (e.hi >>> 0).toString(16) + (e.lo >>> 0).toString(16).padStart(8, '0');

// Linux 5.10 dump_pagetable: each level's entry for the address, down to the first missing one (the p4d
// level is folded, so P4D repeats the PGD entry)
export function dump_pagetable(k: Machine, address: number): string {
  const mem = k.mem;
  const pgd = ptep_get(mem, k.mmu.cr3 + pgd_index(address) * 8);
  let out = `PGD ${val(pgd)} `;
  if (!present(pgd)) return out.trimEnd();
  if (k.version !== '2.6') out += `P4D ${val(pgd)} `;
  const pud = ptep_get(mem, entry_phys(pgd) + pud_index(address) * 8);
  out += `PUD ${val(pud)} `;
  if (!present(pud) || large(pud)) return out.trimEnd();
  const pmd = ptep_get(mem, entry_phys(pud) + pmd_index(address) * 8);
  out += `PMD ${val(pmd)} `;
  if (!present(pmd) || large(pmd)) return out.trimEnd();
  const pte = ptep_get(mem, entry_phys(pmd) + pte_index(address) * 8);
  return out + `PTE ${val(pte)}`;
}

// Linux 5.10 pgtable_bad: reserved bits in a user page table mean the tables are corrupt
export function pgtable_bad(k: Machine, regs: pt_regs, error_code: number, address: number): never {
  fault_path(k, 'pgtable_bad');
  fault_outcome(k, 'oops (bad pagetable)');
  k.printk('emerg', `${k.current.comm}: Corrupted page table at address ${hex64(address)}`);
  k.printk('emerg', dump_pagetable(k, address));
  __die(k, 'Bad pagetable', regs, error_code);
  oops_end(k, SIGKILL);
}
