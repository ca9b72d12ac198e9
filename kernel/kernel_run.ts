// One program, start to finish, on a fresh machine: boot, exec as pid 2, run until nothing is runnable
// or the instruction budget is spent. What the CLI, the tests and the benchmarks share.
//
//   run_program(elf, opts): ProgramOutcome | string    a string: the program could not be started (why)

import { exec } from './exec.js';
import { boot, type BootOptions, type Kernel } from './kernel.js';
import { run } from './sched.js';

export interface ProgramOptions extends BootOptions {
  filename: string;
  argv: readonly string[];
  envp: readonly string[];
  /** Stop after this many instructions (--max-steps); unlimited when absent. */
  maxSteps?: number;
}

export interface ProgramOutcome {
  k: Kernel;
  /** Why the machine stopped before every task had ended: the instruction budget, or a fork bomb. */
  stopped: 'max-steps' | 'fork-bomb' | null;
  /** The wait status (exit code << 8, or the terminating signal), when it ended. */
  wait_status: number | null;
  exitCode: number | null;
  signal: number | null;
  /** What a shell would report: the exit code, or 128 + the signal number. */
  status: number;
}

/** Decodes a wait status as WIFEXITED/WEXITSTATUS/WTERMSIG do. */
export function decode_wait_status(ws: number): { exitCode: number | null; signal: number | null } {
  const sig = ws & 0x7f;
  return sig === 0 ? { exitCode: (ws >> 8) & 0xff, signal: null } : { exitCode: null, signal: sig };
}

export function run_program(elf: Uint8Array, opts: ProgramOptions): ProgramOutcome | string {
  const k = boot(opts);
  const t = exec(k, elf, { filename: opts.filename, argv: opts.argv, envp: opts.envp });
  if (typeof t === 'string') return t;
  const why = run(k, opts.maxSteps ?? Infinity);
  const stopped = why === 'idle' ? null : why;
  const ended = t.state === 'zombie' || t.state === 'dead';
  if (!ended) return { k, stopped, wait_status: null, exitCode: null, signal: null, status: 124 };
  // The program ended; if its descendants were stopped, its own status still stands.
  const { exitCode, signal } = decode_wait_status(t.exit_code);
  return { k, stopped, wait_status: t.exit_code, exitCode, signal, status: signal !== null ? 128 + signal : (exitCode ?? 0) };
}
