// @ts-nocheck
// Generated automatically by nearley, version 2.20.1
// http://github.com/Hardmath123/nearley
// Bypasses TS6133. Allow declared but unused functions.
// @ts-ignore
function id(d: any[]): any { return d[0]; }
declare var reg: any;
declare var num: any;
declare var str: any;
declare var ident: any;
declare var hex: any;
declare var bin: any;
declare var chr: any;
declare var localref: any;

import { tokenLexer as lexer, G } from './grammar-support.js';

interface NearleyToken {
  value: any;
  [key: string]: any;
};

interface NearleyLexer {
  reset: (chunk: string, info: any) => void;
  next: () => NearleyToken | undefined;
  save: () => any;
  formatError: (token: never) => string;
  has: (tokenType: string) => boolean;
};

interface NearleyRule {
  name: string;
  symbols: NearleySymbol[];
  postprocess?: (d: any[], loc?: number, reject?: {}) => any;
};

type NearleySymbol = string | { literal: any } | { test: (token: any) => boolean };

interface Grammar {
  Lexer: NearleyLexer | undefined;
  ParserRules: NearleyRule[];
  ParserStart: string;
};

const grammar: Grammar = {
  Lexer: lexer,
  ParserRules: [
    {"name": "operands", "symbols": [], "postprocess": () => []},
    {"name": "operands$ebnf$1", "symbols": []},
    {"name": "operands$ebnf$1$subexpression$1", "symbols": [{"literal":","}, "operand"]},
    {"name": "operands$ebnf$1", "symbols": ["operands$ebnf$1", "operands$ebnf$1$subexpression$1"], "postprocess": (d) => d[0].concat([d[1]])},
    {"name": "operands", "symbols": ["operand", "operands$ebnf$1"], "postprocess": (d) => [d[0], ...d[1].map((x) => x[1])]},
    {"name": "operand", "symbols": [{"literal":"$"}, "expr"], "postprocess": (d) => G.imm(d[0], d[1])},
    {"name": "operand$ebnf$1", "symbols": ["star"], "postprocess": id},
    {"name": "operand$ebnf$1", "symbols": [], "postprocess": () => null},
    {"name": "operand", "symbols": ["operand$ebnf$1", (lexer.has("reg") ? {type: "reg"} : reg)], "postprocess": (d) => G.reg(d[0], d[1])},
    {"name": "operand$ebnf$2", "symbols": ["star"], "postprocess": id},
    {"name": "operand$ebnf$2", "symbols": [], "postprocess": () => null},
    {"name": "operand", "symbols": ["operand$ebnf$2", (lexer.has("reg") ? {type: "reg"} : reg), {"literal":":"}, "mem"], "postprocess": (d) => G.seg(d[0], d[1], d[3])},
    {"name": "operand$ebnf$3", "symbols": ["star"], "postprocess": id},
    {"name": "operand$ebnf$3", "symbols": [], "postprocess": () => null},
    {"name": "operand", "symbols": ["operand$ebnf$3", "mem"], "postprocess": (d) => G.star(d[0], d[1])},
    {"name": "star", "symbols": [{"literal":"*"}], "postprocess": (d) => d[0]},
    {"name": "mem", "symbols": ["expr"], "postprocess": (d) => G.mem(d[0], null, null, null, null)},
    {"name": "mem$ebnf$1", "symbols": ["expr"], "postprocess": id},
    {"name": "mem$ebnf$1", "symbols": [], "postprocess": () => null},
    {"name": "mem", "symbols": ["mem$ebnf$1", {"literal":"("}, (lexer.has("reg") ? {type: "reg"} : reg), {"literal":")"}], "postprocess": (d) => G.mem(d[0], d[1], d[2], null, null)},
    {"name": "mem$ebnf$2", "symbols": ["expr"], "postprocess": id},
    {"name": "mem$ebnf$2", "symbols": [], "postprocess": () => null},
    {"name": "mem$ebnf$3", "symbols": [(lexer.has("reg") ? {type: "reg"} : reg)], "postprocess": id},
    {"name": "mem$ebnf$3", "symbols": [], "postprocess": () => null},
    {"name": "mem", "symbols": ["mem$ebnf$2", {"literal":"("}, "mem$ebnf$3", {"literal":","}, (lexer.has("reg") ? {type: "reg"} : reg), {"literal":")"}], "postprocess": (d) => G.mem(d[0], d[1], d[2], d[4], null)},
    {"name": "mem$ebnf$4", "symbols": ["expr"], "postprocess": id},
    {"name": "mem$ebnf$4", "symbols": [], "postprocess": () => null},
    {"name": "mem$ebnf$5", "symbols": [(lexer.has("reg") ? {type: "reg"} : reg)], "postprocess": id},
    {"name": "mem$ebnf$5", "symbols": [], "postprocess": () => null},
    {"name": "mem", "symbols": ["mem$ebnf$4", {"literal":"("}, "mem$ebnf$5", {"literal":","}, (lexer.has("reg") ? {type: "reg"} : reg), {"literal":","}, "scale", {"literal":")"}], "postprocess": (d) => G.mem(d[0], d[1], d[2], d[4], d[6])},
    {"name": "scale", "symbols": [(lexer.has("num") ? {type: "num"} : num)], "postprocess": (d) => d[0]},
    {"name": "dargs", "symbols": [], "postprocess": () => []},
    {"name": "dargs$ebnf$1", "symbols": []},
    {"name": "dargs$ebnf$1$subexpression$1", "symbols": [{"literal":","}, "optdarg"]},
    {"name": "dargs$ebnf$1", "symbols": ["dargs$ebnf$1", "dargs$ebnf$1$subexpression$1"], "postprocess": (d) => d[0].concat([d[1]])},
    {"name": "dargs", "symbols": ["darg", "dargs$ebnf$1"], "postprocess": (d) => [d[0], ...d[1].map((x) => x[1])]},
    {"name": "optdarg", "symbols": [], "postprocess": () => ({ k: 'none' })},
    {"name": "optdarg", "symbols": ["darg"], "postprocess": id},
    {"name": "darg", "symbols": ["expr"], "postprocess": (d) => ({ k: 'expr', e: d[0] })},
    {"name": "darg", "symbols": [(lexer.has("str") ? {type: "str"} : str)], "postprocess": (d) => G.str(d[0])},
    {"name": "darg", "symbols": [{"literal":"@"}, (lexer.has("ident") ? {type: "ident"} : ident)], "postprocess": (d) => ({ k: 'type', name: d[1].value, pos: G.pos(d[0]) })},
    {"name": "expr", "symbols": ["add"], "postprocess": id},
    {"name": "add", "symbols": ["add", {"literal":"+"}, "bit"], "postprocess": (d) => G.bin('+', d[0], d[2])},
    {"name": "add", "symbols": ["add", {"literal":"-"}, "bit"], "postprocess": (d) => G.bin('-', d[0], d[2])},
    {"name": "add", "symbols": ["bit"], "postprocess": id},
    {"name": "bit", "symbols": ["bit", {"literal":"|"}, "mul"], "postprocess": (d) => G.bin('|', d[0], d[2])},
    {"name": "bit", "symbols": ["bit", {"literal":"&"}, "mul"], "postprocess": (d) => G.bin('&', d[0], d[2])},
    {"name": "bit", "symbols": ["bit", {"literal":"^"}, "mul"], "postprocess": (d) => G.bin('^', d[0], d[2])},
    {"name": "bit", "symbols": ["mul"], "postprocess": id},
    {"name": "mul", "symbols": ["mul", {"literal":"*"}, "un"], "postprocess": (d) => G.bin('*', d[0], d[2])},
    {"name": "mul", "symbols": ["mul", {"literal":"/"}, "un"], "postprocess": (d) => G.bin('/', d[0], d[2])},
    {"name": "mul", "symbols": ["mul", {"literal":"%"}, "un"], "postprocess": (d) => G.bin('%', d[0], d[2])},
    {"name": "mul", "symbols": ["mul", {"literal":"<<"}, "un"], "postprocess": (d) => G.bin('<<', d[0], d[2])},
    {"name": "mul", "symbols": ["mul", {"literal":">>"}, "un"], "postprocess": (d) => G.bin('>>', d[0], d[2])},
    {"name": "mul", "symbols": ["un"], "postprocess": id},
    {"name": "un", "symbols": [{"literal":"-"}, "un"], "postprocess": (d) => G.un('-', d[1])},
    {"name": "un", "symbols": [{"literal":"~"}, "un"], "postprocess": (d) => G.un('~', d[1])},
    {"name": "un", "symbols": [{"literal":"!"}, "un"], "postprocess": (d) => G.un('!', d[1])},
    {"name": "un", "symbols": [{"literal":"+"}, "un"], "postprocess": (d) => G.un('+', d[1])},
    {"name": "un", "symbols": ["atom"], "postprocess": id},
    {"name": "atom", "symbols": [(lexer.has("num") ? {type: "num"} : num)], "postprocess": (d) => G.num(d[0])},
    {"name": "atom", "symbols": [(lexer.has("hex") ? {type: "hex"} : hex)], "postprocess": (d) => G.num(d[0])},
    {"name": "atom", "symbols": [(lexer.has("bin") ? {type: "bin"} : bin)], "postprocess": (d) => G.num(d[0])},
    {"name": "atom", "symbols": [(lexer.has("chr") ? {type: "chr"} : chr)], "postprocess": (d) => G.chr(d[0])},
    {"name": "atom", "symbols": [(lexer.has("ident") ? {type: "ident"} : ident)], "postprocess": (d) => G.sym(d[0])},
    {"name": "atom", "symbols": [(lexer.has("localref") ? {type: "localref"} : localref)], "postprocess": (d) => G.local(d[0])},
    {"name": "atom", "symbols": [{"literal":"("}, "expr", {"literal":")"}], "postprocess": (d) => d[1]}
  ],
  ParserStart: "operands",
};

export default grammar;
