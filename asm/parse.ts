// Source line -> statements. moo makes the tokens; nearley (grammar.ne) is the grammar of record for
// operands, expressions and directive arguments, one small Parser per statement (one parser over a
// whole file is quadratic). Most operands and directive arguments are built straight from the
// tokens by parse-fast.ts, which hands anything unusual to nearley.

import nearley from 'nearley';
import grammar from './grammar.js';
import type { Tok } from './lexer.js';
import { AsmSyntaxError, type DirArg, pos } from './grammar-support.js';
import type { Expr, Insn, Operand, SrcPos } from './types.js';
import { fastDirArgs, fastOperands } from './parse-fast.js';

export type Stmt =
  | { k: 'label'; name: string; pos: SrcPos }
  | { k: 'locallabel'; n: number; pos: SrcPos }
  | { k: 'prefix'; name: string; pos: SrcPos } // `rep` alone, as in `rep; stosq`
  | { k: 'insn'; insn: Insn }
  | { k: 'dir'; name: string; args: DirArg[]; raw: string; pos: SrcPos }
  | { k: 'assign'; name: string; e: Expr; pos: SrcPos };

export interface ParseError {
  pos: SrcPos;
  msg: string;
}

export const PREFIXES = new Set(['rep', 'repe', 'repz', 'repne', 'repnz', 'lock']);

const compiled = grammar as unknown as nearley.CompiledRules;
// fromCompiled ignores its start argument when given the compiled object, so give it the bare rules.
const rulesWithLexer = (): nearley.CompiledRules => Object.assign([...compiled.ParserRules], { Lexer: compiled.Lexer }) as never;
const fromCompiled = nearley.Grammar.fromCompiled as (rules: nearley.CompiledRules, start: string) => nearley.Grammar;
const operandsGrammar = fromCompiled(rulesWithLexer(), 'operands');
const dargsGrammar = fromCompiled(rulesWithLexer(), 'dargs');

/** Every complete parse of `toks` by the nearley grammar (tests check there is exactly one). */
export function nearleyParses(toks: Tok[], start: 'operands' | 'dargs'): unknown[] {
  const parser = new nearley.Parser(start === 'operands' ? operandsGrammar : dargsGrammar);
  // nearley's default error text dumps its whole parse table: costly and unused here.
  (parser as unknown as { reportError: () => string }).reportError = () => 'syntax error';
  parser.feed(toks as unknown as string);
  return parser.results;
}

function syntaxError(toks: Tok[], err: unknown, end: SrcPos): ParseError {
  if (err instanceof AsmSyntaxError) return { pos: err.pos, msg: err.message };
  const tok = (err as { token?: Tok }).token;
  if (tok && tok.line !== undefined) return { pos: pos(tok), msg: `junk \`${tok.value}' in operands` };
  return { pos: toks.length ? pos(toks[0]) : end, msg: 'syntax error' };
}

function runNearley(toks: Tok[], start: 'operands' | 'dargs', end: SrcPos): unknown {
  let results: unknown[];
  try {
    results = nearleyParses(toks, start);
  } catch (err) {
    throw syntaxError(toks, err, end);
  }
  if (results.length === 0) throw { pos: end, msg: 'unexpected end of statement' } satisfies ParseError;
  return results[0];
}

/** Operands from their tokens (those from index `from` on): the fast path first, nearley for everything else. */
export function parseOperands(toks: Tok[], end: SrcPos, forceNearley = false, from = 0): Operand[] {
  const fast = forceNearley ? null : fastOperands(toks, from);
  if (fast) return fast;
  const ops = runNearley(from === 0 ? toks : toks.slice(from), 'operands', end) as Operand[];
  fixMemPositions(ops, toks, from);
  return ops;
}

/** The grammar cannot see where a memory operand starts (its displacement may be a bare number). */
function fixMemPositions(ops: Operand[], toks: Tok[], from: number): void {
  let depth = 0;
  let opIndex = 0;
  let start = true;
  for (let k = from; k < toks.length; k++) {
    const t = toks[k];
    if (start) {
      const op = ops[opIndex];
      if (op && op.k === 'mem' && !op.star && op.seg === null) op.pos = pos(t);
      start = false;
    }
    if (t.type === '(') depth++;
    else if (t.type === ')') depth--;
    else if (t.type === ',' && depth === 0) {
      opIndex++;
      start = true;
    }
  }
}

export function parseDirArgs(toks: Tok[], end: SrcPos): DirArg[] {
  return fastDirArgs(toks) ?? (runNearley(toks, 'dargs', end) as DirArg[]);
}

function checkTokens(toks: Tok[]): void {
  for (const t of toks) {
    if (t.type === 'badstr') throw { pos: pos(t), msg: 'unterminated string' } satisfies ParseError;
    if (t.type === 'badnum') throw { pos: pos(t), msg: `invalid number \`${t.value}'` } satisfies ParseError;
    if (t.type === 'other') throw { pos: pos(t), msg: `junk character \`${t.value}'` } satisfies ParseError;
  }
}

/** One statement's tokens (no `;`) -> statements (a label may precede the rest). */
function parseStatement(toks: Tok[], text: string, end: SrcPos, out: Stmt[]): void {
  let i = 0;
  while (i + 1 < toks.length && toks[i + 1].type === ':' && (toks[i].type === 'ident' || toks[i].type === 'num')) {
    const t = toks[i];
    out.push(t.type === 'num' ? { k: 'locallabel', n: Number(t.value), pos: pos(t) } : { k: 'label', name: t.value, pos: pos(t) });
    i += 2;
  }
  if (i >= toks.length) return;
  checkTokens(toks);
  const head = toks[i];
  if (head.type !== 'ident') throw { pos: pos(head), msg: `junk \`${head.value}' at start of statement` } satisfies ParseError;
  if (i + 1 < toks.length && toks[i + 1].type === '=') {
    const rest = toks.slice(i + 1);
    const args = parseDirArgs(rest.slice(1), end);
    const e = args.length === 1 ? args[0] : undefined;
    if (!e || e.k !== 'expr') throw { pos: pos(rest[0]), msg: 'expected an expression after `=`' } satisfies ParseError;
    out.push({ k: 'assign', name: head.value, e: e.e, pos: pos(head) });
    return;
  }
  if (head.value.startsWith('.') && head.value.length > 1) {
    const rest = toks.slice(i + 1);
    const name = head.value.toLowerCase();
    const last = rest[rest.length - 1];
    const raw = rest.length ? text.slice(rest[0].col - 1, last.col - 1 + last.value.length) : '';
    const rawOnly = name === '.section' || name === '.pushsection' || name === '.type' || name === '.file' || name === '.ident';
    const args = rawOnly ? [] : parseDirArgs(rest, end);
    out.push({ k: 'dir', name, args, raw, pos: pos(head) });
    return;
  }
  const prefixes: string[] = [];
  let j = i;
  while (j < toks.length && toks[j].type === 'ident' && PREFIXES.has(toks[j].value.toLowerCase())) {
    prefixes.push(toks[j].value.toLowerCase());
    j++;
  }
  if (j >= toks.length) {
    for (let p = i; p < j; p++) out.push({ k: 'prefix', name: toks[p].value.toLowerCase(), pos: pos(toks[p]) });
    return;
  }
  const m = toks[j];
  if (m.type !== 'ident') throw { pos: pos(m), msg: `junk \`${m.value}' after prefix` } satisfies ParseError;
  const ops = parseOperands(toks, end, false, j + 1);
  out.push({ k: 'insn', insn: { prefixes, mnemonic: m.value.toLowerCase(), ops, pos: pos(toks[i]) } });
}

/**
 * Parse one source line (its tokens and text) into statements. A mistake in one statement is reported and the line's
 * later statements are still parsed, so every error of a file comes out in one run.
 */
export function parseLine(toks: Tok[], text: string, lineNo: number, stmts: Stmt[], errors: ParseError[]): void {
  if (toks.length === 0) return;
  const end = { line: lineNo, col: text.length + 1 };
  let start = 0;
  for (let k = 0; k <= toks.length; k++) {
    if (k < toks.length && toks[k].type !== ';') continue;
    if (k > start) {
      const stmtEnd = k < toks.length ? pos(toks[k]) : end;
      try {
        parseStatement(k === toks.length && start === 0 ? toks : toks.slice(start, k), text, stmtEnd, stmts);
      } catch (err) {
        if (err instanceof AsmSyntaxError) errors.push({ pos: err.pos, msg: err.message });
        else if (isParseError(err)) errors.push(err);
        else throw err;
      }
    }
    start = k + 1;
  }
}

function isParseError(e: unknown): e is ParseError {
  return typeof e === 'object' && e !== null && 'pos' in e && 'msg' in e;
}
