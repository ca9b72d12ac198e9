#!/usr/bin/env node
// Builds faultline: the nearley grammar to TypeScript, then every .ts file to plain ESM JavaScript in dist/.
// Type checking is separate (npm run typecheck) so a build is fast enough to run before every test.
import { build } from 'esbuild';
import { readdirSync, statSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDirs = ['asm', 'vm', 'kernel', 'cli', 'tests', 'bench'];

function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function newer(src, dst) {
  return !existsSync(dst) || statSync(src).mtimeMs > statSync(dst).mtimeMs;
}

// Grammars: asm/*.ne -> asm/*.ts (committed, so a browser bundle needs no nearleyc).
for (const f of existsSync(join(root, 'asm')) ? readdirSync(join(root, 'asm')) : []) {
  if (!f.endsWith('.ne')) continue;
  const src = join(root, 'asm', f);
  const dst = src.replace(/\.ne$/, '.ts');
  if (newer(src, dst)) {
    execFileSync(process.execPath, [join(root, 'node_modules/nearley/bin/nearleyc.js'), src, '-o', dst], { stdio: 'inherit' });
    // nearleyc's TypeScript output is untyped; mark it so strict type checking skips it.
    const text = readFileSync(dst, 'utf8');
    if (!text.startsWith('// @ts-nocheck')) writeFileSync(dst, '// @ts-nocheck\n' + text);
  }
}

// Text assets the kernel needs at run time (assembly sources) become modules exporting a string,
// so vm/, asm/ and kernel/ read no files and run unchanged in a browser.
for (const src of existsSync(join(root, 'kernel')) ? readdirSync(join(root, 'kernel')) : []) {
  if (!src.endsWith('.s')) continue;
  const p = join(root, 'kernel', src);
  const dst = p + '.ts';
  if (newer(p, dst)) {
    const text = readFileSync(p, 'utf8');
    writeFileSync(dst, `// Generated from ${src} by scripts/build.mjs: do not edit.\nexport default ${JSON.stringify(text)};\n`);
  }
}

const entryPoints = sourceDirs.flatMap((d) => walk(join(root, d), []));
await build({
  entryPoints,
  outdir: join(root, 'dist'),
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
if (!process.env.FAULTLINE_QUIET_BUILD) {
  process.stderr.write(`built ${entryPoints.length} files into ${relative(process.cwd(), join(root, 'dist')) || 'dist'}/\n`);
}
