// Hand-written wrong solutions to the kernel labs: the reference function (faultline's own) with one
// mistake a student makes, and the tests that mistake must lose.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { functionBody } from '../../cli/lab/stub.js';
import { ROOT } from '../../cli/lab/tree.js';

export interface WrongSolution {
  lab: string;
  what: string;
  file: string;
  fn: string;
  /** The line of the reference body to change, and what it becomes. */
  from: string;
  to: string;
  /** The programs it must fail, exactly. */
  fails: string[];
}

export const WRONG: readonly WrongSolution[] = [
  {
    lab: 'lazy', what: 'maps every first touch to a new writable page (no zero page)',
    file: 'kernel/memory.ts', fn: 'do_anonymous_page',
    from: 'if (!(vmf.flags & FAULT_FLAG_WRITE)) {', to: 'if (false) {',
    fails: ['fault-anon-zero-page', 'fault-bss', 'brk-grow-shrink', 'madvise-dontneed', 'proc-fork-zero-page'],
  },
  {
    lab: 'cow', what: "forgets to write-protect the parent's pte",
    file: 'kernel/fork_copy.ts', fn: 'copy_present_pte',
    from: 'set_pte_raw(zone.mem, src_pte, lo, hi); // ptep_set_wrprotect(src_mm, addr, src_pte)', to: '',
    fails: ['proc-fork-cow-global', 'proc-cow-while-child-lives', 'proc-fork-child-faults', 'proc-three-generations', 'proc-fork-readonly-private', 'proc-shared-anon'],
  },
  {
    lab: 'stack', what: 'no stack guard gap',
    file: 'kernel/stack.ts', fn: 'expand_downwards',
    from: 'if (address - prev.vm_end < stack_guard_gap) {', to: 'if (false) {',
    fails: ['stack-guard-gap'],
  },
];

/** Writes the wrong solution into a started lab tree, in place of the stub. */
export function applyWrong(tree: string, w: WrongSolution): void {
  const reference = readFileSync(join(ROOT, w.file), 'utf8');
  const ref = functionBody(reference, w.fn);
  if (ref === null) throw new Error(`${w.file} has no ${w.fn}`);
  const body = reference.slice(ref.open, ref.close + 1);
  if (!body.includes(w.from)) throw new Error(`${w.fn} no longer contains "${w.from}": update the wrong solution`);
  const path = join(tree, w.file);
  const student = readFileSync(path, 'utf8');
  const stub = functionBody(student, w.fn);
  if (stub === null) throw new Error(`the tree's ${w.file} has no ${w.fn}`);
  writeFileSync(path, student.slice(0, stub.open) + body.replace(w.from, w.to) + student.slice(stub.close + 1));
}
