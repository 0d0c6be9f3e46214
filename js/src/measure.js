// The shape of a rule, as src/kontaktcharta/limits.py measures it: how deep its tree is, how
// deep its macros nest, its largest literal, the steps it may take, the largest value it may
// make and what is wrong with a `matches` of it. It reads the tree cel-cpp makes (syntax.js),
// macros expanded, so that every number is the one Python gives; sizes and steps are BigInts,
// as Python's integers do not overflow.

import {FACT_TEXT, REGEX_COUNT, REGEX_LENGTH, REGEX_STEPS} from './limits.js'
import {utf8Length} from './syntax.js'

const SCALAR = 8n // the size of a bool, an int or a double
const CHARACTERS_PER_STEP = 64n // a call counts a step more per this many characters it reads
const PLATFORM = 64n // the size bound of `platform`, an id
const SEARCH = 8_192n // `contains`: a step more per this many pairs of characters
const COUNTS = /\{(\p{Nd}+(?:,\p{Nd}*)?)\}/gu // a counted repetition: {3}, {2,5}, {2,}

/**
 * The shape of a rule's tree (syntax.js parseRule) over facts of these types (by name):
 * {depth, macroDepth, literal, cost, largest, regex}; cost and largest are BigInts.
 */
export function measure(expr, facts) {
  const tree = new Tree(facts)
  const root = tree.node(expr, 1, 0)
  return {
    depth: tree.depth,
    macroDepth: tree.macroDepth,
    literal: tree.literal,
    cost: cost(root, tree.entries > 1n ? tree.entries : 1n),
    largest: tree.largest,
    regex: tree.regex
  }
}

// One node: its weight, its children, which of them run in a loop, and how large its value may
// be: `size` characters (a list: all its entries together), `entries` in a list, the largest
// `entry`.
function newNode() {
  return {
    weight: 1n,
    children: [],
    looped: [],
    copies: false,
    size: SCALAR,
    entries: 0n,
    entry: SCALAR,
    text: null
  }
}

class Tree {
  constructor(facts) {
    this.facts = facts
    this.depth = 0
    this.macroDepth = 0
    this.literal = 0
    this.entries = 0n
    this.largest = 0n
    this.regex = null
    this.scope = new Map() // the macro variables: each stands for an entry of its list
  }

  node(expr, depth, macros) {
    this.depth = Math.max(this.depth, depth)
    const node = newNode()
    const down = (part) => this.node(part, depth + 1, macros)
    switch (expr.op) {
      case 'const':
        if (expr.kind === 'string') {
          node.size = BigInt(utf8Length(expr.value))
          node.text = expr.value
        } else if (expr.kind === 'bytes') {
          node.size = BigInt(expr.value.length)
          node.text = new TextDecoder().decode(expr.value)
        }
        break
      case 'ident':
        this.ident(node, expr.name)
        break
      case 'call':
        this.call(node, expr, down)
        break
      case 'select':
        if (!this.typeName(expr)) node.children.push(down(expr.operand))
        break
      case 'list':
      case 'struct': {
        const parts =
          expr.op === 'list'
            ? expr.elements
            : expr.entries.flatMap((e) => (e.key ? [e.key, e.value] : [e.value]))
        this.literalOf(expr.op === 'list' ? expr.elements.length : expr.entries.length)
        node.children.push(...parts.map(down))
        node.entries = BigInt(node.children.length)
        node.size = sum(node.children.map((child) => child.size))
        node.entry = max(
          node.children.map((child) => child.size),
          0n
        )
        break
      }
      case 'comprehension':
        this.macro(node, expr, depth, macros + 1)
        break
    }
    if (node.size > this.largest) this.largest = node.size
    return node
  }

  // Whether a select names a type, `google.protobuf.Timestamp`: cel-cpp's checker makes it one
  // identifier.
  typeName(expr) {
    let names = []
    while (expr.op === 'select' && !expr.test) {
      names = [expr.field, ...names]
      expr = expr.operand
    }
    return (
      expr.op === 'ident' &&
      expr.name === 'google' &&
      names[0] === 'protobuf' &&
      names.length === 2 &&
      !Object.hasOwn(this.facts, 'google') &&
      !this.scope.has('google')
    )
  }

  // A fact, `platform`, or a macro's variable: as large as what it stands for.
  ident(node, name) {
    const bound = this.scope.get(name)
    if (bound !== undefined) {
      node.size = bound.size
      node.entries = bound.entries
      node.entry = bound.entry
    } else if (this.facts[name] === 'string' && Object.hasOwn(this.facts, name)) {
      node.size = BigInt(FACT_TEXT)
    } else if (name === 'platform') {
      node.size = PLATFORM
    }
  }

  call(node, expr, down) {
    const parts = [...(expr.target ? [expr.target] : []), ...expr.args].map(down)
    node.children = parts
    const fn = expr.fn
    if (fn === '_+_') {
      // strings or lists: both together
      node.size = sum(parts.map((part) => part.size))
      node.entries = sum(parts.map((part) => part.entries))
      node.entry = max(parts.map((part) => part.entry))
    } else if (fn === '_?_:_') {
      const values = parts.slice(1)
      node.size = max(values.map((part) => part.size))
      node.entries = max(values.map((part) => part.entries))
      node.entry = max(values.map((part) => part.entry))
    } else if (fn === '_[_]') {
      // an entry of a list or map
      node.size = node.entry = parts[0].entry
    } else if (fn === 'string' || fn === 'bytes' || fn === 'dyn') {
      node.size = max([32n, ...parts.map((part) => part.size)])
    }
    if (fn === 'matches') {
      node.weight = this.matches(parts)
    } else if (fn === 'contains' && parts.length === 2) {
      // searching: both sizes times
      node.weight += (parts[0].size * parts[1].size) / SEARCH
    }
  }

  // The steps of a `matches`: its pattern must be a text in the rule, of bounded size.
  matches(parts) {
    const pattern = parts[parts.length - 1].text
    if (pattern === null) {
      this.regex = 'the pattern of matches must be a text written in the rule'
      return BigInt(REGEX_STEPS)
    }
    const length = [...pattern].length
    if (length > REGEX_LENGTH) {
      this.regex = `a pattern has ${length} characters; at most ${REGEX_LENGTH}`
    }
    for (const [, counted] of pattern.matchAll(COUNTS)) {
      const most = Math.max(
        ...counted
          .split(',')
          .filter((n) => n)
          .map(digits)
      )
      if (most > REGEX_COUNT) {
        this.regex = `a pattern repeats {${counted}} times; at most ${REGEX_COUNT}`
      }
    }
    const text = max(parts.slice(0, -1).map((part) => part.size))
    return BigInt(REGEX_STEPS) + (BigInt(length) * BigInt(REGEX_COUNT) * text) / CHARACTERS_PER_STEP
  }

  macro(node, expr, depth, macros) {
    this.macroDepth = Math.max(this.macroDepth, macros)
    const outer = new Map(this.scope)
    this.scope.set(expr.accuVar, newNode())
    const down = (part) => this.node(part, depth + 1, macros)
    const range = down(expr.iterRange) // the variable is one of its entries
    node.children.push(range)
    const each = newNode()
    each.size = each.entry = range.entry
    this.scope.set(expr.iterVar, each)
    node.entries = range.entries
    node.children.push(down(expr.accuInit))
    node.copies = expr.accuInit.op === 'list' // map or filter
    node.looped.push(down(expr.condition))
    const step = down(expr.step)
    node.looped.push(step)
    if (node.copies) {
      // the step adds [entry] to the list made
      node.entry = step.size
      node.size = (node.entries > 1n ? node.entries : 1n) * node.entry
      this.scope.set(expr.accuVar, node) // what the result reads
    }
    node.children.push(down(expr.result))
    this.scope = outer
  }

  literalOf(entries) {
    this.literal = Math.max(this.literal, entries)
    this.entries += BigInt(entries)
  }
}

// Steps of a node and all below it; `entries` bounds the length of any list in the rule.
function cost(node, entries) {
  const read = node.children.length ? sum(node.children.map((child) => child.size)) : 0n
  let steps = node.weight + read / CHARACTERS_PER_STEP
  for (const child of node.children) steps += cost(child, entries)
  if (node.looped.length) {
    const perEntry = sum(node.looped.map((child) => cost(child, entries)))
    steps += entries * (perEntry + (node.copies ? entries : 0n))
  }
  return steps
}

function sum(values) {
  return values.reduce((a, b) => a + b, 0n)
}

function max(values, empty) {
  if (values.length === 0) return empty
  return values.reduce((a, b) => (b > a ? b : a))
}

// The value of a run of decimal digits of any script, as Python's int() reads it: every
// Unicode digit stands in a run of ten from 0 to 9.
function digits(text) {
  let value = 0
  for (const ch of text) {
    const code = ch.codePointAt(0)
    let start = code
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--
    value = value * 10 + ((code - start) % 10)
  }
  return value
}
