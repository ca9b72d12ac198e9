// Running guest programs in faultline from tests: assemble with faultline's assembler, or take an ELF,
// then boot a machine and run the program to the end with captured stdio.
import { assemble } from '../../asm/assemble.js';
import { formatDiagnostic } from '../../asm/diagnostics.js';
import { writeElf } from '../../asm/elf.js';
import type { KernelVersion, LogLevel } from '../../kernel/machine.js';
import { run_program, type ProgramOutcome } from '../../kernel/kernel_run.js';
import type { TraceKind } from '../../kernel/trace.js';

/** Assembles a program with faultline's assembler into ELF bytes; throws with the diagnostics if it fails. */
export function buildWithFaultline(source: string, file = 'prog.s'): Uint8Array {
  const r = assemble(source, file);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d, source)).join('\n'));
  return writeElf(r.image);
}

export interface GuestRun {
  stdout: string;
  stderr: string;
  /** Kernel log lines (printk). */
  log: string[];
  trace: string[];
  outcome: ProgramOutcome;
}

export interface GuestRunOptions {
  argv?: readonly string[];
  envp?: readonly string[];
  stdin?: string;
  memBytes?: number;
  maxSteps?: number;
  version?: KernelVersion;
  trace?: readonly TraceKind[];
}

/** Runs an ELF in a fresh machine; throws if exec refuses it. */
export function runGuest(elf: Uint8Array, opts: GuestRunOptions = {}): GuestRun {
  const out: number[] = [];
  const err: number[] = [];
  const log: string[] = [];
  const trace: string[] = [];
  let stdin = new TextEncoder().encode(opts.stdin ?? '');
  const argv = opts.argv ?? ['./prog'];
  const outcome = run_program(elf, {
    memBytes: opts.memBytes ?? 64 << 20,
    version: opts.version,
    trace: opts.trace,
    io: {
      readStdin(max: number): Uint8Array {
        const chunk = stdin.subarray(0, max);
        stdin = stdin.subarray(chunk.length);
        return chunk;
      },
      write(fd: 1 | 2, bytes: Uint8Array): void {
        (fd === 1 ? out : err).push(...bytes);
      },
    },
    printk: (_level: LogLevel, line: string) => log.push(line),
    traceLine: (line) => trace.push(line),
    filename: argv[0],
    argv,
    envp: opts.envp ?? [],
    maxSteps: opts.maxSteps ?? 50_000_000,
  });
  if (typeof outcome === 'string') throw new Error(`exec failed: ${outcome}`);
  const dec = new TextDecoder();
  return { stdout: dec.decode(Uint8Array.from(out)), stderr: dec.decode(Uint8Array.from(err)), log, trace, outcome };
}
