# The grammar of record for operands, expressions and directive arguments (GNU as AT&T syntax).
# Compiled by scripts/build.mjs (nearleyc) into grammar.ts. parse.ts runs one parser per statement
# over tokens already produced by moo (lexer.ts); it must stay unambiguous: exactly one parse.
# Operator precedence follows GNU as: unary, then * / % << >>, then | & ^, then + -.

@preprocessor typescript

@{%
import { tokenLexer as lexer, G } from './grammar-support.js';
%}

@lexer lexer

operands -> null                          {% () => [] %}
  | operand ("," operand):*               {% (d) => [d[0], ...d[1].map((x) => x[1])] %}

operand -> "$" expr                       {% (d) => G.imm(d[0], d[1]) %}
  | star:? %reg                           {% (d) => G.reg(d[0], d[1]) %}
  | star:? %reg ":" mem                   {% (d) => G.seg(d[0], d[1], d[3]) %}
  | star:? mem                            {% (d) => G.star(d[0], d[1]) %}

star -> "*"                               {% (d) => d[0] %}

mem -> expr                               {% (d) => G.mem(d[0], null, null, null, null) %}
  | expr:? "(" %reg ")"                   {% (d) => G.mem(d[0], d[1], d[2], null, null) %}
  | expr:? "(" %reg:? "," %reg ")"        {% (d) => G.mem(d[0], d[1], d[2], d[4], null) %}
  | expr:? "(" %reg:? "," %reg "," scale ")" {% (d) => G.mem(d[0], d[1], d[2], d[4], d[6]) %}

scale -> %num                             {% (d) => d[0] %}

# Directive arguments: expressions, strings and @type words, comma-separated.
dargs -> null                             {% () => [] %}
  | darg ("," optdarg):*                  {% (d) => [d[0], ...d[1].map((x) => x[1])] %}

# `.p2align 4,,15`: an empty argument keeps its default.
optdarg -> null                           {% () => ({ k: 'none' }) %}
  | darg                                  {% id %}

darg -> expr                              {% (d) => ({ k: 'expr', e: d[0] }) %}
  | %str                                  {% (d) => G.str(d[0]) %}
  | "@" %ident                            {% (d) => ({ k: 'type', name: d[1].value, pos: G.pos(d[0]) }) %}

expr -> add                               {% id %}

add -> add "+" bit                        {% (d) => G.bin('+', d[0], d[2]) %}
  | add "-" bit                           {% (d) => G.bin('-', d[0], d[2]) %}
  | bit                                   {% id %}

bit -> bit "|" mul                        {% (d) => G.bin('|', d[0], d[2]) %}
  | bit "&" mul                           {% (d) => G.bin('&', d[0], d[2]) %}
  | bit "^" mul                           {% (d) => G.bin('^', d[0], d[2]) %}
  | mul                                   {% id %}

mul -> mul "*" un                         {% (d) => G.bin('*', d[0], d[2]) %}
  | mul "/" un                            {% (d) => G.bin('/', d[0], d[2]) %}
  | mul "%" un                            {% (d) => G.bin('%', d[0], d[2]) %}
  | mul "<<" un                           {% (d) => G.bin('<<', d[0], d[2]) %}
  | mul ">>" un                           {% (d) => G.bin('>>', d[0], d[2]) %}
  | un                                    {% id %}

un -> "-" un                              {% (d) => G.un('-', d[1]) %}
  | "~" un                                {% (d) => G.un('~', d[1]) %}
  | "!" un                                {% (d) => G.un('!', d[1]) %}
  | "+" un                                {% (d) => G.un('+', d[1]) %}
  | atom                                  {% id %}

atom -> %num                              {% (d) => G.num(d[0]) %}
  | %hex                                  {% (d) => G.num(d[0]) %}
  | %bin                                  {% (d) => G.num(d[0]) %}
  | %chr                                  {% (d) => G.chr(d[0]) %}
  | %ident                                {% (d) => G.sym(d[0]) %}
  | %localref                             {% (d) => G.local(d[0]) %}
  | "(" expr ")"                          {% (d) => d[1] %}
