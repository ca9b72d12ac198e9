// faultline run prog.s|prog [args...]: run a guest program on the machine. A .s file is assembled by
// faultline first. The guest's stdout/stderr are this process's; kernel messages and traces go to stderr.

import { readSync, writeSync } from 'node:fs';
import kleur from 'kleur';
import { assemble } from '../../asm/assemble.js';
import { formatDiagnostic } from '../../asm/diagnostics.js';
import { writeElf } from '../../asm/elf.js';
import type { GuestIO, KernelVersion, LogLevel } from '../../kernel/machine.js';
import { run_program } from '../../kernel/kernel_run.js';
import { format_stats } from '../../kernel/stats.js';
import { parse_trace_kinds } from '../../kernel/trace.js';
import { MAX_PHYS_BYTES } from '../../vm/memory.js';
import { parseArgs, UsageError } from '../usage.js';
import { decodeSource } from './asm.js';
import { readInput } from '../read-input.js';

export const HELP = `usage: faultline run [options] PROGRAM[.s] [ARGS...]

Run a guest program (GNU as source, assembled first, or a static x86-64 ELF) on faultline's machine:
an x86-64 CPU with 4-level paging under a mini-kernel that handles page faults the way Linux does.
The guest's stdin/stdout/stderr are faultline's; kernel messages go to stderr. The guest gets argv
PROGRAM ARGS... and an empty environment. The exit status is the guest's, or 128 + the signal number.
Options may come before or after PROGRAM; guest arguments that start with - go after --.

options:
  --trace KINDS     print events as they happen (stderr); KINDS is a comma list of
                    faults, syscalls, cow, tlb
  --stats           print a perf-stat-like summary at the end (stderr)
  --mem SIZE        physical memory, e.g. 64M, 256M (default), 1G; at most 2047M
  --kernel VERSION  5.10 (default), 4.19 or 2.6: where the kernels' fault handling differs
  --max-steps N     stop after N instructions (exit status 124); default 10000000000,
                    0 for no limit. A fork bomb is stopped too (100,000 forks refused
                    for a full process table)
  -h, --help        show this help
`;

const DEFAULT_MEM = 256 << 20;
/** Enough for any course workload (about two minutes of guest code); an endless loop still ends. */
const DEFAULT_MAX_STEPS = 10_000_000_000;
const MIN_MEM = 4 << 20;

/** "256M" -> bytes. */
export function parseSize(text: string): number | null {
  const m = /^(\d+)([KMG]?)(i?B)?$/i.exec(text.trim());
  if (!m) return null;
  const unit = { '': 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * unit;
}

/** The guest's streams: this process's own file descriptors, synchronously (the CPU never awaits). */
function processIO(): GuestIO {
  return {
    readStdin(max: number): Uint8Array {
      const buf = new Uint8Array(max);
      for (;;) {
        try {
          return buf.subarray(0, readSync(0, buf, 0, max, null));
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') continue; // a non-blocking stdin: wait for input
          return new Uint8Array(0); // closed or unreadable: end of file
        }
      }
    },
    write(fd: 1 | 2, bytes: Uint8Array): void {
      let off = 0;
      while (off < bytes.length) {
        try {
          off += writeSync(fd, bytes, off);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return; // e.g. EPIPE: the reader is gone
        }
      }
    },
  };
}

/** Reads the program: a .s is assembled (diagnostics printed), anything else is taken as an ELF. */
function loadProgram(file: string): Uint8Array | null {
  const bytes = readInput(file);
  if (bytes === null) return null;
  if (!file.endsWith('.s')) return bytes;
  const decoded = decodeSource(bytes, file);
  if ('diag' in decoded) {
    process.stderr.write(`${formatDiagnostic(decoded.diag, '')}\n`);
    return null;
  }
  const r = assemble(decoded.text, file);
  if (!r.ok) {
    for (const d of r.diagnostics) process.stderr.write(`${formatDiagnostic(d, decoded.text)}\n`);
    return null;
  }
  return writeElf(r.image);
}

function colourFor(level: LogLevel): (s: string) => string {
  if (!process.stderr.isTTY) return (s) => s;
  return level === 'emerg' ? kleur.red : level === 'warn' ? kleur.yellow : kleur.bold;
}

interface RunSettings {
  memBytes: number;
  version: KernelVersion;
  trace: ReturnType<typeof parse_trace_kinds>;
  maxSteps: number;
  stats: boolean;
}

function settings(flags: Map<string, string | true>): RunSettings {
  const str = (name: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const memText = str('mem');
  const memBytes = memText === undefined ? DEFAULT_MEM : parseSize(memText);
  if (memBytes === null) throw new UsageError(`--mem: '${memText}' is not a size (e.g. 64M, 256M, 1G)`);
  if (memBytes < MIN_MEM || memBytes > MAX_PHYS_BYTES) throw new UsageError(`--mem must be between 4M and 2047M`);
  const version = str('kernel') ?? '5.10';
  if (version !== '5.10' && version !== '4.19' && version !== '2.6') throw new UsageError(`--kernel must be 5.10, 4.19 or 2.6`);
  const trace = parse_trace_kinds(str('trace') ?? '');
  if (typeof trace === 'string') throw new UsageError(`--trace: ${trace}`);
  const stepsText = str('max-steps');
  const steps = stepsText === undefined ? DEFAULT_MAX_STEPS : Number(stepsText);
  if (!(Number.isSafeInteger(steps) && steps >= 0)) throw new UsageError(`--max-steps needs a whole number (0 for no limit)`);
  const maxSteps = steps === 0 ? Infinity : steps;
  return { memBytes, version, trace, maxSteps, stats: flags.has('stats') };
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    valued: ['trace', 'mem', 'kernel', 'max-steps'],
    boolean: ['stats', 'help', 'h'],
  });
  if (args.flags.has('help') || args.flags.has('h')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length === 0) throw new UsageError('run needs a program (try faultline run --help)');
  const s = settings(args.flags);
  const [file, ...guestArgs] = args.positional;
  const elf = loadProgram(file);
  if (elf === null) return 1;
  const name = file.endsWith('.s') ? file.slice(0, -2) : file;
  const started = performance.now();
  const out = run_program(elf, {
    memBytes: s.memBytes,
    version: s.version,
    trace: Array.isArray(s.trace) ? s.trace : [],
    io: processIO(),
    printk: (level, line) => process.stderr.write(`${colourFor(level)(line)}\n`),
    traceLine: (line) => process.stderr.write(`${process.stderr.isTTY ? kleur.dim(line) : line}\n`),
    filename: name,
    argv: [name, ...guestArgs],
    envp: [],
    maxSteps: s.maxSteps,
  });
  if (typeof out === 'string') {
    process.stderr.write(`faultline: ${file}: ${out}\n`);
    return 1;
  }
  if (out.stopped === 'max-steps') {
    const n = s.maxSteps.toLocaleString('en-US');
    process.stderr.write(`faultline: stopped: the guest ran ${n} instructions (--max-steps ${s.maxSteps}; 0 for no limit)\n`);
  } else if (out.stopped === 'fork-bomb') {
    process.stderr.write(`faultline: stopped: fork bomb: ${out.k.stats.fork_limit_hits.toLocaleString('en-US')} forks refused because the process table was full (${out.k.tasks.size} tasks)\n`);
  }
  else if (out.wait_status === null) process.stderr.write('faultline: no task can run (every task is blocked)\n');
  if (s.stats) process.stderr.write(format_stats(out.k, name, (performance.now() - started) / 1000));
  return out.status;
}
