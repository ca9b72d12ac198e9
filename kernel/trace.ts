// --trace: which event kinds are on, and how events become lines, in the order they were decided. Producers
// check k.tracing(kind) before building any text, so tracing costs nothing when it is off.
//
// Order: a fault or a syscall is decided when it ends, but what it caused (a COW copy, a TLB flush, the
// segfault line, a nested fault) happens before that. While one is open (hold), lines it causes are held
// back and go out after its own line (release): cause first, then its consequences.

import type { TraceEvent } from './machine.js';

export type TraceKind = TraceEvent['kind'];

/** long: every detail on one line; short: one fault in under 100 columns (a projector's width). */
export type TraceStyle = 'long' | 'short';

/** The names --trace accepts, and the kind each selects. */
export const TRACE_NAMES: Readonly<Record<string, TraceKind>> = {
  faults: 'fault',
  fault: 'fault',
  syscalls: 'syscall',
  syscall: 'syscall',
  cow: 'cow',
  tlb: 'tlb',
  proc: 'proc',
};

/** Parses "faults,syscalls,..." into kinds; an unknown name comes back as a string (the error message). */
export function parse_trace_kinds(list: string): TraceKind[] | string {
  const kinds: TraceKind[] = [];
  for (const name of list.split(',')) {
    if (name === '') continue;
    const kind = TRACE_NAMES[name];
    if (kind === undefined) return `unknown trace kind '${name}' (known: faults, syscalls, cow, tlb, proc)`;
    kinds.push(kind);
  }
  return kinds;
}

const LABEL: Readonly<Record<TraceKind, string>> = { fault: '#PF', syscall: 'sys', cow: 'cow', tlb: 'tlb', proc: 'proc' };

/** One event as one line: `[#PF pid 2] text` (long) or `[#PF 2] short text` (short). */
export function format_trace(e: TraceEvent, style: TraceStyle = 'long'): string {
  return style === 'short' ? `[${LABEL[e.kind]} ${e.pid}] ${e.short ?? e.text}` : `[${LABEL[e.kind]} pid ${e.pid}] ${e.text}`;
}

/** The trace of one machine: what is on, the output held while events are open, syscalls left sleeping. */
export class Tracer {
  private readonly on: Set<TraceKind>;
  /** Output held back for each open event, innermost last. */
  private readonly held: Array<Array<() => void>> = [];
  /** pid -> the syscall it sleeps in, printed `<unfinished ...>` (strace's resume bookkeeping). */
  readonly unfinished = new Map<number, string>();

  constructor(kinds: readonly TraceKind[], readonly style: TraceStyle = 'long', private readonly sink: (line: string) => void = () => {}) {
    this.on = new Set(kinds);
  }

  has(kind: TraceKind): boolean {
    return this.on.has(kind);
  }

  /** Output in trace order: now, or after the line of the innermost open event. */
  out(write: () => void): void {
    const top = this.held[this.held.length - 1];
    if (top === undefined) write();
    else top.push(write);
  }

  emit(e: TraceEvent): void {
    const line = format_trace(e, this.style);
    this.out(() => this.sink(line));
  }

  /** An event opens: what it causes waits for its line. */
  hold(): void {
    this.held.push([]);
  }

  /** The event is decided: its line (if any), then what it held back. */
  release(e: TraceEvent | null): void {
    const mine = this.held.pop() ?? [];
    if (e !== null) this.emit(e);
    for (const write of mine) this.out(write);
  }
}
