// npm run bench -- NAME [options]: one benchmark per module in bench/; `all` (or no name) runs every one. A benchmark reports numbers; it asserts nothing.

const benches: Record<string, { summary: string; load: () => Promise<{ main(argv: string[]): Promise<void> }> }> = {
  asm: { summary: 'assembler lines per second on a generated 50,000-line file', load: () => import('./asm.js') },
  cpu: { summary: 'guest instructions per second (ALU, multiply/shift, load/store and call loops) beside native', load: () => import('./cpu.js') },
  cow: { summary: 'fork of a 64 MiB process and COW faults per second in the child, beside native', load: () => import('./cow.js') },
  faults: { summary: 'page faults per second (first-touch writes to 65,536 pages) beside native', load: () => import('./faults.js') },
};

const [name, ...rest] = process.argv.slice(2);
const names = name && name !== 'all' ? [name] : Object.keys(benches);
for (const n of names) {
  const b = benches[n];
  if (!b) {
    process.stderr.write(`bench: unknown benchmark '${n}'; known: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
  console.log(`== ${n}: ${b.summary}`);
  await (await b.load()).main(rest);
}
