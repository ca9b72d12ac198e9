// The shape of one row of the instruction table: an opcode form as the Intel manual lists it,
// with its operands written in AT&T order.

/**
 * How one operand must look for a form to match. Sizes are relative to the instruction's
 * operation size `s` (from the suffix or the register operands):
 *  r     GPR of size s, goes in ModRM.reg (or the opcode's low bits for +r forms)
 *  R     GPR of size s, goes in ModRM.rm (register only)
 *  rm    GPR of size s or memory, goes in ModRM.rm
 *  m     memory of any size, in ModRM.rm
 *  srm   GPR of the source size of movzx/movsx (or memory), in ModRM.rm
 *  rr    GPR of size s used as both ModRM.reg and ModRM.rm (`imul $3,%eax`)
 *  acc   %al/%ax/%eax/%rax of size s, implied by the opcode
 *  cl    %cl, implied
 *  one   the known immediate $1, implied
 *  three the known immediate $3, implied (`int $3` is `int3`)
 *  i     immediate of size s (q: sign-extended imm32)
 *  i8    known immediate that fits a sign-extended imm8
 *  u8    8-bit immediate (-128..255)
 *  u16   16-bit immediate (-32768..65535)
 *  i64   64-bit immediate
 *  rel   branch target: a bare expression, rel32 (rel8 when relaxed)
 *  ind   indirect branch target: `*%r64` or `*mem`, in ModRM.rm
 *  moffs absolute address with no registers, as a 64-bit moffs (movabs)
 *  mofar absolute address that does not fit a disp32 (plain `mov` turns into movabs)
 *  cr    control register, in ModRM.reg
 */
export type Pat =
  | 'r' | 'R' | 'rm' | 'm' | 'srm' | 'rr' | 'acc' | 'cl' | 'one' | 'three'
  | 'i' | 'i8' | 'u8' | 'u16' | 'i64' | 'rel' | 'ind' | 'moffs' | 'mofar' | 'cr';

/** ModRM.reg comes from the operand matched by 'r', 'cr' or 'rr'. */
export const REG = -1;
/** No ModRM byte. */
export const NONE = -2;
/** No ModRM; the 'r' operand's low 3 bits are added to the last opcode byte. */
export const PLUS = -3;

/** The operation defaults to 64 bits (push, pop, jmp, call, mov %crN): no REX.W for size q. */
export const NO_W = 1;
/** No 0x66 prefix for size w (the size only chose the form). */
export const NO_66 = 2;
/** A mandatory F3 prefix (popcnt, lzcnt, tzcnt): after 0x66, before REX. */
export const F3 = 4;

export interface Form {
  pats: readonly Pat[];
  /** Operation sizes this row accepts, as a bit mask of 1|2|4|8. */
  sizes: number;
  op: readonly number[];
  /** ModRM.reg: a /digit 0-7, or REG, NONE, PLUS. */
  ext: number;
  flags: number;
  /** Opcode of the rel8 form of a relaxable jump. */
  short?: readonly number[];
}

/** A family of rows sharing one mnemonic stem (`add`, `jne`, `movzx`). */
export interface Group {
  /** Name in diagnostics, as GNU as spells it (`mov`, `movzb`, `sete`). */
  name: string;
  forms: Form[];
  /** Suffix letters this stem accepts (`bwlq`, `wq`, ``). */
  suffixes: string;
  /** Operation size when neither suffix nor register says: 0 if the instruction has no size. */
  defSize: number;
  /** Which operands' registers set the operation size: all, or only the last (movzx, shifts). */
  sizeFrom: 'all' | 'last';
  /** Register sizes allowed at all; anything else is "operand size mismatch". */
  regSizes: number;
  /** Word GNU as uses when no row matches: "operand type mismatch" or "operand size mismatch". */
  mismatch: 'type' | 'size';
  /** movzx/movsx: the size of the source operand (1, 2 or 4). */
  srcSize?: number;
}

export const B = 1, W = 2, L = 4, Q = 8;
export const WLQ = W | L | Q, ALL = B | W | L | Q;

export function form(pats: string, op: readonly number[], ext: number, sizes: number, flags = 0): Form {
  return { pats: pats === '' ? [] : (pats.split(',') as Pat[]), op, ext, sizes, flags };
}

export function group(name: string, forms: Form[], opts: Partial<Omit<Group, 'name' | 'forms'>> = {}): Group {
  return {
    name,
    forms,
    suffixes: opts.suffixes ?? '',
    defSize: opts.defSize ?? 0,
    sizeFrom: opts.sizeFrom ?? 'all',
    regSizes: opts.regSizes ?? ALL,
    mismatch: opts.mismatch ?? 'type',
  };
}
