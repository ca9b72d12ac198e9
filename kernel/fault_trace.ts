// --trace faults: one line per page fault, naming the route the handler took through the functions of
// fault.ts and memory.ts, e.g.
//   rip 0x401017 addr 0x7ffff7ff8000 error 0x6 (user write, not present)
//     do_user_addr_fault > find_vma > good_area > handle_mm_fault > do_anonymous_page: new page => minor
// The route is recorded only while a trace is open (k.tracing('fault')); otherwise fault_path is a
// single null test, so the fault path builds no strings when nobody watches.

import type { Machine } from './machine.js';
import { hex64 } from './printk.js';


/** The #PF error code in words, as show_fault_oops would say it. */
export function decode_error_code(error_code: number): string {
  const who = error_code & 4 ? 'user' : 'supervisor';
  const what = error_code & 16 ? 'fetch' : error_code & 2 ? 'write' : 'read';
  const why = !(error_code & 1) ? 'not present'
    : error_code & 8 ? 'reserved bit' : error_code & 32 ? 'protection key' : 'protection';
  return `${who} ${what}, ${why}`;
}

/** Open the record of one fault (handle_page_fault's trace_page_fault_entries). */
export function fault_trace_begin(k: Machine, ip: number, address: number, error_code: number): void {
  if (!k.tracing('fault')) return;
  const head = `rip 0x${hex64(ip)} addr 0x${hex64(address)} error 0x${error_code.toString(16)} (${decode_error_code(error_code)})`;
  k.fault_trace = { head, path: [], outcome: '', prev: k.fault_trace };
}

/** Note a step of the route (a function entered or a label taken). */
export function fault_path(k: Machine, step: string): void {
  if (k.fault_trace !== null) k.fault_trace.path.push(step);
}

/** Note how the fault ended (the last word wins: a fixup after bad_area, a signal after no page...). */
export function fault_outcome(k: Machine, outcome: string): void {
  if (k.fault_trace !== null) k.fault_trace.outcome = outcome;
}

/** Whether a route is being recorded (to skip building a detail string). */
export function fault_tracing(k: Machine): boolean {
  return k.fault_trace !== null;
}

/** Close the record and emit the line; runs even when the fault path unwinds by a throw. */
export function fault_trace_end(k: Machine): void {
  const t = k.fault_trace;
  if (t === null) return;
  k.fault_trace = t.prev;
  const outcome = t.outcome === '' ? 'retry' : t.outcome;
  k.trace({ kind: 'fault', pid: k.current.pid, text: `${t.head} ${t.path.join(' > ')} => ${outcome}` });
}
