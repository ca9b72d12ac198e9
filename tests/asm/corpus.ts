// The encoder corpus: every mnemonic x operand form x operand size of the v1 subset, with
// registers, immediates at their size boundaries and every addressing form. Each line comes as
// AT&T text and as the AST the parser would produce for it.

import { CONDITIONS } from '../../asm/encode/conditions.js';
import { reg, imm, mem, star, line, type CorpusLine, type Op } from './corpus-build.js';

export type { CorpusLine } from './corpus-build.js';

const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
const R8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];
const LEGACY8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];
const REGS: Record<number, string[]> = { 1: R8, 2: R16, 4: R32, 8: R64 };
const SUF: Record<number, string> = { 1: 'b', 2: 'w', 4: 'l', 8: 'q' };
const SIZES = [1, 2, 4, 8];

/** Immediates at the edges of imm8/imm16/imm32 for each operation size. */
const IMMS: Record<number, bigint[]> = {
  1: [0n, 1n, 127n, 128n, 255n, -1n, -128n],
  2: [1n, 127n, 128n, -128n, -129n, 32767n, 32768n, 0xffffn, -32768n],
  4: [1n, 127n, 128n, -128n, -129n, 32767n, 32768n, 0x7fffffffn, 0x80000000n, 0xffffffffn, -0x80000000n, 0xffffff80n],
  8: [1n, 127n, 128n, -128n, -129n, 0x7fffffffn, -0x80000000n, -1n, 0xffffffffffffff80n],
};

/** Every addressing form: base, disp8/disp32, SIB, no base, %rsp/%r12, %rbp/%r13, rip, absolute, addr32, segments. */
export const MEMS: Op[] = [
  ...R64.map((r) => mem(null, r)),
  mem(8n, 'rbx'), mem(-8n, 'rbp'), mem(127n, 'rsi'), mem(-128n, 'rdi'), mem(128n, 'r8'), mem(-129n, 'r9'),
  mem(0x7fffffffn, 'r10'), mem(-0x80000000n, 'r11'), mem(0n, 'rax'), mem(0n, 'rbp'), mem(0n, 'r13'),
  mem(8n, 'rsp'), mem(8n, 'r12'), mem(0x1000n, 'r12'), mem('sym', 'rax'), mem('sym+16', 'r13'),
  mem(null, 'rax', 'rbx'), mem(null, 'rax', 'rbx', 2), mem(null, 'rsi', 'rdi', 4), mem(null, 'r8', 'r15', 8),
  mem(16n, 'rsp', 'rax', 8), mem(null, 'rbp', 'rcx'), mem(null, 'r13', 'r14', 2), mem(-4n, 'r12', 'r13', 4),
  mem(0x1000n, 'rbx', 'r12', 8), mem('sym+4', 'rbx', 'rcx', 2), mem(null, 'rsp', 'rbp'),
  mem(null, null, 'rax', 1), mem(null, null, 'rbx', 8), mem(8n, null, 'r9', 4), mem('sym', null, 'rax', 8),
  mem('sym', 'rip'), mem('sym+8', 'rip'), mem(16n, 'rip'), mem(null, 'rip'), mem(-4n, 'rip'),
  mem(0x1000n), mem('sym'), mem(0x7fffffffn), mem(-8n), mem('sym-8'),
  mem(null, 'eax'), mem(8n, 'ebx'), mem(null, 'r8d', 'r9d', 4), mem(null, 'esp'), mem(null, 'ebp'),
  mem(null, null, 'eax', 2), mem(null, 'eip'), mem('sym', 'eip'),
  mem(null, 'rax', null, 1, 'fs'), mem(8n, null, null, 1, 'gs'), mem(0x28n, null, null, 1, 'fs'),
  mem(null, 'r8d', null, 1, 'gs'),
];

/** n addressing forms, starting at a different place for each caller so all are used often. */
let memCursor = 0;
function mems(n: number): Op[] {
  const out: Op[] = [];
  for (let i = 0; i < n; i++) out.push(MEMS[(memCursor++) % MEMS.length]);
  return out;
}

/** Register pairs covering all 16 registers on both sides (plus %ah..%bh among legacy bytes). */
function regPairs(s: number): [string, string][] {
  const rs = REGS[s];
  const out: [string, string][] = rs.map((r, i) => [r, rs[(i * 5 + 3) % 16]]);
  if (s === 1) for (let i = 0; i < 8; i++) out.push([LEGACY8[i], LEGACY8[(i + 3) % 8]]);
  return out;
}

function binaryOps(out: CorpusLine[], mn: string, memDst: boolean, memSrc: boolean, imms: boolean): void {
  for (const s of SIZES) {
    const sm = mn + SUF[s];
    for (const [a, b] of regPairs(s)) out.push(line(mn, [reg(a), reg(b)]));
    if (memDst) for (const m of mems(3)) out.push(line(mn, [reg(REGS[s][(memCursor * 7) % 16]), m]));
    if (memSrc) for (const m of mems(3)) out.push(line(mn, [m, reg(REGS[s][(memCursor * 3) % 16])]));
    if (!imms) continue;
    for (const v of IMMS[s]) {
      out.push(line(sm, [imm(v), reg(REGS[s][0])]));
      out.push(line(sm, [imm(v), reg(REGS[s][(Number(v & 15n) + 1) % 16])]));
    }
    for (const m of mems(2)) out.push(line(sm, [imm(IMMS[s][(memCursor) % IMMS[s].length]), m]));
    out.push(line(sm, [imm('sym'), reg(REGS[s][0])]), line(sm, [imm('sym+8'), reg(REGS[s][11])]));
    out.push(line(sm, [imm('sym'), mems(1)[0]]));
  }
}

function unaryOps(out: CorpusLine[]): void {
  for (const mn of ['inc', 'dec', 'neg', 'not', 'mul', 'div', 'idiv', 'imul']) {
    for (const s of SIZES) {
      for (const r of REGS[s].filter((_, i) => i % 3 === (s & 3))) out.push(line(mn, [reg(r)]));
      for (const m of mems(2)) out.push(line(mn + SUF[s], [m]));
    }
    out.push(line(mn, [reg('ah')]));
  }
}

function shifts(out: CorpusLine[]): void {
  for (const mn of ['shl', 'sal', 'shr', 'sar', 'rol', 'ror']) {
    for (const s of SIZES) {
      const r = REGS[s][(s * 5) % 16];
      out.push(line(mn, [reg(r)]), line(mn, [imm(1n), reg(r)]), line(mn, [imm(4n), reg(r)]),
        line(mn, [imm(31n), reg(REGS[s][0])]), line(mn, [reg('cl'), reg(r)]), line(mn + SUF[s], [mems(1)[0]]),
        line(mn + SUF[s], [imm(3n), mems(1)[0]]), line(mn + SUF[s], [reg('cl'), mems(1)[0]]),
        line(mn + SUF[s], [imm(1n), mems(1)[0]]), line(mn + SUF[s], [imm('sym'), reg(r)]));
    }
  }
}

function imul(out: CorpusLine[]): void {
  for (const s of [2, 4, 8]) {
    const rs = REGS[s];
    for (let i = 0; i < 16; i += 3) out.push(line('imul', [reg(rs[i]), reg(rs[(i + 7) % 16])]));
    for (const m of mems(2)) out.push(line('imul', [m, reg(rs[memCursor % 16])]));
    for (const v of [3n, 127n, 128n, -128n, -129n, 1000n]) {
      out.push(line('imul', [imm(v), reg(rs[Number(v & 15n)])]));
      out.push(line('imul', [imm(v), reg(rs[2]), reg(rs[9])]));
      out.push(line('imul', [imm(v), mems(1)[0], reg(rs[12])]));
    }
    out.push(line('imul', [imm('sym'), reg(rs[1]), reg(rs[1])]));
  }
}

function moves(out: CorpusLine[]): void {
  binaryOps(out, 'mov', true, true, false);
  for (const s of SIZES) {
    const sm = 'mov' + SUF[s];
    for (const v of [...IMMS[s], ...(s === 8 ? [0xffffffffn, 0x80000000n, 0x100000000n, 0x123456789abcdefn, -0x80000001n] : [])]) {
      out.push(line(sm, [imm(v), reg(REGS[s][Number(v & 15n)])]));
    }
    out.push(line('mov', [imm(5n), reg(REGS[s][9])]), line(sm, [imm('sym'), reg(REGS[s][2])]));
    for (const m of mems(4)) out.push(line(sm, [imm(IMMS[s][memCursor % IMMS[s].length]), m]));
    out.push(line(sm, [imm('sym'), mem('sym', 'rip')]));
    out.push(line('mov', [mem(0x1000n), reg(REGS[s][0])]), line('mov', [reg(REGS[s][0]), mem(0x80000000n)]));
    out.push(line('mov', [mem(0x100000000n), reg(REGS[s][0])]));
    out.push(line('movabs', [mem(0x1000n), reg(REGS[s][0])]), line('movabs', [reg(REGS[s][0]), mem('sym')]));
  }
  out.push(line('movabs', [imm(1n), reg('rax')]), line('movabs', [imm('sym'), reg('r9')]),
    line('movabsq', [imm(-1n), reg('rdx')]), line('mov', [imm('sym'), reg('rax')]));
  for (const cr of ['cr0', 'cr2', 'cr3', 'cr4']) {
    for (const r of ['rax', 'r9', 'rsp']) out.push(line('mov', [reg(cr), reg(r)]), line('mov', [reg(r), reg(cr)]));
  }
  const ext: [string, number, number[]][] = [['movzb', 1, [2, 4, 8]], ['movzw', 2, [4, 8]],
    ['movsb', 1, [2, 4, 8]], ['movsw', 2, [4, 8]], ['movsl', 4, [8]]];
  for (const [stem, src, dsts] of ext) {
    for (const d of dsts) {
      for (let i = 0; i < 16; i += 5) out.push(line(stem + SUF[d], [reg(REGS[src][i]), reg(REGS[d][(i + 6) % 16])]));
      for (const m of mems(2)) out.push(line(stem + SUF[d], [m, reg(REGS[d][memCursor % 16])]));
    }
  }
  for (const [a, b] of [['al', 'eax'], ['ah', 'ebx'], ['sil', 'r9d'], ['ax', 'r8'], ['bl', 'dx'], ['r12w', 'r13d']]) {
    out.push(line('movzx', [reg(a), reg(b)]), line('movsx', [reg(a), reg(b)]));
  }
  out.push(line('movsxd', [reg('eax'), reg('rax')]), line('movsxd', [reg('r10d'), reg('rsi')]),
    line('movsxd', [mems(1)[0], reg('r15')]), line('movslq', [mems(1)[0], reg('rbx')]),
    line('movzbl', [reg('ah'), reg('ecx')]), line('movzx', [mems(1)[0], reg('eax')]));
  for (const s of [2, 4, 8]) for (const m of mems(4)) out.push(line('lea', [m, reg(REGS[s][memCursor % 16])]));
  out.push(line('lea', [mem('sym', 'rip'), reg('rdi')]), line('lea', [mem(8n, 'rsp'), reg('rsi')]));
  for (const s of SIZES) {
    for (const [a, b] of regPairs(s).filter((_, i) => i % 2 === 0)) out.push(line('xchg', [reg(a), reg(b)]));
    out.push(line('xchg', [reg(REGS[s][0]), reg(REGS[s][0])]), line('xchg', [reg(REGS[s][0]), reg(REGS[s][9])]),
      line('xchg', [reg(REGS[s][5]), reg(REGS[s][0])]), line('xchg', [mems(1)[0], reg(REGS[s][3])]),
      line('xchg', [reg(REGS[s][10]), mems(1)[0]]));
  }
}

function stack(out: CorpusLine[]): void {
  for (const r of [...R64, 'ax', 'r9w']) out.push(line('push', [reg(r)]), line('pop', [reg(r)]));
  for (const m of mems(6)) out.push(line('pushq', [m]), line('popq', [m]), line('pushw', [m]), line('popw', [m]));
  for (const v of [0n, 1n, 127n, 128n, -128n, -129n, 0x7fffffffn, -0x80000000n]) {
    out.push(line('push', [imm(v)]), line('pushq', [imm(v)]));
  }
  out.push(line('pushw', [imm(1n)]), line('pushw', [imm(0x1000n)]), line('pushw', [imm(0xffffn)]),
    line('push', [imm('sym')]), line('pushq', [mems(1)[0]]));
}

function conditionals(out: CorpusLine[]): void {
  for (const [cc] of CONDITIONS) {
    out.push(line(`j${cc}`, [mem('sym')]));
    out.push(line(`set${cc}`, [reg(R8[(cc.length * 5) % 16])]), line(`set${cc}`, [mems(1)[0]]));
    out.push(line(`cmov${cc}`, [reg('eax'), reg('r9d')]), line(`cmov${cc}`, [mems(1)[0], reg('rbx')]),
      line(`cmov${cc}`, [reg('r11w'), reg('cx')]));
  }
  out.push(line('setb', [reg('ah')]), line('setne', [reg('sil')]), line('cmovll', [reg('ecx'), reg('edx')]));
}

function control(out: CorpusLine[]): void {
  out.push(line('jmp', [mem('sym')]), line('call', [mem('sym')]), line('call', [mem('sym+4')]),
    line('jmp', [mem('sym-8')]), line('ret'), line('retq'), line('ret', [imm(8n)]), line('ret', [imm(0xffffn)]),
    line('leave'), line('leaveq'));
  for (const r of R64) out.push(line('jmp', [star(reg(r))]), line('call', [star(reg(r))]));
  for (const m of mems(8)) out.push(line('jmp', [star(m)]), line('call', [star(m)]), line('jmpq', [star(m)]));
  out.push(line('callq', [star(reg('rax'))]), line('jmp', [star(mem('sym', 'rip'))]));
}

function stringsAndFixed(out: CorpusLine[]): void {
  for (const s of SIZES) {
    for (const op of ['movs', 'stos', 'lods', 'scas', 'cmps']) out.push(line(op + SUF[s]));
    out.push(line('movs' + SUF[s], [], ['rep']), line('stos' + SUF[s], [], ['rep']),
      line('cmps' + SUF[s], [], ['repe']), line('scas' + SUF[s], [], ['repne']), line('cmps' + SUF[s], [], ['repz']),
      line('scas' + SUF[s], [], ['repnz']));
  }
  out.push(line('rep'), line('lock'), line('repne'));
  for (const mn of ['cbw', 'cwde', 'cdqe', 'cbtw', 'cwtl', 'cltq', 'cwd', 'cdq', 'cqo', 'cwtd', 'cltd', 'cqto',
    'cld', 'std', 'syscall', 'sysret', 'sysretl', 'sysretq', 'nop', 'int3', 'ud2', 'hlt', 'pause', 'mfence',
    'lfence', 'sfence', 'rdtsc', 'stac', 'clac', 'leave']) out.push(line(mn));
  out.push(line('int', [imm(3n)]), line('int', [imm(0x80n)]), line('int', [imm(255n)]), line('int', [imm(1n)]));
  for (const m of mems(8)) {
    for (const mn of ['invlpg', 'prefetcht0', 'prefetcht1', 'prefetcht2', 'prefetchnta', 'prefetchw', 'nopw', 'nopl']) {
      out.push(line(mn, [m]));
    }
  }
  out.push(line('nopl', [mem(0n, 'rax', 'rax', 1)]), line('nopw', [mem(0n, 'rax', 'rax', 1, 'cs')]),
    line('nopw', [reg('ax')]), line('nopl', [reg('eax')]), line('nopq', [reg('r9')]));
  out.push(line('addl', [imm(1n), mem(null, 'rax')], ['lock']), line('xchg', [reg('eax'), mem(null, 'rdi')], ['lock']),
    line('incq', [mem(8n, 'r12')], ['lock']), line('addw', [imm(1n), mem(null, 'eax', null, 1, 'fs')], ['lock']));
}

/** v2: bit tests, scans and counts, bswap, xadd, cmpxchg. */
function bits(out: CorpusLine[]): void {
  for (const s of [2, 4, 8]) {
    const rs = REGS[s];
    for (const mn of ['bt', 'bts', 'btr', 'btc']) {
      out.push(line(mn, [reg(rs[3]), reg(rs[9])]), line(mn, [reg(rs[12]), mems(1)[0]]),
        line(mn, [imm(5n), reg(rs[13])]), line(mn + SUF[s], [imm(31n), mems(1)[0]]));
    }
    for (const mn of ['bsf', 'bsr', 'lzcnt', 'tzcnt', 'popcnt']) {
      out.push(line(mn, [reg(rs[1]), reg(rs[8])]), line(mn, [mems(1)[0], reg(rs[6])]));
    }
  }
  for (const r of [...R32, ...R64]) out.push(line('bswap', [reg(r)]));
  for (const s of SIZES) {
    for (const mn of ['xadd', 'cmpxchg']) {
      out.push(line(mn, [reg(REGS[s][2]), reg(REGS[s][10])]), line(mn, [reg(REGS[s][11]), mems(1)[0]], ['lock']));
    }
  }
}

/** The whole corpus, in a fixed order. */
export function encoderCorpus(): CorpusLine[] {
  memCursor = 0;
  const out: CorpusLine[] = [];
  for (const mn of ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp']) binaryOps(out, mn, true, true, true);
  binaryOps(out, 'test', true, true, true);
  unaryOps(out);
  shifts(out);
  imul(out);
  moves(out);
  stack(out);
  conditionals(out);
  control(out);
  stringsAndFixed(out);
  bits(out);
  return out;
}

/** The corpus as assembly source text, one instruction per line. */
export function encoderCorpusText(): string[] {
  return encoderCorpus().map((l) => l.text);
}
