// The kernel's exception table: for each kernel instruction allowed to fault on a user address, where to
// resume. Linux 5.10 kernel/extable.c search_exception_tables, lib/extable.c sort_extable/search_extable,
// arch/x86/mm/extable.c fixup_exception (seed 000: the first thing no_context tries).
//
// API:
//   main_extable(): readonly exception_table_entry[]   the image's __ex_table, sorted by insn at build time
//   search_exception_tables(k, ip): exception_table_entry | null
//   fixup_exception(k, regs, trapnr, error_code, address): boolean   true: regs.ip now at the fixup

import { build_kernel_image, type exception_table_entry } from './kernel_image.js';
import type { Machine } from './machine.js';
import type { pt_regs } from './ptrace.js';

// __start___ex_table .. __stop___ex_table (sorted when the image was built: kernel_image.ts)
export function main_extable(): readonly exception_table_entry[] {
  return build_kernel_image().ex_table;
}

// lib/extable.c search_extable: binary search for the entry of exactly this instruction
function search_extable(table: readonly exception_table_entry[], value: number): exception_table_entry | null {
  let lo = 0;
  let hi = table.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = table[mid];
    if (e.insn === value) return e;
    if (e.insn < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

// Linux 5.10 kernel/extable.c search_exception_tables (faultline has no modules: the main table only)
export function search_exception_tables(_k: Machine, addr: number): exception_table_entry | null {
  return search_extable(main_extable(), addr);
}

// Linux 5.10 arch/x86/mm/extable.c fixup_exception: ex_handler_default / ex_handler_uaccess move the
// instruction pointer to the fixup; that is all they do (no trace in thread.cr2/error_code, no signal).
export function fixup_exception(k: Machine, regs: pt_regs, _trapnr: number, _error_code: number, _address: number): boolean {
  const e = search_exception_tables(k, regs.ip);
  if (e === null) return false;
  regs.ip = e.fixup;
  return true;
}
