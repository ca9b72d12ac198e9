// --trace faults: one line per page fault, naming the route the handler took through the functions of
// fault.ts and memory.ts, e.g.
//   rip 0x401017 addr 0x7ffff7ff8000 error 0x6 (user write, not present)
//     do_user_addr_fault > find_vma > good_area > handle_mm_fault > do_anonymous_page: new page => minor
// The route is recorded only while a trace is open (k.tracing('fault')); otherwise fault_path is a
// single null test, so the fault path builds no strings when nobody watches.

import { symbolize_short } from './kallsyms.js';
import type { FaultTrace, Machine } from './machine.js';
import { hex64 } from './printk.js';


/** The #PF error code in words, as show_fault_oops would say it. */
export function decode_error_code(error_code: number): string {
  const who = error_code & 4 ? 'user' : 'supervisor';
  const what = error_code & 16 ? 'fetch' : error_code & 2 ? 'write' : 'read';
  const why = !(error_code & 1) ? 'not present'
    : error_code & 8 ? 'reserved bit' : error_code & 32 ? 'protection key' : 'protection';
  return `${who} ${what}, ${why}`;
}

/** An instruction address as a reader wants it: a kernel text address by symbol (copy_user_generic+0x6). */
export function ip_text(ip: number): string {
  return ip < 0 ? symbolize_short(ip) : `0x${hex64(ip)}`;
}

/** Open the record of one fault (handle_page_fault's trace_page_fault_entries). */
export function fault_trace_begin(k: Machine, ip: number, address: number, error_code: number): void {
  if (!k.tracing('fault')) return;
  k.fault_trace = { ip, address, error_code, path: [], outcome: '', prev: k.fault_trace };
  k.tracer.hold(); // what the fault causes (a COW copy, a flush, the segfault line) follows its line
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
  k.tracer.release({ kind: 'fault', pid: k.current.pid, text: long_line(t), short: short_line(t, k.current.pid) });
}

function outcome_of(t: FaultTrace): string {
  return t.outcome === '' ? 'retry' : t.outcome;
}

/** rip 0x401046 addr 0x7ffff7ffb000 error 0x4 (user read, not present) do_user_addr_fault > ... => minor fault */
function long_line(t: FaultTrace): string {
  const head = `rip ${ip_text(t.ip)} addr 0x${hex64(t.address)} error 0x${t.error_code.toString(16)} (${decode_error_code(t.error_code)})`;
  return `${head} ${t.path.join(' > ')} => ${outcome_of(t)}`;
}

/** The most columns a short line may take, its `[#PF pid]` label included. */
const SHORT_COLUMNS = 99;

/** 0x401054 user write 0x7ffff7ffb000 (present): wp_page_copy: zero page -> new page => minor */
function short_line(t: FaultTrace, pid: number): string {
  const e = t.error_code;
  const who = e & 4 ? 'user' : 'kern';
  const what = e & 16 ? 'fetch' : e & 2 ? 'write' : 'read';
  const present = e & 1 ? ' (present)' : '';
  const outcome = outcome_of(t).replace(/^(minor|major) fault$/, '$1').replace(/^fixup -> .* \((-E[A-Z]+)\)$/, 'fixup $1');
  const head = `${ip_text(t.ip)} ${who} ${what} 0x${hex64(t.address)}${present}:`;
  const last = t.path[t.path.length - 1] ?? '';
  const line = `${head} ${last} => ${outcome}`;
  const room = SHORT_COLUMNS - `[#PF ${pid}] `.length;
  return line.length <= room ? line : `${head} ${last.replace(/:.*$/, '')} => ${outcome}`.slice(0, room);
}
