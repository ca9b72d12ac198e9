// What grammar.ne's postprocessors call: a nearley "lexer" that replays moo tokens already made
// by lexer.ts, and the constructors that turn tokens into the AST of types.ts.

import type { BinaryOp, Expr, Operand, SrcPos, UnaryOp } from './types.js';
import { lookupRegister, type Reg } from './registers.js';
import type { Tok } from './lexer.js';

/** A mistake found while building the AST: reported at pos, never thrown past parse.ts. */
export class AsmSyntaxError extends Error {
  constructor(
    public pos: SrcPos,
    msg: string,
  ) {
    super(msg);
  }
}

/** Directive arguments as the grammar yields them. */
export type DirArg =
  | { k: 'expr'; e: Expr }
  | { k: 'str'; bytes: Uint8Array; pos: SrcPos }
  | { k: 'type'; name: string; pos: SrcPos }
  | { k: 'none' }; // an empty argument: `.p2align 4,,15`

/** nearley's lexer interface over an array of tokens (nearley passes the array to reset()). */
class TokenLexer {
  private toks: Tok[] = [];
  private i = 0;
  reset(chunk: unknown): void {
    this.toks = chunk as Tok[];
    this.i = 0;
  }
  next(): Tok | undefined {
    return this.toks[this.i++];
  }
  save(): Record<string, never> {
    return {};
  }
  formatError(tok: Tok, msg: string): string {
    return `${msg} at ${tok.line}:${tok.col}`;
  }
  has(): boolean {
    return true;
  }
}

export const tokenLexer = new TokenLexer();

export const pos = (t: Tok): SrcPos => ({ line: t.line, col: t.col });

function register(t: Tok): Reg {
  const r = lookupRegister(t.value.slice(1));
  if (!r) throw new AsmSyntaxError(pos(t), `bad register name \`${t.value}'`);
  return r;
}

const simpleEscapes: Record<string, number> = { b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 };

/** Decode the body of a string or character literal with GNU as's C escapes into bytes. */
export function decodeEscapes(body: string, at: SrcPos): number[] {
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      const code = c.charCodeAt(0);
      if (code < 0x80) out.push(code);
      else {
        const cp = body.codePointAt(i) ?? code;
        if (cp > 0xffff) i++;
        out.push(...enc.encode(String.fromCodePoint(cp)));
      }
      continue;
    }
    const e = body[++i];
    if (e === undefined) break;
    if (e in simpleEscapes) out.push(simpleEscapes[e]);
    else if (e >= '0' && e <= '7') {
      let v = 0;
      let n = 0;
      while (n < 3 && body[i] >= '0' && body[i] <= '7') v = v * 8 + Number(body[i++]), n++;
      i--;
      out.push(v & 0xff);
    } else if (e === 'x' || e === 'X') {
      let v = 0;
      let n = 0;
      while (/[0-9a-fA-F]/.test(body[i + 1] ?? '')) v = (v * 16 + parseInt(body[++i], 16)) & 0xff, n++;
      if (n === 0) throw new AsmSyntaxError(at, 'bad escaped character in string');
      out.push(v);
    } else {
      out.push(e.charCodeAt(0) & 0xff); // GNU as keeps the character after an unknown escape
    }
  }
  return out;
}

function parseNumber(t: Tok): bigint {
  const v = t.value;
  if (t.type === 'num' && v.length > 1 && v[0] === '0') return BigInt('0o' + v.slice(1)); // octal, as in C
  return BigInt(v);
}

/** Constructors called from grammar.ne. */
export const G = {
  pos,
  num(t: Tok): Expr {
    if (t.type === 'num' && /^0[0-7]*[89]/.test(t.value)) throw new AsmSyntaxError(pos(t), `bad octal number \`${t.value}'`);
    return { k: 'num', v: parseNumber(t) };
  },
  chr(t: Tok): Expr {
    const body = t.value.endsWith("'") && t.value.length > 2 ? t.value.slice(1, -1) : t.value.slice(1);
    const bytes = decodeEscapes(body, pos(t));
    return { k: 'num', v: BigInt(bytes[0] ?? 0) };
  },
  sym(t: Tok): Expr {
    return t.value === '.' ? { k: 'dot', pos: pos(t) } : { k: 'sym', name: t.value, pos: pos(t) };
  },
  local(t: Tok): Expr {
    return { k: 'local', n: Number(t.value.slice(0, -1)), dir: t.value.endsWith('b') ? 'b' : 'f', pos: pos(t) };
  },
  bin(op: BinaryOp, a: Expr, b: Expr): Expr {
    return { k: 'bin', op, a, b };
  },
  un(op: UnaryOp, a: Expr): Expr {
    return { k: 'un', op, a };
  },
  str(t: Tok): DirArg {
    return { k: 'str', bytes: Uint8Array.from(decodeEscapes(t.value.slice(1, -1), pos(t))), pos: pos(t) };
  },
  imm(dollar: Tok, e: Expr): Operand {
    return { k: 'imm', e, pos: pos(dollar) };
  },
  reg(star: Tok | null, t: Tok): Operand {
    return { k: 'reg', reg: register(t), star: star !== null, pos: pos(star ?? t) };
  },
  seg(star: Tok | null, t: Tok, m: Operand): Operand {
    const r = register(t);
    if (m.k !== 'mem' || r.cls !== 'seg') throw new AsmSyntaxError(pos(t), `\`${t.value}' is not a valid segment register`);
    return { ...m, seg: r, star: star !== null, pos: pos(star ?? t) };
  },
  star(star: Tok | null, m: Operand): Operand {
    if (!star || m.k === 'imm') return m;
    return { ...m, star: true, pos: pos(star) };
  },
  mem(disp: Expr | null, lparen: Tok | null, base: Tok | null, index: Tok | null, scale: Tok | null): Operand {
    const b = base ? register(base) : null;
    const x = index ? register(index) : null;
    const at = lparen ? pos(lparen) : { line: 0, col: 0 };
    if (b && b.cls !== 'gpr' && b.cls !== 'rip') throw new AsmSyntaxError(at, `\`${base?.value}' is not a valid base/index expression`);
    if (x && (x.cls !== 'gpr' || x.num === 4 && x.size === 8 && x.name === 'rsp')) {
      throw new AsmSyntaxError(at, `\`${index?.value}' is not a valid base/index expression`);
    }
    let s: 1 | 2 | 4 | 8 = 1;
    if (scale) {
      const v = Number(scale.value);
      if (v !== 1 && v !== 2 && v !== 4 && v !== 8) {
        throw new AsmSyntaxError(pos(scale), `expecting scale factor of 1, 2, 4, or 8: got \`${scale.value}'`);
      }
      s = v;
    }
    return { k: 'mem', disp, base: b, index: x, scale: s, seg: null, star: false, pos: at };
  },
};
