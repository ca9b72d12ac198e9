// Register names of GNU as AT&T syntax, with the facts the encoder needs about each.

export type RegClass = 'gpr' | 'rip' | 'cr' | 'seg';

export interface Reg {
  name: string; // without the %
  cls: RegClass;
  num: number; // 0-15: the ModRM/REX number
  size: 1 | 2 | 4 | 8;
  /** %ah %ch %dh %bh: encodable only without a REX prefix. */
  high8: boolean;
  /** %spl %bpl %sil %dil and %r8b-%r15b (and any r8-r15): need a REX prefix. */
  needsRex: boolean;
}

const gpr64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'];
const gpr32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const gpr16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const gpr8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil'];
const high8 = ['ah', 'ch', 'dh', 'bh'];
const segs = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];

function table(): Map<string, Reg> {
  const m = new Map<string, Reg>();
  const add = (name: string, cls: RegClass, num: number, size: Reg['size'], hi = false, rex = false) =>
    m.set(name, { name, cls, num, size, high8: hi, needsRex: rex });
  for (let i = 0; i < 8; i++) {
    add(gpr64[i], 'gpr', i, 8);
    add(gpr32[i], 'gpr', i, 4);
    add(gpr16[i], 'gpr', i, 2);
    add(gpr8[i], 'gpr', i, 1, false, i >= 4);
  }
  for (let i = 0; i < 4; i++) add(high8[i], 'gpr', i + 4, 1, true);
  for (let i = 8; i < 16; i++) {
    add(`r${i}`, 'gpr', i, 8, false, true);
    add(`r${i}d`, 'gpr', i, 4, false, true);
    add(`r${i}w`, 'gpr', i, 2, false, true);
    add(`r${i}b`, 'gpr', i, 1, false, true);
    add(`r${i}l`, 'gpr', i, 1, false, true); // GNU as accepts the Intel-style spelling too
  }
  add('rip', 'rip', 0, 8);
  add('eip', 'rip', 0, 4);
  for (const cr of [0, 2, 3, 4, 8]) add(`cr${cr}`, 'cr', cr, 8, false, cr >= 8);
  segs.forEach((s, i) => add(s, 'seg', i, 2));
  return m;
}

export const REGISTERS: ReadonlyMap<string, Reg> = table();

/** Look a register up by its name without the leading %, case-insensitively. */
export function lookupRegister(name: string): Reg | undefined {
  return REGISTERS.get(name.toLowerCase());
}
