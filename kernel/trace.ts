// --trace: which event kinds are on, and how an event becomes one line. Producers check k.tracing(kind)
// before building any text, so tracing costs nothing when it is off.

import type { TraceEvent } from './machine.js';

export type TraceKind = TraceEvent['kind'];

/** The names --trace accepts, and the kind each selects. */
export const TRACE_NAMES: Readonly<Record<string, TraceKind>> = {
  faults: 'fault',
  fault: 'fault',
  syscalls: 'syscall',
  syscall: 'syscall',
  cow: 'cow',
  tlb: 'tlb',
};

export class TraceKinds {
  private readonly on: Set<TraceKind>;
  constructor(kinds: readonly TraceKind[]) {
    this.on = new Set(kinds);
  }
  has(kind: TraceKind): boolean {
    return this.on.has(kind);
  }
}

/** Parses "faults,syscalls,..." into kinds; an unknown name comes back as a string (the error message). */
export function parse_trace_kinds(list: string): TraceKind[] | string {
  const kinds: TraceKind[] = [];
  for (const name of list.split(',')) {
    if (name === '') continue;
    const kind = TRACE_NAMES[name];
    if (kind === undefined) return `unknown trace kind '${name}' (known: faults, syscalls, cow, tlb)`;
    kinds.push(kind);
  }
  return kinds;
}

const LABEL: Readonly<Record<TraceKind, string>> = { fault: '#PF', syscall: 'sys', cow: 'cow', tlb: 'tlb' };

/** One event as one line: `[#PF pid 2] text`. */
export function format_trace(e: TraceEvent): string {
  return `[${LABEL[e.kind]} pid ${e.pid}] ${e.text}`;
}

/** Linux x86-64 syscalls by number (SPEC §4): name and argument count, for syscall trace lines. */
export const SYSCALLS: Readonly<Record<number, readonly [string, number]>> = {
  0: ['read', 3], 1: ['write', 3], 2: ['open', 3], 3: ['close', 1], 9: ['mmap', 6], 10: ['mprotect', 3],
  11: ['munmap', 2], 12: ['brk', 1], 13: ['rt_sigaction', 4], 14: ['rt_sigprocmask', 4], 15: ['rt_sigreturn', 0],
  24: ['sched_yield', 0], 28: ['madvise', 3], 39: ['getpid', 0], 57: ['fork', 0], 58: ['vfork', 0],
  59: ['execve', 3], 60: ['exit', 1], 61: ['wait4', 4], 62: ['kill', 2], 77: ['ftruncate', 2],
  98: ['getrusage', 2], 110: ['getppid', 0], 158: ['arch_prctl', 2], 231: ['exit_group', 1], 257: ['openat', 4],
  302: ['prlimit64', 4], 329: ['pkey_mprotect', 4], 330: ['pkey_alloc', 2], 331: ['pkey_free', 1],
};

