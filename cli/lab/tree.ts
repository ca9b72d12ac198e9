// A lab's work tree: the machine's sources (asm/, vm/, kernel/) copied out with the lab's functions stubbed,
// and its build: every .ts file transpiled with esbuild into a fresh folder, kernel/*.s as string modules
// (as scripts/build.mjs does), ready to import: in a fresh folder under dist/, removed after grading.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from './labs.js';
import { stubFunction } from './stub.js';

/** The faultline checkout this command runs from (dist/cli/lab -> the root). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCE_DIRS = ['asm', 'vm', 'kernel'];
/** Marks a lab tree and names its lab. */
export const LAB_MARK = '.faultline-lab';

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Makes DIR a lab tree for `lab`; returns an error sentence, or null. DIR must not exist or be empty. */
export function startLab(lab: Lab, dir: string): string | null {
  if (existsSync(dir) && readdirSync(dir).length > 0) return `${dir} exists and is not empty: nothing was changed`;
  mkdirSync(dir, { recursive: true });
  for (const d of SOURCE_DIRS) cpSync(join(ROOT, d), join(dir, d), { recursive: true, filter: (p) => !p.endsWith('.ne') });
  for (const f of lab.functions) {
    const path = join(dir, f.file);
    writeFileSync(path, stubFunction(readFileSync(path, 'utf8'), f.name, lab.name, f.hint));
  }
  cpSync(join(ROOT, 'labs', lab.name, 'README.md'), join(dir, 'README.md'));
  writeFileSync(join(dir, LAB_MARK), `${JSON.stringify({ lab: lab.name })}\n`);
  return null;
}

/** The lab a tree was started for, or null when DIR is not a lab tree. */
export function labOfTree(dir: string): string | null {
  try {
    const v: unknown = JSON.parse(readFileSync(join(dir, LAB_MARK), 'utf8'));
    return typeof v === 'object' && v !== null && 'lab' in v && typeof v.lab === 'string' ? v.lab : null;
  } catch {
    return null;
  }
}

export type Built = { out: string } | { errors: string[] };

/** Transpiles DIR's sources into a temporary folder; compile errors come back as `file:line:col: error: ...`. */
export async function buildTree(dir: string): Promise<Built> {
  const { build } = await import('esbuild');
  // Inside the checkout, so the built asm/ finds moo and nearley in its node_modules.
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const out = mkdtempSync(join(ROOT, 'dist', 'lab-build-'));
  const entryPoints = SOURCE_DIRS.flatMap((d) => walk(join(dir, d))).filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'));
  try {
    await build({ entryPoints, outdir: out, outbase: dir, format: 'esm', platform: 'neutral', target: 'es2022', logLevel: 'silent' });
  } catch (e) {
    const errs = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors ?? [];
    return { errors: errs.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: error: ${m.text}` : `error: ${m.text}`)) };
  }
  for (const s of walk(join(dir, 'kernel')).filter((p) => p.endsWith('.s'))) {
    const dst = join(out, relative(dir, s) + '.js');
    mkdirSync(dirname(dst), { recursive: true });
    writeFileSync(dst, `export default ${JSON.stringify(readFileSync(s, 'utf8'))};\n`);
  }
  return { out };
}
