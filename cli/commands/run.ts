// faultline run prog.s|prog [args...]: run a guest program on the machine. A .s file is assembled by
// faultline first. The guest's stdout/stderr are this process's; kernel messages and traces go to stderr.

import kleur from 'kleur';
import { writeElf } from '../../asm/elf.js';
import type { KernelVersion, LogLevel } from '../../kernel/machine.js';
import { run_program, type ProgramOutcome } from '../../kernel/kernel_run.js';
import { format_stats } from '../../kernel/stats.js';
import { parse_trace_kinds, type TraceKind, type TraceStyle } from '../../kernel/trace.js';
import { MAX_PHYS_BYTES } from '../../vm/memory.js';
import { setupColour } from '../colour.js';
import {
  EXIT_CANNOT_RUN, EXIT_DEADLOCK, EXIT_FORK_BOMB, EXIT_MAX_STEPS, EXIT_NOT_FOUND, EXIT_STATUS_HELP,
} from '../exit-status.js';
import { processIO } from '../guest-io.js';
import { readInput } from '../read-input.js';
import { assembleSources, readSources } from '../sources.js';
import { parseArgs, UsageError } from '../usage.js';

export const HELP = `usage: faultline run [options] PROGRAM[.s] [MORE.s ...] [ARGS...]

Run a guest program (GNU as source, assembled first, or a static x86-64 ELF) on faultline's machine:
an x86-64 CPU with 4-level paging under a mini-kernel that handles page faults the way Linux does.
The guest's stdin/stdout/stderr are faultline's; kernel messages go to stderr. The guest gets argv
PROGRAM ARGS... and an empty environment.
.s files right after PROGRAM.s are assembled with it as one source, in order (as \`as a.s b.s\`):
  faultline run tests/linux/programs/fault-bss.s tests/linux/lib.s
Options may come before or after PROGRAM; guest arguments that start with - or end in .s go after --.

options:
  --trace KINDS     print events as they happen (stderr), each after the event that caused it;
                    KINDS is a comma list of faults, syscalls (strace-style), cow, tlb,
                    proc (fork, exit, wait)
  --trace-style S   long (default: every detail) or short (one fault in under 100 columns)
  --stats           print a perf-stat-like summary at the end (stderr): instructions:u and
                    page-faults as perf stat counts them, minor/major faults as getrusage does
  --mem SIZE        physical memory, e.g. 64M, 256M (default), 1G; at least 4M, at most 2047M
  --kernel VERSION  5.10 (default), 4.19 or 2.6: where the kernels' fault handling differs
  --max-steps N     stop after N guest instructions (user mode; exit status 124); default
                    10000000000, 0 for no limit. A fork bomb is stopped too (status 125,
                    100,000 forks refused for a full process table)
  -h, --help        show this help

${EXIT_STATUS_HELP}`;

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

/** The program's ELF: .s sources assembled as one (diagnostics printed), anything else read as an ELF. */
function loadProgram(files: readonly string[]): Uint8Array | number {
  if (!files[0].endsWith('.s')) return readInput(files[0]) ?? EXIT_NOT_FOUND;
  const src = readSources(files);
  if (src === null) return EXIT_NOT_FOUND;
  const r = assembleSources(src);
  if (!r.ok) {
    const n = r.diagnostics.length;
    process.stderr.write(`faultline: not run: ${n} assembly error${n === 1 ? '' : 's'}\n`);
    return EXIT_CANNOT_RUN;
  }
  return writeElf(r.image);
}

/** The program's sources and its arguments: .s files right after a PROGRAM.s (and before --) are sources. */
export function splitProgram(positional: readonly string[], afterDashDash: number): { files: string[]; guestArgs: string[] } {
  let n = 1;
  if (positional[0].endsWith('.s')) while (n < afterDashDash && positional[n].endsWith('.s')) n++;
  return { files: positional.slice(0, n), guestArgs: positional.slice(n) };
}

function colourFor(level: LogLevel): (s: string) => string {
  return level === 'emerg' ? kleur.red : level === 'warn' ? kleur.yellow : kleur.bold;
}

interface RunSettings {
  memBytes: number;
  version: KernelVersion;
  trace: TraceKind[];
  traceStyle: TraceStyle;
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
  const traceStyle = str('trace-style') ?? 'long';
  if (traceStyle !== 'long' && traceStyle !== 'short') throw new UsageError(`--trace-style must be long or short`);
  const stepsText = str('max-steps');
  const steps = stepsText === undefined ? DEFAULT_MAX_STEPS : Number(stepsText);
  if (!(Number.isSafeInteger(steps) && steps >= 0)) throw new UsageError(`--max-steps needs a whole number (0 for no limit)`);
  const maxSteps = steps === 0 ? Infinity : steps;
  return { memBytes, version, trace, traceStyle, maxSteps, stats: flags.has('stats') };
}

/** The line on stderr that says why faultline stopped the guest (null: it ended by itself). */
function stopMessage(out: ProgramOutcome, s: RunSettings): { line: string; status: number } | null {
  if (out.stopped === 'max-steps') {
    const n = s.maxSteps.toLocaleString('en-US');
    return { line: `the guest ran ${n} instructions (--max-steps ${s.maxSteps}; 0 for no limit)`, status: EXIT_MAX_STEPS };
  }
  if (out.stopped === 'fork-bomb') {
    const refused = out.k.stats.fork_limit_hits.toLocaleString('en-US');
    return { line: `fork bomb: ${refused} forks refused because the process table was full (${out.k.tasks.size} tasks)`, status: EXIT_FORK_BOMB };
  }
  if (out.wait_status === null) return { line: 'deadlock: no task can run (every task is blocked)', status: EXIT_DEADLOCK };
  return null;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    valued: ['trace', 'trace-style', 'mem', 'kernel', 'max-steps'],
    boolean: ['stats', 'help', 'h'],
  });
  if (args.flags.has('help') || args.flags.has('h')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positional.length === 0) throw new UsageError('run needs a program (try faultline run --help)');
  const s = settings(args.flags);
  const { files, guestArgs } = splitProgram(args.positional, args.afterDashDash);
  const file = files[0];
  const elf = loadProgram(files);
  if (typeof elf === 'number') return elf;
  setupColour();
  const name = file.endsWith('.s') ? file.slice(0, -2) : file;
  const started = performance.now();
  const out = run_program(elf, {
    memBytes: s.memBytes,
    version: s.version,
    trace: s.trace,
    traceStyle: s.traceStyle,
    io: processIO(),
    printk: (level, line) => process.stderr.write(`${colourFor(level)(line)}\n`),
    traceLine: (line) => process.stderr.write(`${kleur.dim(line)}\n`),
    filename: name,
    argv: [name, ...guestArgs],
    envp: [],
    maxSteps: s.maxSteps,
  });
  if (typeof out === 'string') {
    process.stderr.write(`faultline: not run: ${file}: ${out}\n`);
    return EXIT_CANNOT_RUN;
  }
  const stop = stopMessage(out, s);
  if (stop !== null) process.stderr.write(`faultline: stopped: ${stop.line}\n`);
  if (s.stats) process.stderr.write(format_stats(out.k, name, (performance.now() - started) / 1000));
  return out.wait_status === null && stop !== null ? stop.status : out.status;
}
