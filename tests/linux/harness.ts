// Builds the Linux reference programs (tests/linux/programs/*.s + tests/linux/lib.s) with GNU as + ld and runs
// them natively under fixed conditions, so that faultline can later run the very same programs with the same
// argv, environment, stdin and stack limit and be compared line for line with the .expected files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type HostFeature, parseDependsOn } from '../host.js';

/** tests/linux in the source tree (this file runs from dist/tests/linux). */
export const LINUX_TESTS_DIR = fileURLToPath(new URL('../../../tests/linux/', import.meta.url));
export const PROGRAMS_DIR = join(LINUX_TESTS_DIR, 'programs');
export const LIB_PATH = join(LINUX_TESTS_DIR, 'lib.s');

/** What every guest gets: argv, envp (empty), stdin bytes, RLIMIT_STACK, and no address randomization. */
export const GUEST_ARGV: readonly string[] = ['./prog'];
export const GUEST_ENV: readonly string[] = [];
export const GUEST_STDIN = '0123456789\n';
export const STACK_LIMIT_KIB = 8192;
const RUN_TIMEOUT_MS = 10_000;

/**
 * Programs that natively must not run as root: Linux exempts root from RLIMIT_NPROC, so the fork-limit
 * program runs as user nobody (uid 65534) when the tests run as root. faultline needs no such thing.
 */
export const RUN_AS_NOBODY: ReadonlySet<string> = new Set(['proc-fork-limit']);

export interface GuestResult {
  stdout: string;
  /** Exit status when the program exited, else null. */
  exitCode: number | null;
  /** Number of the signal that terminated the program, else null. */
  signal: number | null;
}

/** Names (without .s) of every program, sorted. */
export function listPrograms(): string[] {
  return readdirSync(PROGRAMS_DIR)
    .filter((f) => f.endsWith('.s'))
    .map((f) => f.slice(0, -2))
    .sort();
}

/** The assembly faultline and GNU as both assemble: the program followed by the shared library. */
export function programSource(name: string): string {
  const prog = readFileSync(join(PROGRAMS_DIR, `${name}.s`), 'utf8');
  const lib = readFileSync(LIB_PATH, 'utf8');
  return `${prog}\n${lib}`;
}

/** What the program's recording depends on in the host, from its `# Depends on:` header line. */
export function programDepends(name: string): HostFeature[] {
  return parseDependsOn(readFileSync(join(PROGRAMS_DIR, `${name}.s`), 'utf8'), `${name}.s`);
}

export function readExpected(name: string): string {
  return readFileSync(join(PROGRAMS_DIR, `${name}.expected`), 'utf8');
}

/** The comparable form of a run: stdout, then "exit=N" or "signal=N" on a final line. */
export function formatResult(r: GuestResult): string {
  const end = r.signal !== null ? `signal=${r.signal}` : `exit=${r.exitCode ?? 'none'}`;
  return `${r.stdout}${end}\n`;
}

/** A reason the native side cannot run here (a missing tool), or null when everything is available. */
export function missingTools(): string | null {
  for (const [tool, arg] of [['as', '--version'], ['ld', '--version'], ['setarch', '--version'], ['bash', '--version']]) {
    const r = spawnSync(tool, [arg], { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `${tool} is not installed`;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'native runs need Linux on x86-64';
  return null;
}

export type BuildResult = { elf: string; dir: string } | { error: string };

/** Assembles and links `name` into a fresh temporary directory as `prog`. */
export function buildNative(name: string): BuildResult {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-linux-'));
  writeFileSync(join(dir, 'prog.s'), programSource(name));
  const steps: [string, string[]][] = [
    ['as', ['--64', '-o', 'prog.o', 'prog.s']],
    // A non-executable stack (PT_GNU_STACK RW), as the programs that execute from the stack expect.
    ['ld', ['-static', '-z', 'noexecstack', '-o', 'prog', 'prog.o']],
  ];
  for (const [tool, args] of steps) {
    const r = spawnSync(tool, args, { cwd: dir, encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      return { error: `${tool} failed for ${name}: ${r.error?.message ?? r.stderr.trim()}` };
    }
  }
  return { elf: join(dir, 'prog'), dir };
}

function signalNumber(name: NodeJS.Signals): number {
  return constants.signals[name];
}

/**
 * Runs a built program natively: cwd = its directory, argv ["./prog"], empty environment, GUEST_STDIN on
 * stdin, `ulimit -s 8192`, no core dumps, and `setarch -R` (no ASLR: fixed mmap, stack and brk bases).
 */
export function runNative(built: { dir: string }, name: string): GuestResult {
  const asNobody = RUN_AS_NOBODY.has(name) && process.getuid?.() === 0;
  if (asNobody) {
    chmodSync(built.dir, 0o755);
  }
  const drop = asNobody ? 'setpriv --reuid=65534 --regid=65534 --clear-groups ' : '';
  const script = `ulimit -s ${STACK_LIMIT_KIB}; ulimit -c 0; exec env -i ${drop}setarch -R ${GUEST_ARGV[0]}`;
  const r = spawnSync('bash', ['-c', script], {
    cwd: built.dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    input: GUEST_STDIN,
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
  });
  if (r.error) throw new Error(`running ${name}: ${r.error.message}`);
  return {
    stdout: r.stdout,
    exitCode: r.signal ? null : r.status,
    signal: r.signal ? signalNumber(r.signal) : null,
  };
}

/** Builds, runs and cleans up; the result in its comparable form. */
export function runProgramNatively(name: string): string {
  const built = buildNative(name);
  if ('error' in built) throw new Error(built.error);
  try {
    return formatResult(runNative(built, name));
  } finally {
    rmSync(built.dir, { recursive: true, force: true });
  }
}
