// A rule's syntax tree as cel-cpp makes it, the CEL runtime of the Python reference: its
// grammar (Cel.g4), its parser's rewrites (`!!x` is `x`, `a && b && c && d` a balanced tree,
// `-1` a constant), its macros expanded into comprehensions, and the two depths its parser
// stops at. The limits (measure.js) are counted on this tree, so that they give the numbers
// Python gives; cel-js's own tree keeps no parentheses and nests `&&` to the left.
//
// A node: {op: 'const', kind, value} (kind: int, uint, double, string, bytes, bool, null;
// a string's value is its text, a bytes' a Uint8Array), {op: 'ident', name},
// {op: 'select', operand, field, test}, {op: 'call', fn, target, args},
// {op: 'list', elements}, {op: 'struct', name, entries: [{key, field, value}]},
// {op: 'comprehension', iterVar, iterRange, accuVar, accuInit, condition, step, result}.

import {RULE_DEPTH} from './limits.js'

/** A rule CEL cannot parse: `deep` where it nests deeper than the parser goes. */
export class SyntaxProblem extends Error {
  constructor(message, offset = 0, deep = false) {
    super(message)
    this.offset = offset
    this.deep = deep
  }
}

const ACCUMULATOR = '@result'
/** CEL's reserved words: no identifier of a rule. */
export const RESERVED = new Set(
  (
    'as break const continue else for function if import let loop package namespace ' +
    'return var void while'
  ).split(' ')
)
const OPERATORS = {
  '<': '_<_',
  '<=': '_<=_',
  '>=': '_>=_',
  '>': '_>_',
  '==': '_==_',
  '!=': '_!=_',
  in: '@in',
  '*': '_*_',
  '/': '_/_',
  '%': '_%_',
  '+': '_+_',
  '-': '_-_'
}
const RELATIONS = new Set(['<', '<=', '>=', '>', '==', '!=', 'in'])
const PUNCTUATION = '== != <= >= && || < > [ ] { } ( ) . , - ! ? : + * / %'.split(' ')
const KEYWORDS = new Set(['true', 'false', 'null', 'in'])
const SIMPLE_ESCAPES = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '"': 34,
  "'": 39,
  '\\': 92,
  '?': 63,
  '`': 96
}

/** The tree of a rule as cel-cpp parses it; a SyntaxProblem where it does not. */
export function parseRule(source) {
  const parser = new Parser(tokens(source))
  const tree = parser.start()
  const builder = new Builder()
  return builder.visit(tree, 1)
}

/**
 * The rule with the signs cel-cpp's parser cancels left out (`!!x` is `x`, `--x` is `x`, `---x`
 * is `-x`), each replaced by a space, for cel-js, which applies every one of them: `--n` fails
 * for the least int, `!!n == 1` does not type-check. The rule as it is where it does not parse.
 * @param {string} source
 */
export function withoutCancelledSigns(source) {
  let parser
  try {
    parser = new Parser(tokens(source))
    parser.start()
  } catch (error) {
    if (error instanceof SyntaxProblem) return source
    throw error
  }
  let kept = source
  for (const at of parser.cancelled) kept = `${kept.slice(0, at)} ${kept.slice(at + 1)}`
  return kept
}

// Tokens: {type, text, at, value?}; type is the punctuation itself, or one of
// ident, int, uint, double, string, bytes, escaped, eof.
function tokens(source) {
  const found = []
  let at = 0
  while (at < source.length) {
    const ch = source[at]
    if ('\t\r\n\f '.includes(ch)) {
      at++
      continue
    }
    if (source.startsWith('//', at)) {
      const end = source.indexOf('\n', at)
      at = end < 0 ? source.length : end
      continue
    }
    const token =
      number(source, at) ?? text(source, at) ?? word(source, at) ?? punctuation(source, at)
    if (token === null) throw new SyntaxProblem(`token recognition error at: '${ch}'`, at)
    found.push(token)
    at += token.text.length
  }
  found.push({type: 'eof', text: '', at})
  return found
}

function number(source, at) {
  const rest = source.slice(at)
  const float = /^(?:\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\.\d+(?:[eE][+-]?\d+)?)/.exec(rest)
  const int = /^(?:0x[0-9a-fA-F]+|\d+)/.exec(rest)
  const uint = /^(?:0x[0-9a-fA-F]+|\d+)[uU]/.exec(rest)
  const best = [
    [float, 'double'],
    [int, 'int'],
    [uint, 'uint']
  ]
    .filter(([match]) => match !== null)
    .reduce((a, b) => (b[0][0].length > a[0][0].length ? b : a), [[''], null])
  if (best[1] === null) return null
  return {type: best[1], text: best[0][0], at}
}

function word(source, at) {
  const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(at))
  if (match !== null) {
    const type = KEYWORDS.has(match[0]) ? match[0] : 'ident'
    return {type, text: match[0], at}
  }
  const escaped = /^`[A-Za-z0-9_./ -]+`/.exec(source.slice(at))
  return escaped === null ? null : {type: 'escaped', text: escaped[0], at}
}

function punctuation(source, at) {
  const found = PUNCTUATION.find((p) => source.startsWith(p, at))
  return found === undefined ? null : {type: found, text: found, at}
}

// A string or bytes literal, with its value: cel-cpp's lexer rules and unescaping. In a
// string an escape is a code point; in bytes, a byte, and a character its UTF-8 bytes.
function text(source, at) {
  let start = at
  const bytes = source[start] === 'b' || source[start] === 'B'
  if (bytes) start++
  const raw = source[start] === 'r' || source[start] === 'R'
  if (raw) start++
  const quote = source[start]
  if (quote !== '"' && quote !== "'") return null
  const close = source.startsWith(quote.repeat(3), start) ? quote.repeat(3) : quote
  const value = []
  let i = start + close.length
  while (!source.startsWith(close, i)) {
    if (i >= source.length) throw new SyntaxProblem('token recognition error: open literal', at)
    const ch = source.codePointAt(i)
    if (close.length === 1 && (ch === 10 || ch === 13)) {
      throw new SyntaxProblem('token recognition error: a line break in a literal', i)
    }
    if (ch === 92 && !raw) {
      const escape = unescape(source, i, bytes)
      value.push(escape.value)
      i += escape.length
      continue
    }
    value.push(...(bytes ? utf8(ch) : [ch]))
    i += ch > 0xffff ? 2 : 1
  }
  const literal = source.slice(at, i + close.length)
  if (bytes) return {type: 'bytes', text: literal, at, value: Uint8Array.from(value)}
  return {type: 'string', text: literal, at, value: String.fromCodePoint(...value)}
}

function unescape(source, at, bytes) {
  const next = source[at + 1]
  if (next in SIMPLE_ESCAPES) return {value: SIMPLE_ESCAPES[next], length: 2}
  let match = /^[0-3][0-7][0-7]/.exec(source.slice(at + 1, at + 4))
  if (match) return {value: parseInt(match[0], 8), length: 4}
  match = /^[xX][0-9a-fA-F]{2}/.exec(source.slice(at + 1, at + 4))
  if (match) return {value: parseInt(match[0].slice(1), 16), length: 4}
  match = /^(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/.exec(source.slice(at + 1, at + 10))
  if (match) {
    const value = parseInt(match[0].slice(1), 16)
    if (bytes) throw new SyntaxProblem('Invalid bytes literal: \\u and \\U in bytes', at)
    if (value > 0x10ffff || (value >= 0xd800 && value < 0xe000)) {
      throw new SyntaxProblem(`Invalid string literal: Unicode value ${match[0]} is invalid`, at)
    }
    return {value, length: match[0].length + 1}
  }
  throw new SyntaxProblem('token recognition error: an unknown escape', at)
}

function utf8(code) {
  return [...new TextEncoder().encode(String.fromCodePoint(code))]
}

/** The size of a text in UTF-8 bytes, as cel-cpp keeps it. */
export function utf8Length(value) {
  return new TextEncoder().encode(value).length
}

// The parser: one method per rule of Cel.g4, making a parse tree of its contexts. It counts the
// `expr` rules open at once, as cel-cpp's ExprRecursionListener does.
class Parser {
  constructor(list) {
    this.list = list
    this.at = 0
    this.open = 0
    /** Where the signs are that cancel out (`!!`, `--`). */
    this.cancelled = []
  }

  peek(offset = 0) {
    return this.list[Math.min(this.at + offset, this.list.length - 1)]
  }

  take(type) {
    const token = this.peek()
    if (type !== undefined && token.type !== type) {
      const seen = token.type === 'eof' ? '<EOF>' : `'${token.text}'`
      throw new SyntaxProblem(
        `Syntax error: mismatched input ${seen} expecting '${type}'`,
        token.at
      )
    }
    this.at++
    return token
  }

  is(type) {
    return this.peek().type === type
  }

  start() {
    const tree = this.expr()
    if (!this.is('eof')) {
      throw new SyntaxProblem(
        `Syntax error: extraneous input '${this.peek().text}'`,
        this.peek().at
      )
    }
    return tree
  }

  expr() {
    if (this.open > RULE_DEPTH) {
      throw new SyntaxProblem('Expression recursion limit exceeded', this.peek().at, true)
    }
    this.open++
    const condition = this.or()
    let tree = condition
    if (this.is('?')) {
      this.take('?')
      const then = this.or()
      this.take(':')
      tree = {k: 'ternary', parts: [condition, then, this.expr()]}
    }
    this.open--
    return tree
  }

  or() {
    return this.chain('||', () => this.and())
  }

  and() {
    return this.chain('&&', () => this.relation())
  }

  chain(op, next) {
    const terms = [next()]
    while (this.is(op)) {
      this.take(op)
      terms.push(next())
    }
    return terms.length === 1 ? terms[0] : {k: op, terms}
  }

  relation() {
    let tree = this.calc(0)
    while (RELATIONS.has(this.peek().type)) {
      const op = this.take().type
      tree = {k: 'binary', op, parts: [tree, this.calc(0)]}
    }
    return tree
  }

  calc(level) {
    if (level === 2) return this.unary()
    const ops = level === 0 ? ['+', '-'] : ['*', '/', '%']
    let tree = this.calc(level + 1)
    while (ops.includes(this.peek().type)) {
      const op = this.take().type
      tree = {k: 'binary', op, parts: [tree, this.calc(level + 1)]}
    }
    return tree
  }

  unary() {
    const first = this.peek().type
    if (first === '-' && ['int', 'double'].includes(this.peek(1).type)) {
      return this.member() // a negative literal (ANTLR takes the first alternative)
    }
    if (first !== '!' && first !== '-') return this.member()
    const signs = []
    while (this.is(first)) signs.push(this.take().at)
    const count = signs.length
    this.cancelled.push(...signs.slice(0, count - (count % 2)))
    return {k: first === '!' ? 'not' : 'negate', count, parts: [this.member()]}
  }

  member() {
    let tree = this.primary()
    for (;;) {
      if (this.is('.')) {
        this.take('.')
        const optional = this.is('?') && this.take('?')
        const name = this.is('escaped') ? this.take() : this.take('ident')
        if (this.is('(') && !optional && name.type === 'ident') {
          this.take('(')
          const args = this.is(')') ? [] : this.list_(')')
          this.take(')')
          tree = {k: 'mcall', name: name.text, parts: [tree], args, at: name.at}
        } else {
          tree = {k: 'select', name, optional, parts: [tree]}
        }
      } else if (this.is('[')) {
        const at = this.take('[').at
        const optional = this.is('?') && this.take('?')
        const index = this.expr()
        this.take(']')
        tree = {k: 'index', optional, parts: [tree, index], at}
      } else {
        return tree
      }
    }
  }

  primary() {
    const token = this.peek()
    if (token.type === '.' || token.type === 'ident') return this.named()
    if (token.type === '(') {
      this.take('(')
      const inner = this.expr()
      this.take(')')
      return {k: 'nested', inner}
    }
    if (token.type === '[') {
      this.take('[')
      const elements = []
      if (this.is(','))
        this.take(',') // `[,]`: Cel.g4 takes a comma with no entries
      else
        while (!this.is(']')) {
          elements.push(this.optional())
          if (!this.is(',')) break
          this.take(',')
        }
      this.take(']')
      return {k: 'list', elements}
    }
    if (token.type === '{') {
      this.take('{')
      const entries = []
      if (this.is(',')) this.take(',')
      else
        while (!this.is('}')) {
          const key = this.optional()
          this.take(':')
          entries.push({key, value: this.expr()})
          if (!this.is(',')) break
          this.take(',')
        }
      this.take('}')
      return {k: 'map', entries}
    }
    return this.literal()
  }

  // `.`? IDENTIFIER: an identifier, a call, or a message `a.b.C{…}`.
  named() {
    const dot = this.is('.') && this.take('.')
    const first = this.take('ident')
    let ahead = 0
    while (this.peek(ahead).type === '.' && this.peek(ahead + 1).type === 'ident') ahead += 2
    if (this.peek(ahead).type === '{') {
      const names = [first.text]
      for (let i = 0; i < ahead; i += 2) {
        this.take('.')
        names.push(this.take('ident').text)
      }
      this.take('{')
      const fields = []
      if (this.is(',')) this.take(',')
      else
        while (!this.is('}')) {
          const optional = this.is('?') && this.take('?')
          const name = this.is('escaped') ? this.take() : this.take('ident')
          this.take(':')
          fields.push({name, optional, value: this.expr()})
          if (!this.is(',')) break
          this.take(',')
        }
      this.take('}')
      return {k: 'message', name: (dot ? '.' : '') + names.join('.'), fields}
    }
    if (this.is('(')) {
      this.take('(')
      const args = this.is(')') ? [] : this.list_(')')
      this.take(')')
      return {k: 'gcall', name: (dot ? '.' : '') + first.text, word: first.text, args, at: first.at}
    }
    return {k: 'ident', name: (dot ? '.' : '') + first.text, word: first.text, at: first.at}
  }

  list_() {
    const items = [this.expr()]
    while (this.is(',')) {
      this.take(',')
      items.push(this.expr())
    }
    return items
  }

  optional() {
    const optional = this.is('?') && this.take('?')
    return {optional, value: this.expr()}
  }

  literal() {
    const token = this.peek()
    if (token.type === '-') {
      this.take('-')
      const number = this.take()
      return {k: 'literal', token: number, negative: true}
    }
    if (
      ['int', 'uint', 'double', 'string', 'bytes', 'true', 'false', 'null'].includes(token.type)
    ) {
      return {k: 'literal', token: this.take(), negative: false}
    }
    const seen = token.type === 'eof' ? '<EOF>' : `'${token.text}'`
    throw new SyntaxProblem(`Syntax error: mismatched input ${seen}`, token.at)
  }
}

// Makes the tree cel-cpp's ParserVisitor makes, and counts its depth as the visitor does: a
// visit goes through parentheses and single terms without a level of its own.
class Builder {
  visit(tree, depth) {
    if (depth > RULE_DEPTH) {
      throw new SyntaxProblem('Exceeded max recursion depth when parsing', 0, true)
    }
    while (tree.k === 'nested') tree = tree.inner
    const inner = (part) => this.visit(part, depth + 1)
    switch (tree.k) {
      case 'ternary':
        return call('_?_:_', null, tree.parts.map(inner))
      case '||':
      case '&&':
        return balanced(`_${tree.k}_`, tree.terms.map(inner))
      case 'binary':
        return call(OPERATORS[tree.op], null, tree.parts.map(inner))
      case 'not':
      case 'negate': {
        const operand = inner(tree.parts[0])
        if (tree.count % 2 === 0) return operand
        return call(tree.k === 'not' ? '!_' : '-_', null, [operand])
      }
      case 'select': {
        const operand = inner(tree.parts[0])
        if (tree.optional) throw new SyntaxProblem("unsupported syntax '.?'", tree.name.at)
        return {op: 'select', operand, field: this.field(tree.name), test: false}
      }
      case 'mcall': {
        const target = inner(tree.parts[0])
        return receiverMacro(
          tree,
          target,
          tree.args.map((arg) => this.expr(arg, depth))
        )
      }
      case 'index': {
        const parts = tree.parts.map(inner)
        if (tree.optional) throw new SyntaxProblem("unsupported syntax '[?'", tree.at)
        return call('_[_]', null, parts)
      }
      case 'ident':
        reserved(tree)
        return {op: 'ident', name: tree.name}
      case 'gcall':
        reserved(tree)
        return globalMacro(
          tree,
          tree.args.map((arg) => this.expr(arg, depth))
        )
      case 'list':
        return {op: 'list', elements: tree.elements.map((e) => this.element(e, depth))}
      case 'map':
        return {
          op: 'struct',
          name: '',
          entries: tree.entries.map((entry) => {
            if (entry.key.optional) throw new SyntaxProblem("unsupported syntax '?'")
            return {key: inner(entry.key.value), value: inner(entry.value)}
          })
        }
      case 'message':
        return {
          op: 'struct',
          name: tree.name,
          entries: tree.fields.map((f) => {
            if (f.optional) throw new SyntaxProblem("unsupported syntax '?'")
            return {field: this.field(f.name), value: inner(f.value)}
          })
        }
      case 'literal':
        return constant(tree)
    }
    throw new SyntaxProblem(`unknown parse tree ${tree.k}`)
  }

  // visitExpr, called directly (for arguments and list entries): a ternary's parts are visited
  // one level down, anything else is visited one level down.
  expr(tree, depth) {
    if (tree.k === 'ternary') {
      return call(
        '_?_:_',
        null,
        tree.parts.map((part) => this.visit(part, depth + 1))
      )
    }
    return this.visit(tree, depth + 1)
  }

  element(element, depth) {
    if (element.optional) throw new SyntaxProblem("unsupported syntax '?'")
    return this.expr(element.value, depth)
  }

  field(token) {
    if (token.type === 'escaped') throw new SyntaxProblem("unsupported syntax '`'", token.at)
    return token.text
  }
}

function reserved(tree) {
  if (RESERVED.has(tree.word)) {
    throw new SyntaxProblem(`reserved identifier: ${tree.word}`, tree.at)
  }
}

function call(fn, target, args) {
  return {op: 'call', fn, target, args}
}

// cel-cpp's ExpressionBalancer: `a && b && c && d` is `(a && b) && (c && d)`.
function balanced(fn, terms) {
  const tree = (lo, hi) => {
    const mid = Math.floor((lo + hi + 1) / 2)
    const left = mid === lo ? terms[mid] : tree(lo, mid - 1)
    const right = mid === hi ? terms[mid + 1] : tree(mid + 1, hi)
    return call(fn, null, [left, right])
  }
  return tree(0, terms.length - 2)
}

function constant(tree) {
  const token = tree.token
  const sign = tree.negative ? '-' : ''
  switch (token.type) {
    case 'int': {
      const value = tree.negative ? -BigInt(token.text) : BigInt(token.text)
      if (value < -(2n ** 63n) || value >= 2n ** 63n) {
        throw new SyntaxProblem('invalid int literal', token.at)
      }
      return {op: 'const', kind: 'int', value}
    }
    case 'uint': {
      const value = BigInt(token.text.slice(0, -1))
      if (value >= 2n ** 64n) throw new SyntaxProblem('invalid uint literal', token.at)
      return {op: 'const', kind: 'uint', value}
    }
    case 'double':
      return {op: 'const', kind: 'double', value: Number(sign + token.text)}
    case 'string':
      return {op: 'const', kind: 'string', value: token.value}
    case 'bytes':
      return {op: 'const', kind: 'bytes', value: token.value}
    case 'true':
    case 'false':
      return {op: 'const', kind: 'bool', value: token.type === 'true'}
    case 'null':
      return {op: 'const', kind: 'null', value: null}
  }
  throw new SyntaxProblem(`Syntax error: mismatched input '${token.text}'`, token.at)
}

function globalMacro(tree, args) {
  if (tree.name === 'has' && args.length === 1) {
    const [arg] = args
    if (arg.op !== 'select' || arg.test) {
      throw new SyntaxProblem('has() argument must be a field selection', tree.at)
    }
    return {...arg, test: true}
  }
  return call(tree.name, null, args)
}

// The receiver macros of cel-cpp (parser/macro.cc), expanded as it expands them.
const MACROS = {
  'all/2': ([, predicate]) => ({
    init: constant({token: {type: 'true'}}),
    condition: call('@not_strictly_false', null, [accu()]),
    step: call('_&&_', null, [accu(), predicate]),
    result: accu()
  }),
  'exists/2': ([, predicate]) => ({
    init: constant({token: {type: 'false'}}),
    condition: call('@not_strictly_false', null, [call('!_', null, [accu()])]),
    step: call('_||_', null, [accu(), predicate]),
    result: accu()
  }),
  'exists_one/2': ([, predicate]) => ({
    init: int(0),
    condition: constant({token: {type: 'true'}}),
    step: call('_?_:_', null, [predicate, call('_+_', null, [accu(), int(1)]), accu()]),
    result: call('_==_', null, [accu(), int(1)])
  }),
  'map/2': ([, transform]) => ({
    init: {op: 'list', elements: []},
    condition: constant({token: {type: 'true'}}),
    step: call('_+_', null, [accu(), {op: 'list', elements: [transform]}]),
    result: accu()
  }),
  'map/3': ([, filter, transform]) => ({
    init: {op: 'list', elements: []},
    condition: constant({token: {type: 'true'}}),
    step: call('_?_:_', null, [
      filter,
      call('_+_', null, [accu(), {op: 'list', elements: [transform]}]),
      accu()
    ]),
    result: accu()
  }),
  'filter/2': ([variable, predicate]) => ({
    init: {op: 'list', elements: []},
    condition: constant({token: {type: 'true'}}),
    step: call('_?_:_', null, [
      predicate,
      call('_+_', null, [accu(), {op: 'list', elements: [variable]}]),
      accu()
    ]),
    result: accu()
  })
}

function accu() {
  return {op: 'ident', name: ACCUMULATOR}
}

function int(value) {
  return {op: 'const', kind: 'int', value: BigInt(value)}
}

function receiverMacro(tree, target, args) {
  const expand = MACROS[`${tree.name}/${args.length}`]
  if (expand === undefined) return call(tree.name, target, args)
  const [variable] = args
  if (variable.op !== 'ident' || variable.name.startsWith('.')) {
    throw new SyntaxProblem(`${tree.name}() variable name must be a simple identifier`, tree.at)
  }
  if (variable.name === '__result__') {
    throw new SyntaxProblem(`${tree.name}() variable name cannot be __result__`, tree.at)
  }
  const parts = expand(args)
  return {
    op: 'comprehension',
    iterVar: variable.name,
    iterRange: target,
    accuVar: ACCUMULATOR,
    accuInit: parts.init,
    condition: parts.condition,
    step: parts.step,
    result: parts.result
  }
}
