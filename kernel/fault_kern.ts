// Faults on kernel addresses that are not errors (Linux 5.10 arch/x86/mm/fault.c spurious_kernel_fault;
// seed 002 (2.6.11) vmalloc_fault; seed 004: "lazy TLB" and vmalloc faults). Both look at init_mm's page
// table, the reference copy of the kernel half.

import type { Machine } from './machine.js';
import { pgd_index, pgdp_get, pmd_index, pud_index, pte_index, ptep_get, set_pgd } from './pgalloc.js';
import { _PAGE_PRESENT, _PAGE_PSE, entry_phys, pte_exec, pte_write, type pte_t } from './pgtable.js';
import { X86_PF_INSTR, X86_PF_PROT, X86_PF_WRITE } from './trap_pf.js';


// Linux 5.10 spurious_kernel_fault_check: does this entry already allow the access?
function spurious_kernel_fault_check(error_code: number, pte: pte_t): boolean {
  if (error_code & X86_PF_WRITE && !pte_write(pte)) return false;
  if (error_code & X86_PF_INSTR && !pte_exec(pte)) return false;
  return true;
}

const present = (e: pte_t): boolean => (e.lo & _PAGE_PRESENT) !== 0;
const large = (e: pte_t): boolean => (e.lo & _PAGE_PSE) !== 0;

// Linux 5.10 spurious_kernel_fault: a write to a read-only or a fetch from an NX kernel page whose entry
// has since been relaxed, faulting only because the TLB still held the old entry. The #PF dropped the
// stale entry, so returning retries the access with the current one.
export function spurious_kernel_fault(k: Machine, error_code: number, address: number): boolean {
  if (error_code !== (X86_PF_WRITE | X86_PF_PROT) && error_code !== (X86_PF_INSTR | X86_PF_PROT)) return false;
  const mem = k.mem;
  const pgd = pgdp_get(mem, k.init_mm.pgd + pgd_index(address) * 8);
  if (!present(pgd)) return false; // the p4d level is folded into the pgd
  const pud = ptep_get(mem, entry_phys(pgd) + pud_index(address) * 8);
  if (!present(pud)) return false;
  if (large(pud)) return spurious_kernel_fault_check(error_code, pud);
  const pmd = ptep_get(mem, entry_phys(pud) + pmd_index(address) * 8);
  if (!present(pmd)) return false;
  if (large(pmd)) return spurious_kernel_fault_check(error_code, pmd);
  const pte = ptep_get(mem, entry_phys(pmd) + pte_index(address) * 8);
  if (!present(pte)) return false;
  if (!spurious_kernel_fault_check(error_code, pte)) return false;
  // The PMD must allow it too, else the page tables themselves are wrong (WARN_ONCE in Linux).
  const ok = spurious_kernel_fault_check(error_code, pmd);
  if (!ok) k.printk('warn', 'PMD has incorrect permission bits');
  return ok;
}

// seed 002 (2.6.11) vmalloc_fault: the kernel half of a process's pgd is a copy of init_mm's made at
// fork; an entry added to init_mm later is copied in on the first fault. Below the pgd the tables are
// shared, so there the two must already agree. Returns -1 when init_mm has no mapping either.
export function vmalloc_fault(k: Machine, address: number): number {
  const mem = k.mem;
  const mm = k.current.mm ?? k.init_mm;
  const pgdp = mm.pgd + pgd_index(address) * 8;
  const pgd_ref = pgdp_get(mem, k.init_mm.pgd + pgd_index(address) * 8);
  if (!present(pgd_ref)) return -1;
  if (!present(pgdp_get(mem, pgdp))) set_pgd(mem, pgdp, pgd_ref);
  const pud_ref = ptep_get(mem, entry_phys(pgd_ref) + pud_index(address) * 8);
  if (!present(pud_ref)) return -1;
  if (large(pud_ref)) return 0;
  const pmd_ref = ptep_get(mem, entry_phys(pud_ref) + pmd_index(address) * 8);
  if (!present(pmd_ref)) return -1;
  if (large(pmd_ref)) return 0;
  const pte_ref = ptep_get(mem, entry_phys(pmd_ref) + pte_index(address) * 8);
  if (!present(pte_ref)) return -1;
  k.mmu.flushAll(); // __flush_tlb_all
  return 0;
}
