// The kernel labs: which functions of faultline's kernel the student writes, and the reference programs
// (tests/linux/programs, recorded on Linux) whose output proves them. Each lab's handout is
// labs/NAME/README.md. The reference solution is the kernel itself.

export interface LabFunction {
  /** Path below the tree, e.g. kernel/memory.ts. */
  file: string;
  name: string;
  /** One line for the stub: what the function must do. */
  hint: string;
}

export interface LabTest {
  /** A reference program of tests/linux/programs (without .s). */
  program: string;
  points: number;
  /** What the test shows, for the report. */
  about: string;
}

export interface Lab {
  name: string;
  title: string;
  functions: LabFunction[];
  tests: LabTest[];
}

export const LABS: readonly Lab[] = [
  {
    name: 'lazy',
    title: 'lazy allocation: do_anonymous_page and the zero page',
    functions: [
      { file: 'kernel/memory.ts', name: 'do_anonymous_page', hint: 'A read maps the shared zero page read-only; a write gets a new zeroed page.' },
    ],
    tests: [
      { program: 'fault-anon-zero-page', points: 20, about: 'reads map the zero page, the writes after them copy it' },
      { program: 'fault-anon-write', points: 15, about: 'a first write gets a writable zeroed page at once' },
      { program: 'fault-bss', points: 15, about: '.bss is anonymous memory too' },
      { program: 'brk-grow-shrink', points: 15, about: 'the heap grows lazily' },
      { program: 'madvise-dontneed', points: 15, about: 'pages thrown away fault in as zeros again' },
      { program: 'proc-fork-zero-page', points: 20, about: 'zero-page reads across fork' },
    ],
  },
  {
    name: 'cow',
    title: 'copy-on-write fork: copy_present_pte, do_wp_page, wp_page_copy',
    functions: [
      { file: 'kernel/fork_copy.ts', name: 'copy_present_pte', hint: "Share the page with the child: raise its counts, write-protect a COW mapping's pte on both sides." },
      { file: 'kernel/memory_wp.ts', name: 'do_wp_page', hint: 'A write to a read-only pte: reuse the page if nobody else holds it, else copy it.' },
      { file: 'kernel/memory_wp.ts', name: 'wp_page_copy', hint: 'Copy the page (or zero a new one for the zero page), swap the pte, flush, drop the old reference.' },
    ],
    tests: [
      { program: 'proc-fork-cow-global', points: 20, about: 'parent and child each see their own copy of .data' },
      { program: 'proc-cow-while-child-lives', points: 20, about: 'copies while both live, reuse once alone' },
      { program: 'proc-fork-child-faults', points: 15, about: 'the child faults on what it writes' },
      { program: 'proc-three-generations', points: 15, about: 'COW across three generations' },
      { program: 'proc-fork-readonly-private', points: 15, about: 'a read-only private mapping is never copied on write' },
      { program: 'proc-shared-anon', points: 15, about: 'MAP_SHARED memory stays shared' },
    ],
  },
  {
    name: 'stack',
    title: 'stack growth: expand_downwards and acct_stack_growth',
    functions: [
      { file: 'kernel/stack.ts', name: 'expand_downwards', hint: 'Move vm_start down to the faulting page: mmap_min_addr, the guard gap, then acct_stack_growth.' },
      { file: 'kernel/stack.ts', name: 'acct_stack_growth', hint: 'Refuse growth past RLIMIT_AS or RLIMIT_STACK.' },
    ],
    tests: [
      { program: 'stack-growth', points: 40, about: 'pushes and a big frame below rsp grow the stack, up to RLIMIT_STACK' },
      { program: 'stack-guard-gap', points: 30, about: 'the stack never grows within the guard gap of a mapping below' },
      { program: 'segv-no-stack-for-signal', points: 30, about: 'no room for the signal frame: SIGSEGV kills' },
    ],
  },
  {
    name: 'uaccess',
    title: 'the exception-table fixup: search_exception_tables and fixup_exception',
    functions: [
      { file: 'kernel/extable.ts', name: 'search_extable', hint: 'Binary search of the sorted __ex_table for the faulting instruction.' },
      { file: 'kernel/extable.ts', name: 'fixup_exception', hint: "Resume a faulting uaccess instruction at its fixup, which makes the syscall return -EFAULT." },
    ],
    tests: [
      { program: 'efault-bad-pointers', points: 60, about: 'every syscall given a bad pointer returns -EFAULT' },
      { program: 'segv-no-stack-for-signal', points: 40, about: 'a signal frame the kernel cannot write: the fixup, then SIGSEGV' },
    ],
  },
];

export function findLab(name: string): Lab | undefined {
  return LABS.find((l) => l.name === name);
}
