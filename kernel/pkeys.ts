// Protection keys as the fault path consults them (Linux 5.10 arch/x86/include/asm/pkeys.h,
// arch/x86/include/asm/mmu_context.h arch_vma_access_permitted, arch/x86/kernel/fpu/xstate.c
// __pkru_allows_pkey). faultline's CPU has no wrpkru yet (v2), so every task runs with the PKRU value
// Linux gives a new process; the checks apply only once the kernel turned protection keys on (CR4.PKE).

import { CR4_PKE } from '../vm/paging.js';
import type { Machine } from './machine.js';
import type { vm_area_struct } from './mm_types.js';
import { X86_PF_INSTR, X86_PF_WRITE } from './trap_pf.js';

/** init_pkru_value: key 0 open, keys 1..15 access-disabled. */
export const init_pkru_value = 0x55555554;


// Linux 5.10 __pkru_allows_pkey: AD (bit 2k) forbids any access, WD (bit 2k+1) forbids writes
function __pkru_allows_pkey(pkru: number, pkey: number, write: boolean): boolean {
  if (pkru >>> (2 * pkey) & 1) return false;
  if (write && pkru >>> (2 * pkey + 1) & 1) return false;
  return true;
}

// Linux 5.10 arch_vma_access_permitted: may the VMA's key be used this way? (fetches are never keyed)
export function arch_vma_access_permitted(k: Machine, vma: vm_area_struct, error_code: number): boolean {
  if (!(k.mmu.cr4 & CR4_PKE)) return true; // cpu_feature_enabled(X86_FEATURE_OSPKE)
  if (error_code & X86_PF_INSTR) return true;
  return __pkru_allows_pkey(init_pkru_value, vma.vm_pkey, (error_code & X86_PF_WRITE) !== 0);
}
