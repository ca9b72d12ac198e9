// npm run bench -- asm [lines]: assembler throughput on a generated, varied source file
// (instructions with random registers, immediates and addressing modes, labels, jumps both ways,
// local labels, data directives, alignment). Prints lines per second; asserts nothing.

import { assemble } from '../asm/assemble.js';

const REG64 = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const REG32 = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d'];
const ALU = ['add', 'sub', 'and', 'or', 'xor', 'cmp', 'mov'];
const JCC = ['je', 'jne', 'jl', 'jge', 'jb', 'jae', 'jmp'];

/** A deterministic generator (xorshift32), so every run assembles the same file. */
function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

export function generate(lines: number, seed = 1): string {
  const r = rng(seed);
  const pick = <T>(a: T[]): T => a[r(a.length)];
  const mem = (): string => {
    switch (r(5)) {
      case 0: return `${r(256) - 128}(%${pick(REG64)})`;
      case 1: return `(%${pick(REG64)},%${pick(REG64.filter((x) => x !== 'rsp'))},${pick([1, 2, 4, 8])})`;
      case 2: return `data${r(50)}(%rip)`;
      case 3: return `${r(100000)}(%${pick(REG64)},%${pick(REG64)},8)`;
      default: return `(%${pick(REG64)})`;
    }
  };
  const out: string[] = ['.globl _start', '.text', '_start:', 'L1:'];
  let label = 1;
  const textLines = lines - 200;
  while (out.length < textLines) {
    const k = r(100);
    if (k < 30) out.push(`    ${pick(ALU)}q %${pick(REG64)}, %${pick(REG64)}`);
    else if (k < 45) out.push(`    ${pick(ALU)}q $${r(2) ? r(100) : r(1 << 30)}, %${pick(REG64)}`);
    else if (k < 55) out.push(`    movq ${mem()}, %${pick(REG64)}`);
    else if (k < 62) out.push(`    movl %${pick(REG32)}, ${mem()}`);
    else if (k < 67) out.push(`    leaq ${mem()}, %${pick(REG64)}`);
    else if (k < 74) out.push(`    ${pick(JCC)} L${Math.max(1, label - r(5))}`);
    else if (k < 79) out.push(`    ${pick(JCC)} L${label + 1 + r(3)}`);
    else if (k < 84) out.push(`L${++label}:`);
    else if (k < 87) out.push(`1:  incq %${pick(REG64)}`, `    jnz 1b`);
    else if (k < 89) out.push(`    call L${Math.max(1, label)}`);
    else if (k < 91) out.push(`    pushq %${pick(REG64)}`, `    popq %${pick(REG64)}`);
    else if (k < 93) out.push(`    imulq $${r(1000)}, %${pick(REG64)}, %${pick(REG64)}`);
    else if (k < 95) out.push(`    shlq $${r(64)}, %${pick(REG64)}`);
    else if (k < 96) out.push('    .p2align 4');
    else if (k < 98) out.push(`    testl %${pick(REG32)}, %${pick(REG32)}  # a comment`);
    else out.push(`    addq $(${r(100)} + 4*${r(10)}), %${pick(REG64)}`);
  }
  for (let i = label + 1; i <= label + 4; i++) out.push(`L${i}:`);
  out.push('    movl $60, %eax', '    xorl %edi, %edi', '    syscall', '.data');
  for (let i = 0; out.length < lines; i++) {
    if (i < 50) out.push(`data${i}: .quad ${r(1 << 30)}, L${1 + r(label)}`);
    else out.push(pick([`    .long ${r(1 << 20)}, ${r(100)}`, `    .byte ${r(256)}, ${r(256)}, ${r(256)}`, `    .asciz "str${i}\\n"`, '    .p2align 3']));
  }
  return out.join('\n') + '\n';
}

export async function main(argv: string[]): Promise<void> {
  const lines = Number(argv[0] ?? 50000);
  const src = generate(lines);
  // The first run is what one `faultline asm` invocation sees (cold JIT); the steady state is what a
  // long-lived host (tests, the browser playground) sees. Both are reported.
  const t0 = performance.now();
  const first = assemble(src, 'bench.s');
  const cold = performance.now() - t0;
  if (!first.ok) {
    console.log(`generated source did not assemble: ${first.diagnostics[0].line}: ${first.diagnostics[0].msg}`);
    return;
  }
  for (let i = 0; i < 3; i++) assemble(src, 'bench.s');
  const runs: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    assemble(src, 'bench.s');
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  const rate = (ms: number): string => `${ms.toFixed(0)} ms = ${Math.round((lines / ms) * 1000).toLocaleString('en-US')} lines/s`;
  const text = first.image.sections.find((s) => s.name === '.text');
  console.log(`${lines} lines, ${text?.size ?? 0} bytes of code`);
  console.log(`cold (first run): ${rate(cold)}`);
  console.log(`steady state: best ${rate(runs[0])}; median ${rate(runs[4])}`);
}
