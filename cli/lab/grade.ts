// Grading a lab tree: build it, run each of the lab's reference programs on the machine it builds, compare
// with the output recorded on Linux, and score as `make grade` does.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Lab, LabTest } from './labs.js';
import { ROOT, buildTree } from './tree.js';

type AsmModule = typeof import('../../asm/assemble.js');
type ElfModule = typeof import('../../asm/elf.js');
type RunModule = typeof import('../../kernel/kernel_run.js');

const PROGRAMS = join(ROOT, 'tests/linux/programs');
const LIB = join(ROOT, 'tests/linux/lib.s');
/** The conditions the recordings were made under (tests/linux/harness.ts). */
const STDIN = '0123456789\n';
const MEM_BYTES = 64 << 20;
const MAX_STEPS = 50_000_000;

export interface TestResult {
  program: string;
  about: string;
  points: number;
  ok: boolean;
  /** Why it failed: what was expected and what came instead. */
  message: string | null;
}

export interface GradeReport {
  lab: string;
  score: number;
  max: number;
  tests: TestResult[];
  /** The tree did not build: its errors (then every test fails). */
  buildErrors: string[];
}

interface Machine {
  asm: AsmModule;
  elf: ElfModule;
  run: RunModule;
}

async function load(out: string): Promise<Machine> {
  const url = (p: string): string => pathToFileURL(join(out, p)).href;
  return {
    asm: (await import(url('asm/assemble.js'))) as AsmModule,
    elf: (await import(url('asm/elf.js'))) as ElfModule,
    run: (await import(url('kernel/kernel_run.js'))) as RunModule,
  };
}

/** Runs one reference program; its stdout and "exit=N" / "signal=N", as the .expected files hold them. */
function runProgram(m: Machine, name: string): string {
  const source = `${readFileSync(join(PROGRAMS, `${name}.s`), 'utf8')}\n${readFileSync(LIB, 'utf8')}`;
  const r = m.asm.assemble(source, `${name}.s`);
  if (!r.ok) return `(does not assemble)\n`;
  const out: number[] = [];
  let stdin = new TextEncoder().encode(STDIN);
  const outcome = m.run.run_program(m.elf.writeElf(r.image), {
    memBytes: MEM_BYTES,
    io: {
      readStdin(max: number): Uint8Array {
        const chunk = stdin.subarray(0, max);
        stdin = stdin.subarray(chunk.length);
        return chunk;
      },
      write(fd: 1 | 2, bytes: Uint8Array): void {
        if (fd === 1) out.push(...bytes);
      },
    },
    printk: () => {},
    filename: './prog',
    argv: ['./prog'],
    envp: [],
    maxSteps: MAX_STEPS,
  });
  if (typeof outcome === 'string') return `(exec failed: ${outcome})\n`;
  const end = outcome.stopped === 'max-steps' ? 'stopped at the step budget' : outcome.signal !== null ? `signal=${outcome.signal}` : `exit=${outcome.exitCode ?? 'none'}`;
  return `${new TextDecoder().decode(Uint8Array.from(out))}${end}\n`;
}

/** The first line that differs, as "expected X, got Y (line N)". */
function firstDifference(expected: string, got: string): string {
  const a = expected.split('\n'), b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: expected "${a[i] ?? '(end)'}", got "${b[i] ?? '(end)'}"`;
  }
  return 'identical';
}

function runTest(m: Machine, t: LabTest): TestResult {
  const expected = readFileSync(join(PROGRAMS, `${t.program}.expected`), 'utf8');
  let got: string;
  try {
    got = runProgram(m, t.program);
  } catch (e) {
    got = `(the machine failed: ${(e as Error).message})\n`;
  }
  const ok = got === expected;
  return { program: t.program, about: t.about, points: t.points, ok, message: ok ? null : firstDifference(expected, got) };
}

/** Builds `dir` and runs the lab's tests on it. */
export async function gradeLab(lab: Lab, dir: string): Promise<GradeReport> {
  const max = lab.tests.reduce((s, t) => s + t.points, 0);
  const built = await buildTree(dir);
  if ('errors' in built) {
    const tests = lab.tests.map((t) => ({ program: t.program, about: t.about, points: t.points, ok: false, message: 'the kernel did not build' }));
    return { lab: lab.name, score: 0, max, tests, buildErrors: built.errors };
  }
  try {
    const m = await load(built.out);
    const tests = lab.tests.map((t) => runTest(m, t));
    return { lab: lab.name, score: tests.reduce((s, t) => s + (t.ok ? t.points : 0), 0), max, tests, buildErrors: [] };
  } finally {
    rmSync(built.out, { recursive: true, force: true });
  }
}

/** The report as `make grade` prints it. */
export function formatReport(lab: Lab, r: GradeReport): string {
  const lines = [`== lab ${lab.name}: ${lab.title} ==`, ...r.buildErrors];
  for (const t of r.tests) {
    lines.push(`${t.program}: ${t.ok ? 'OK' : 'FAIL'} (${t.ok ? t.points : 0}/${t.points}) ${t.about}`);
    if (t.message !== null) lines.push(`    ${t.message}`);
  }
  lines.push(`Score: ${r.score}/${r.max}`);
  return `${lines.join('\n')}\n`;
}
