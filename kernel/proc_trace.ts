// --trace proc: the life of processes, one line per event, as strace -f marks them:
//   [proc pid 2] fork: child pid 3           (kernel_clone; vfork says the parent sleeps)
//   [proc pid 3] +++ exited with 0 +++        (do_exit; "+++ killed by SIGSEGV (core dumped) +++")
//   [proc pid 2] wait4: reaped pid 3 (exited with 0)
//   [proc pid 4] reparented to init (pid 1)   (its parent exited first)

import type { Machine } from './machine.js';
import { signame } from './strace_names.js';
import type { task_struct } from './task.js';

/** A wait status word in words: `exited with 3`, `killed by SIGSEGV (core dumped)`. */
export function wait_status_text(status: number): string {
  const sig = status & 0x7f;
  if (sig === 0) return `exited with ${(status >> 8) & 0xff}`;
  return `killed by ${signame(sig)}${status & 0x80 ? ' (core dumped)' : ''}`;
}

function proc(k: Machine, pid: number, text: string): void {
  if (k.tracing('proc')) k.trace({ kind: 'proc', pid, text });
}

/** A fork starts: what it does (the TLB flush of the parent's write-protected pages) follows its line. */
export function trace_fork_begin(k: Machine): boolean {
  if (!k.tracing('proc')) return false;
  k.tracer.hold();
  return true;
}

/** The fork is decided: its child, or null when it failed (the syscall trace shows the error). */
export function trace_fork_end(k: Machine, parent: task_struct, child: task_struct | null, vfork: boolean): void {
  const what = vfork ? 'vfork' : 'fork';
  const text = child === null ? null : `${what}: child pid ${child.pid}${vfork ? ' (the parent sleeps until the child exits)' : ''}`;
  k.tracer.release(text === null ? null : { kind: 'proc', pid: parent.pid, text });
}

export function trace_exit(k: Machine, tsk: task_struct): void {
  // A task killed while it slept in a syscall never returns from it: strace's `<... wait4 resumed>) = ?`.
  const sleeping = k.tracer.unfinished.get(tsk.pid);
  if (sleeping !== undefined) {
    k.tracer.unfinished.delete(tsk.pid);
    if (k.tracing('syscall')) k.trace({ kind: 'syscall', pid: tsk.pid, text: `<... ${sleeping} resumed>) = ?` });
  }
  proc(k, tsk.pid, `+++ ${wait_status_text(tsk.exit_code)} +++`);
}

export function trace_reap(k: Machine, parent: task_struct, child: task_struct): void {
  proc(k, parent.pid, `wait4: reaped pid ${child.pid} (${wait_status_text(child.exit_code)})`);
}

export function trace_reparent(k: Machine, child: task_struct, reaper: task_struct): void {
  proc(k, child.pid, `reparented to ${reaper.comm} (pid ${reaper.pid})`);
}
