// Opcode maps for the decoder (Intel SDM vol. 2 appendix A), as operand-spec strings:
//   E? r/m of the ModRM byte   G? ModRM.reg register   M memory-only r/m   R? register-only r/m
//   Z? register in the opcode's low 3 bits (+REX.B)   A? the accumulator   CL the %cl register
//   I? immediate   J? relative branch target   O? absolute moffs address   1 the constant 1
//   C the control register in ModRM.reg
// Size letters: b 1, w 2, d 4, q 8, v operand size, z operand size capped at 4 (immediates),
// and for immediates: Ib sign-extended byte, Iu unsigned byte, Iw unsigned word.
// Flags: d64 operand size defaults to 64 (push/pop/near branches), f64 always 64.

export interface OpSpec {
  m: string; // mnemonic (base name; the operand size picks AT&T's suffix)
  o: string; // operands, Intel order (destination first), comma separated
  f?: string; // d64 | f64
  cc?: number; // condition code for jcc/setcc/cmovcc
}

/** An entry picked by ModRM.reg (an opcode group). */
export type GroupSpec = (OpSpec | null)[];
export type Entry = OpSpec | { g: GroupSpec; o: string; f?: string } | null;

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const SHIFTS = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'shl', 'sar'];

function grp(names: (string | null)[]): GroupSpec {
  return names.map((m) => (m === null ? null : { m, o: '' }));
}

export const ONE_BYTE: Entry[] = new Array(256).fill(null);
export const TWO_BYTE: Entry[] = new Array(256).fill(null);

function one(op: number, m: string, o: string, f?: string, cc?: number): void {
  ONE_BYTE[op] = { m, o, f, cc };
}
function two(op: number, m: string, o: string, f?: string, cc?: number): void {
  TWO_BYTE[op] = { m, o, f, cc };
}

ALU.forEach((m, i) => {
  const b = i * 8;
  one(b, m, 'Eb,Gb');
  one(b + 1, m, 'Ev,Gv');
  one(b + 2, m, 'Gb,Eb');
  one(b + 3, m, 'Gv,Ev');
  one(b + 4, m, 'Ab,Ib');
  one(b + 5, m, 'Av,Iz');
});
for (let i = 0; i < 8; i++) {
  one(0x50 + i, 'push', 'Zv', 'd64');
  one(0x58 + i, 'pop', 'Zv', 'd64');
  one(0x91 + i, 'xchg', 'Zv,Av');
  one(0xb0 + i, 'mov', 'Zb,Ib');
  one(0xb8 + i, 'mov', 'Zv,Iv');
}
one(0x63, 'movsxd', 'Gv,Ed');
one(0x68, 'push', 'Iz', 'd64');
one(0x69, 'imul', 'Gv,Ev,Iz');
one(0x6a, 'push', 'Ib', 'd64');
one(0x6b, 'imul', 'Gv,Ev,Ib');
for (let cc = 0; cc < 16; cc++) {
  one(0x70 + cc, 'jcc', 'Jb', 'f64', cc);
  two(0x80 + cc, 'jcc', 'Jz', 'f64', cc);
  two(0x40 + cc, 'cmovcc', 'Gv,Ev', undefined, cc);
  two(0x90 + cc, 'setcc', 'Eb', undefined, cc);
}
ONE_BYTE[0x80] = { g: grp(ALU), o: 'Eb,Ib' };
ONE_BYTE[0x81] = { g: grp(ALU), o: 'Ev,Iz' };
ONE_BYTE[0x83] = { g: grp(ALU), o: 'Ev,Ib' };
one(0x84, 'test', 'Eb,Gb');
one(0x85, 'test', 'Ev,Gv');
one(0x86, 'xchg', 'Eb,Gb');
one(0x87, 'xchg', 'Ev,Gv');
one(0x88, 'mov', 'Eb,Gb');
one(0x89, 'mov', 'Ev,Gv');
one(0x8a, 'mov', 'Gb,Eb');
one(0x8b, 'mov', 'Gv,Ev');
one(0x8d, 'lea', 'Gv,M');
ONE_BYTE[0x8f] = { g: grp(['pop', null, null, null, null, null, null, null]), o: 'Ev', f: 'd64' };
one(0x90, 'nop', '');
one(0x98, 'cbw', '');
one(0x99, 'cwd', '');
one(0x9c, 'pushf', '', 'd64');
one(0x9d, 'popf', '', 'd64');
one(0x9e, 'sahf', '');
one(0x9f, 'lahf', '');
one(0xa0, 'mov', 'Ab,Ob');
one(0xa1, 'mov', 'Av,Ov');
one(0xa2, 'mov', 'Ob,Ab');
one(0xa3, 'mov', 'Ov,Av');
one(0xa4, 'movs', 'b');
one(0xa5, 'movs', 'v');
one(0xa6, 'cmps', 'b');
one(0xa7, 'cmps', 'v');
one(0xa8, 'test', 'Ab,Ib');
one(0xa9, 'test', 'Av,Iz');
one(0xaa, 'stos', 'b');
one(0xab, 'stos', 'v');
one(0xac, 'lods', 'b');
one(0xad, 'lods', 'v');
one(0xae, 'scas', 'b');
one(0xaf, 'scas', 'v');
ONE_BYTE[0xc0] = { g: grp(SHIFTS), o: 'Eb,Iu' };
ONE_BYTE[0xc1] = { g: grp(SHIFTS), o: 'Ev,Iu' };
one(0xc2, 'ret', 'Iw', 'f64');
one(0xc3, 'ret', '', 'f64');
ONE_BYTE[0xc6] = { g: grp(['mov', null, null, null, null, null, null, null]), o: 'Eb,Ib' };
ONE_BYTE[0xc7] = { g: grp(['mov', null, null, null, null, null, null, null]), o: 'Ev,Iz' };
one(0xc9, 'leave', '', 'd64');
one(0xcc, 'int3', '');
ONE_BYTE[0xd0] = { g: grp(SHIFTS), o: 'Eb,1' };
ONE_BYTE[0xd1] = { g: grp(SHIFTS), o: 'Ev,1' };
ONE_BYTE[0xd2] = { g: grp(SHIFTS), o: 'Eb,CL' };
ONE_BYTE[0xd3] = { g: grp(SHIFTS), o: 'Ev,CL' };
one(0xe8, 'call', 'Jz', 'f64');
one(0xe9, 'jmp', 'Jz', 'f64');
one(0xeb, 'jmp', 'Jb', 'f64');
one(0xf4, 'hlt', '');
one(0xf5, 'cmc', '');
ONE_BYTE[0xf6] = { g: grp(['test', 'test', 'not', 'neg', 'mul', 'imul', 'div', 'idiv']), o: 'Eb' };
ONE_BYTE[0xf7] = { g: grp(['test', 'test', 'not', 'neg', 'mul', 'imul', 'div', 'idiv']), o: 'Ev' };
one(0xf8, 'clc', '');
one(0xf9, 'stc', '');
one(0xfc, 'cld', '');
one(0xfd, 'std', '');
ONE_BYTE[0xfe] = { g: grp(['inc', 'dec', null, null, null, null, null, null]), o: 'Eb' };
// FF: inc dec are Ev; call/jmp/push are Ev with a 64-bit default (fixed up in the decoder).
ONE_BYTE[0xff] = { g: grp(['inc', 'dec', 'call', null, 'jmp', null, 'push', null]), o: 'Ev' };

two(0x05, 'syscall', '');
two(0x07, 'sysret', '');
two(0x0b, 'ud2', '');
two(0x0d, 'prefetchw', 'M');
TWO_BYTE[0x18] = { g: grp(['prefetchnta', 'prefetcht0', 'prefetcht1', 'prefetcht2', 'nop', 'nop', 'nop', 'nop']), o: 'Ev' };
for (let op = 0x19; op <= 0x1f; op++) two(op, 'nop', 'Ev'); // reserved-NOP space; 0f 1f /0 is the multi-byte nop
two(0x20, 'mov', 'Rq,C');
two(0x22, 'mov', 'C,Rq');
two(0x31, 'rdtsc', '');
two(0xa3, 'bt', 'Ev,Gv');
two(0xab, 'bts', 'Ev,Gv');
two(0xaf, 'imul', 'Gv,Ev');
two(0xb0, 'cmpxchg', 'Eb,Gb');
two(0xb1, 'cmpxchg', 'Ev,Gv');
two(0xb3, 'btr', 'Ev,Gv');
two(0xb6, 'movzx', 'Gv,Eb');
two(0xb7, 'movzx', 'Gv,Ew');
two(0xb8, 'popcnt', 'Gv,Ev'); // only with f3 (the decoder checks)
TWO_BYTE[0xba] = { g: grp([null, null, null, null, 'bt', 'bts', 'btr', 'btc']), o: 'Ev,Iu' };
two(0xbb, 'btc', 'Ev,Gv');
two(0xbc, 'bsf', 'Gv,Ev'); // f3: tzcnt
two(0xbd, 'bsr', 'Gv,Ev'); // f3: lzcnt
two(0xbe, 'movsx', 'Gv,Eb');
two(0xbf, 'movsx', 'Gv,Ew');
two(0xc0, 'xadd', 'Eb,Gb');
two(0xc1, 'xadd', 'Ev,Gv');
for (let i = 0; i < 8; i++) two(0xc8 + i, 'bswap', 'Zv');
