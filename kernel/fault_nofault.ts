// Reading memory from inside the fault handler without faulting again (Linux 5.10 mm/maccess.c
// copy_from_kernel_nofault, arch/x86/lib/usercopy.c copy_from_user_nmi): the kernel walks the page table
// loaded in CR3 itself and gives up at the first missing entry. Used to look at the faulting
// instruction (is_prefetch) and to print the bytes around it (show_opcodes).

import type { Machine } from './machine.js';
import { pgd_index, pmd_index, pte_index, ptep_get, pud_index } from './pgalloc.js';
import { _PAGE_PRESENT, _PAGE_PSE, entry_phys } from './pgtable.js';
import { user_mode, type pt_regs } from './ptrace.js';
import { TASK_SIZE_MAX } from './mm_constants.js';
import { X86_PF_INSTR } from './trap_pf.js';


/** The physical address of `addr` in the current page table, or -1 where nothing is mapped. */
export function lookup_phys(k: Machine, addr: number): number {
  const mem = k.mem;
  let e = ptep_get(mem, k.mmu.cr3 + pgd_index(addr) * 8);
  if (!(e.lo & _PAGE_PRESENT)) return -1;
  e = ptep_get(mem, entry_phys(e) + pud_index(addr) * 8);
  if (!(e.lo & _PAGE_PRESENT)) return -1;
  if (e.lo & _PAGE_PSE) return entry_phys(e) - (entry_phys(e) % 2 ** 30) + (((addr % 2 ** 30) + 2 ** 30) % 2 ** 30);
  e = ptep_get(mem, entry_phys(e) + pmd_index(addr) * 8);
  if (!(e.lo & _PAGE_PRESENT)) return -1;
  if (e.lo & _PAGE_PSE) return entry_phys(e) - (entry_phys(e) % 2 ** 21) + (((addr % 2 ** 21) + 2 ** 21) % 2 ** 21);
  e = ptep_get(mem, entry_phys(e) + pte_index(addr) * 8);
  if (!(e.lo & _PAGE_PRESENT)) return -1;
  const pa = entry_phys(e) + (((addr % 4096) + 4096) % 4096);
  return pa < mem.size ? pa : -1;
}

/** Copy n bytes at virtual addr into buf; returns how many bytes could NOT be copied (0: all of them). */
export function copy_nofault(k: Machine, buf: Uint8Array, addr: number, n: number): number {
  for (let i = 0; i < n; i++) {
    const pa = lookup_phys(k, addr + i);
    if (pa < 0) return n - i;
    buf[i] = k.mem.u8[pa];
  }
  return 0;
}

// Linux 5.10 arch/x86/mm/fault.c check_prefetch_opcode: walk over prefixes; 0F 0D / 0F 18 is a prefetch
function check_prefetch_opcode(k: Machine, instr: number, opcode: number, out: { prefetch: boolean }): boolean {
  const instr_hi = opcode & 0xf0;
  const instr_lo = opcode & 0x0f;
  switch (instr_hi) {
    case 0x20:
    case 0x30:
      return (instr_lo & 7) === 0x6; // segment-override prefixes
    case 0x40:
      return true; // REX prefixes (64-bit mode)
    case 0x60:
      return (instr_lo & 0xc) === 0x4; // 0x64..0x67
    case 0xf0:
      return !instr_lo || instr_lo >> 1 === 1; // lock, repne, rep
    case 0x00: {
      const b = new Uint8Array(1);
      if (copy_nofault(k, b, instr, 1)) return false;
      out.prefetch = instr_lo === 0xf && (b[0] === 0x0d || b[0] === 0x18);
      return false;
    }
    default:
      return false;
  }
}

// Linux 5.10 arch/x86/mm/fault.c is_prefetch: old AMD CPUs raised #PF for prefetch instructions, which
// must be ignored. faultline's CPU never does (SPEC §1), but the check stands where Linux has it.
export function is_prefetch(k: Machine, regs: pt_regs, error_code: number, _addr: number): boolean {
  if (error_code & X86_PF_INSTR) return false; // an NX fetch fault is never a prefetch
  let instr = regs.ip;
  const max_instr = instr + 15;
  if (user_mode(regs) && (instr < 0 || instr >= TASK_SIZE_MAX)) return false;
  const out = { prefetch: false };
  const b = new Uint8Array(1);
  while (instr < max_instr) {
    if (copy_nofault(k, b, instr, 1)) break;
    instr++;
    if (!check_prefetch_opcode(k, instr, b[0], out)) break;
  }
  return out.prefetch;
}
