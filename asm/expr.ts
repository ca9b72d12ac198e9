// Expression evaluation, twice over like GNU as: early (while parsing: what is known now, for the
// encoder's choice of imm8/disp8 and for equates) and final (after relaxation, for fixups).
// Arithmetic is 64-bit two's complement, as GNU as's offsetT.

import type { Expr, SrcPos } from './types.js';
import type { Frag, Section, Sym } from './sections.js';

export class EvalError extends Error {
  constructor(
    public pos: SrcPos,
    msg: string,
  ) {
    super(msg);
  }
}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

/** A value: absolute (base null) or an offset from a base (a frag early, a section at the end). */
export interface Val<B> {
  base: B | null;
  v: bigint;
}

function arith(op: string, a: bigint, b: bigint, pos: SrcPos): bigint {
  switch (op) {
    case '+': return wrap(a + b);
    case '-': return wrap(a - b);
    case '*': return wrap(a * b);
    case '/':
    case '%':
      if (b === 0n) throw new EvalError(pos, 'division by zero');
      return wrap(op === '/' ? a / b : a % b);
    case '<<': return b >= 64n || b < 0n ? 0n : wrap(a << b);
    case '>>': return b >= 64n || b < 0n ? 0n : wrap(BigInt.asUintN(64, a) >> b);
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    default: throw new EvalError(pos, `unknown operator ${op}`);
  }
}

/** A position to blame for an expression (its first symbol), when it has none of its own. */
export function exprPos(e: Expr, fallback: SrcPos): SrcPos {
  switch (e.k) {
    case 'sym':
    case 'local':
    case 'dot':
      return e.pos;
    case 'un':
      return exprPos(e.a, fallback);
    case 'bin':
      return exprPos(e.a, { line: 0, col: 0 }).line ? exprPos(e.a, fallback) : exprPos(e.b, fallback);
    default:
      return fallback;
  }
}

type Lookup = (name: string) => Sym | undefined;

interface Resolver<B> {
  /** The value of a symbol named at `at`, or null when it is not known (yet). */
  sym(s: Sym | undefined, name: string, at: SrcPos, lookup: Lookup, pos: SrcPos): Val<B> | null;
  /** Error for an operation on relocatable values (final), or give up quietly (early). */
  strict: boolean;
}

/** Equates being expanded by the evaluation under way: meeting one again is a cycle. */
const seen = new Set<Sym>();

function combine<B>(e: Expr & { k: 'bin' }, a: Val<B>, b: Val<B>, r: Resolver<B>, pos: SrcPos): Val<B> | null {
  if (a.base === null && b.base === null) return { base: null, v: arith(e.op, a.v, b.v, pos) };
  if (e.op === '+' && (a.base === null || b.base === null)) return { base: a.base ?? b.base, v: wrap(a.v + b.v) };
  if (e.op === '-' && b.base === null) return { base: a.base, v: wrap(a.v - b.v) };
  if (e.op === '-' && a.base === b.base) return { base: null, v: wrap(a.v - b.v) };
  if (!r.strict) return null;
  throw new EvalError(pos, `invalid operands for \`${e.op}' (only a label difference or label +/- constant is allowed)`);
}

function evalWith<B>(e: Expr, r: Resolver<B>, lookup: Lookup, pos: SrcPos): Val<B> | null {
  switch (e.k) {
    case 'num':
      return { base: null, v: wrap(e.v) };
    case 'sym':
      return r.sym(lookup(e.name), e.name, e.pos, lookup, pos);
    case 'local':
    case 'dot':
      throw new EvalError(e.pos, 'internal: unresolved local label or `.`');
    case 'un': {
      const a = evalWith(e.a, r, lookup, pos);
      if (!a) return null;
      if (e.op === '+') return a;
      if (a.base !== null) {
        if (!r.strict) return null;
        throw new EvalError(exprPos(e.a, pos), `invalid operand for unary \`${e.op}'`);
      }
      return { base: null, v: e.op === '-' ? wrap(-a.v) : e.op === '~' ? ~a.v : a.v === 0n ? 1n : 0n };
    }
    case 'bin': {
      const a = evalWith(e.a, r, lookup, pos);
      const b = a ? evalWith(e.b, r, lookup, pos) : null;
      if (!a || !b) return null;
      return combine(e, a, b, r, exprPos(e, pos));
    }
  }
}

const early: Resolver<Frag> = {
  strict: false,
  sym(s, _name, _at, lookup, pos) {
    if (!s) return null;
    const d = s.def;
    if (d.k === 'abs') return { base: null, v: d.v };
    if (d.k === 'label') return { base: d.frag, v: BigInt(d.off) };
    if (d.k === 'expr' && !seen.has(s)) {
      seen.add(s);
      const v = evalWith(d.e, early, lookup, pos);
      seen.delete(s);
      return v;
    }
    return null;
  },
};

/** Early evaluation: a constant, or a frag-relative value; null when not known yet. Never throws on symbols. */
export function evalEarly(e: Expr, lookup: Lookup, pos: SrcPos): Val<Frag> | null {
  seen.clear();
  try {
    return evalWith(e, early, lookup, pos);
  } catch {
    return null; // e.g. division by zero: reported by the final evaluation
  }
}

const final: Resolver<Section> = {
  strict: true,
  sym(s, name, at, lookup) {
    const d = s?.def;
    if (!s || !d || d.k === 'undef') throw new EvalError(at, `undefined symbol \`${name}'`);
    if (d.k === 'abs') return { base: null, v: d.v };
    if (d.k === 'label') return { base: d.frag.sec, v: BigInt(d.frag.off + d.off) };
    if (seen.has(s)) throw new EvalError(at, `symbol \`${name}' is defined in terms of itself`);
    seen.add(s);
    const v = evalWith(d.e, final, lookup, at);
    seen.delete(s);
    return v;
  },
};

/** Final evaluation after relaxation: absolute or section-relative; throws EvalError. */
export function evalFinal(e: Expr, lookup: Lookup, pos: SrcPos): Val<Section> {
  seen.clear();
  const v = evalWith(e, final, lookup, pos);
  if (!v) throw new EvalError(pos, 'internal: expression has no value');
  return v;
}
