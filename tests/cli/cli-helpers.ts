// What the CLI tests share: the faultline command run as a user runs it, and scratch files.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'bin/faultline.js');

/** `faultline ARGS...` from the repository root; the environment without the colour switches. */
export function faultline(args: readonly string[], input = '', env: Record<string, string> = {}): SpawnSyncReturns<string> {
  const clean = { ...process.env };
  delete clean.NO_COLOR;
  delete clean.FORCE_COLOR;
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, input, env: { ...clean, ...env } });
}

/** A shell command line (bash, for PIPESTATUS) run from the repository root. */
export function shell(line: string): SpawnSyncReturns<string> {
  return spawnSync('bash', ['-c', line], { encoding: 'utf8', cwd: ROOT });
}

/** The command line that runs faultline, for shell(). */
export const FAULTLINE = `'${process.execPath}' '${BIN}'`;

/** A scratch directory whose files are written from text. */
export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
  file(name: string, text: string): string {
    const p = join(this.dir, name);
    writeFileSync(p, text);
    return p;
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A program from its lines (each gets a newline). */
export const lines = (...ls: string[]): string => ls.map((l) => `${l}\n`).join('');
