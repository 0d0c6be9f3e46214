// CEL's `matches` with RE2's meaning, the regular expressions of the Python reference's CEL.
//
// A pattern in the portable subset (docs/format.md, "Patterns (matches)") is matched exactly as
// RE2 matches it: literals and escaped punctuation, `.` (any character but a line break),
// classes with ranges, RE2's ASCII `\d \w \s` and their opposites, `\b \B`, `^ $` (the text's
// start and end), groups, alternation, the repetitions `* + ? {n} {n,} {n,m}` (lazy ones too),
// the escapes `\a \f \t \n \r \v \xHH \x{H…}`, and a leading `(?i)`. It is matched by a small
// automaton that reads each character once per state, as RE2 does, never by backtracking, so a
// pattern from anyone takes time in proportion to its text. A pattern outside the subset is not
// matched at all: `matches` throws, naming what it uses (src/kontaktcharta/portable.py is the
// same check, which the build warns by).

const PERL = {
  d: [[0x30, 0x39]],
  w: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a]
  ],
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20]
  ]
}
const CONTROLS = {a: 0x07, f: 0x0c, t: 0x09, n: 0x0a, r: 0x0d, v: 0x0b}
const REPEAT = /^\{(0|[1-9][0-9]{0,8})(,(0|[1-9][0-9]{0,8})?)?\}/ // as RE2 reads a count
const MOST = 1000 // RE2's largest count of a repetition, and of repetitions inside one another
const KEPT = 256 // compiled patterns kept

/** A pattern outside the portable subset, with what it uses. */
export class NotPortable extends Error {
  constructor(construct) {
    super(`the pattern uses ${construct}, which is not in the portable subset of RE2`)
    this.construct = construct
  }
}

/** Why a pattern is not in the portable subset (the construct it uses), or null. */
export function portable(pattern) {
  try {
    parse(pattern)
    return null
  } catch (error) {
    if (error instanceof NotPortable) return error.construct
    throw error
  }
}

const compiled = new Map()

/** Whether `pattern` matches anywhere in `text`, as RE2 says; NotPortable where it cannot. */
export function matches(text, pattern) {
  let program = compiled.get(pattern)
  if (program === undefined) {
    const {tree, fold} = parse(pattern)
    program = new Compiler(fold).program(tree)
    if (compiled.size >= KEPT) compiled.clear()
    compiled.set(pattern, program)
  }
  return run(
    program,
    Array.from(text, (ch) => ch.codePointAt(0))
  )
}

// -- the syntax -------------------------------------------------------------------------------

/** The tree of a portable pattern and whether it folds case; NotPortable where it is not. */
function parse(pattern) {
  const chars = Array.from(pattern, (ch) => ch.codePointAt(0))
  const fold = pattern.startsWith('(?i)')
  const parser = new Parser(chars, fold ? 4 : 0)
  const tree = parser.alternation()
  if (parser.at < chars.length) throw new NotPortable('a ) without its (')
  repetitions(tree)
  return {tree, fold}
}

class Parser {
  constructor(chars, at) {
    this.chars = chars
    this.at = at
  }

  peek(offset = 0) {
    return this.chars[this.at + offset]
  }

  is(text) {
    return String.fromCodePoint(...this.chars.slice(this.at, this.at + text.length)) === text
  }

  alternation() {
    const items = [this.concatenation()]
    while (this.peek() === 0x7c) {
      // |
      this.at++
      items.push(this.concatenation())
    }
    return items.length === 1 ? items[0] : {t: 'alt', items}
  }

  concatenation() {
    const items = []
    while (this.at < this.chars.length && this.peek() !== 0x7c && this.peek() !== 0x29) {
      items.push(this.repeated())
    }
    return {t: 'cat', items}
  }

  // An atom and its repetition, if any: `x*`, `x{2,5}?`.
  repeated() {
    const atom = this.atom()
    const count = this.repetition()
    if (count === null) return atom
    if (atom.t === 'assert') throw new NotPortable('a repetition of ^, $, \\b or \\B')
    if (this.peek() === 0x3f) this.at++ // lazy: the same for whether it matches
    if (this.repetition() !== null) throw new NotPortable('a repetition of a repetition')
    return {t: 'repeat', min: count[0], max: count[1], body: atom}
  }

  // The counts of a repetition here, consumed; or null.
  repetition() {
    const ch = this.peek()
    if (ch === 0x2a || ch === 0x2b || ch === 0x3f) {
      // * + ?
      this.at++
      return ch === 0x2a ? [0, Infinity] : ch === 0x2b ? [1, Infinity] : [0, 1]
    }
    const found = ch === 0x7b ? REPEAT.exec(this.rest()) : null
    if (found === null) return null
    this.at += found[0].length
    const min = Number(found[1])
    const max = found[2] === undefined ? min : found[3] === undefined ? Infinity : Number(found[3])
    if (min > MOST || (max !== Infinity && max > MOST)) {
      throw new NotPortable(`a repetition over ${MOST} times (${found[0]})`)
    }
    if (max < min) throw new NotPortable(`a repetition with its counts reversed (${found[0]})`)
    return [min, max]
  }

  rest() {
    return String.fromCodePoint(...this.chars.slice(this.at))
  }

  atom() {
    const ch = this.peek()
    if (ch === 0x28) return this.group() // (
    if (ch === 0x2a || ch === 0x2b || ch === 0x3f) throw new NotPortable('a repetition of nothing')
    if (ch === 0x7b && REPEAT.test(this.rest())) throw new NotPortable('a repetition of nothing')
    this.at++
    if (ch === 0x2e) return {t: 'any'} // .
    if (ch === 0x5e) return {t: 'assert', kind: 'begin'} // ^
    if (ch === 0x24) return {t: 'assert', kind: 'end'} // $
    if (ch === 0x5b) return this.characterClass() // [
    if (ch === 0x5c) return this.escape(false) // \
    return {t: 'char', c: ch}
  }

  group() {
    this.at++
    if (this.peek() === 0x3f) {
      // (?
      if (this.is('?:')) {
        this.at++
      } else if (this.is('?=') || this.is('?!') || this.is('?<=') || this.is('?<!')) {
        throw new NotPortable('a lookaround (?= (?! (?<= (?<!')
      } else if (this.is('?P') || this.is('?<')) {
        throw new NotPortable('a named group')
      } else if (/^\?[A-Za-z-]*[:)]/.test(this.rest())) {
        const flags = /^\?[A-Za-z-]*[:)]/.exec(this.rest())[0]
        throw new NotPortable(`the flags (${flags}, other than a leading (?i)`)
      } else {
        throw new NotPortable('a group of another kind, (?')
      }
      this.at++
    }
    const body = this.alternation()
    if (this.peek() !== 0x29) throw new NotPortable('a ( without its )')
    this.at++
    return {t: 'group', body}
  }

  // `[…]` or `[^…]`: ranges, characters and \d \w \s and their opposites; a `]` first is one.
  characterClass() {
    const negated = this.peek() === 0x5e
    if (negated) this.at++
    const items = []
    for (let first = true; ; first = false) {
      if (this.at >= this.chars.length) throw new NotPortable('a [ without its ]')
      const ch = this.peek()
      if (ch === 0x5d && !first) {
        this.at++
        return {t: 'class', negated, items}
      }
      if (ch === 0x5b && this.peek(1) === 0x3a) throw new NotPortable('a POSIX class [:…:]')
      const low = this.classAtom()
      if (this.peek() === 0x2d && this.peek(1) !== undefined && this.peek(1) !== 0x5d) {
        this.at++
        const high = this.classAtom()
        if (low.t !== 'char' || high.t !== 'char') {
          throw new NotPortable('a range with \\d, \\w or \\s at an end')
        }
        if (low.c > high.c) throw new NotPortable('a range with its ends reversed')
        items.push({t: 'range', low: low.c, high: high.c})
      } else {
        items.push(low)
      }
    }
  }

  classAtom() {
    const ch = this.peek()
    this.at++
    return ch === 0x5c ? this.escape(true) : {t: 'char', c: ch}
  }

  // What follows a backslash.
  escape(inClass) {
    const ch = this.peek()
    if (ch === undefined) throw new NotPortable('a \\ at the end')
    this.at++
    const letter = String.fromCodePoint(ch)
    if ('dDwWsS'.includes(letter)) return {t: 'perl', name: letter}
    if (letter === 'b' || letter === 'B') {
      if (inClass) throw new NotPortable('\\b in a class')
      return {t: 'assert', kind: letter === 'b' ? 'word' : 'notword'}
    }
    if (letter in CONTROLS) return {t: 'char', c: CONTROLS[letter]}
    if (letter === 'x') return this.hex()
    if (letter === 'p' || letter === 'P') throw new NotPortable('a Unicode class \\p or \\P')
    if (letter === 'Q') throw new NotPortable('a quotation \\Q…\\E')
    if (letter === 'A' || letter === 'z') throw new NotPortable('a text anchor \\A or \\z')
    if (letter === 'C') throw new NotPortable('\\C')
    if (ch >= 0x30 && ch <= 0x39) throw new NotPortable('an octal escape or back reference \\0–\\9')
    if (ch < 0x80 && !/[A-Za-z]/.test(letter)) return {t: 'char', c: ch}
    throw new NotPortable(`an escape RE2 does not know, \\${letter}`)
  }

  // `\xHH` or `\x{H…}`.
  hex() {
    const found = /^(?:\{([0-9A-Fa-f]{1,8})\}|([0-9A-Fa-f]{2}))/.exec(this.rest())
    const value = found === null ? NaN : parseInt(found[1] ?? found[2], 16)
    if (!(value <= 0x10ffff)) throw new NotPortable('a \\x escape RE2 does not read')
    this.at += found[0].length
    return {t: 'char', c: value}
  }
}

// RE2 refuses repetitions inside one another that repeat something more than 1000 times: its
// RepetitionWalker divides 1000 by each count on the way down (re2/parse.cc).
function repetitions(node) {
  const parts = (n) => n.items ?? (n.body ? [n.body] : [])
  const left = (n, most) => {
    if (n.t === 'repeat') {
      const count = n.max === Infinity ? n.min : n.max
      if (count > 0) most = Math.floor(most / count)
    }
    return Math.min(most, ...parts(n).map((part) => left(part, most)))
  }
  if (node.t === 'repeat' && (node.min >= 2 || node.max >= 2) && left(node, MOST) === 0) {
    throw new NotPortable(`repetitions inside one another over ${MOST} times`)
  }
  parts(node).forEach(repetitions)
}

// -- the automaton ----------------------------------------------------------------------------

// Instructions: {op: 'char', test}, {op: 'split', to: [a, b]}, {op: 'jump', to}, {op: 'assert',
// kind}, {op: 'match'}.
class Compiler {
  constructor(fold) {
    this.fold = fold
    this.code = []
  }

  program(tree) {
    this.emit(tree)
    this.code.push({op: 'match'})
    return this.code
  }

  emit(node) {
    const code = this.code
    switch (node.t) {
      case 'cat':
        for (const item of node.items) this.emit(item)
        return
      case 'group':
        return this.emit(node.body)
      case 'alt': {
        const jumps = []
        node.items.forEach((item, i) => {
          if (i === node.items.length - 1) return this.emit(item)
          const split = {op: 'split', to: [code.length + 1, null]}
          code.push(split)
          this.emit(item)
          const jump = {op: 'jump', to: null}
          jumps.push(jump)
          code.push(jump)
          split.to[1] = code.length
        })
        for (const jump of jumps) jump.to = code.length
        return
      }
      case 'repeat':
        return this.repeat(node)
      case 'assert':
        code.push({op: 'assert', kind: node.kind})
        return
      default:
        code.push({op: 'char', test: this.test(node)})
    }
  }

  repeat({min, max, body}) {
    const code = this.code
    for (let i = 0; i < min; i++) this.emit(body)
    if (max === Infinity) {
      const split = {op: 'split', to: [code.length + 1, null]}
      const loop = code.length
      code.push(split)
      this.emit(body)
      code.push({op: 'jump', to: loop})
      split.to[1] = code.length
      return
    }
    const splits = []
    for (let i = min; i < max; i++) {
      const split = {op: 'split', to: [code.length + 1, null]}
      splits.push(split)
      code.push(split)
      this.emit(body)
    }
    for (const split of splits) split.to[1] = code.length
  }

  // Whether a character fits an atom: by its code point, or folding case as RE2 does (the
  // same simple case folding as JavaScript's `ui` flags) for a pattern with (?i).
  test(node) {
    if (node.t === 'any') return (c) => c !== 0x0a
    const ranges = node.t === 'class' ? null : items([node])
    if (!this.fold) {
      if (ranges !== null) return (c) => within(ranges, c)
      const members = items(node.items)
      return (c) => within(members, c) !== node.negated
    }
    const source =
      node.t === 'class'
        ? `[${node.negated ? '^' : ''}${node.items.map(javascript).join('')}]`
        : `[${javascript(node)}]`
    const expression = new RegExp(`^${source}$`, 'ui')
    const seen = new Map()
    return (c) => {
      let fits = seen.get(c)
      if (fits === undefined) {
        fits = expression.test(String.fromCodePoint(c))
        seen.set(c, fits)
      }
      return fits
    }
  }
}

// The code point ranges of class items: [[low, high], …].
function items(list) {
  return list.flatMap((item) => {
    if (item.t === 'char') return [[item.c, item.c]]
    if (item.t === 'range') return [[item.low, item.high]]
    const ranges = PERL[item.name.toLowerCase()]
    return item.name === item.name.toLowerCase() ? ranges : complement(ranges)
  })
}

function complement(ranges) {
  const out = []
  let next = 0
  for (const [low, high] of ranges) {
    if (low > next) out.push([next, low - 1])
    next = high + 1
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff])
  return out
}

function within(ranges, c) {
  return ranges.some(([low, high]) => c >= low && c <= high)
}

// A class item in JavaScript's syntax, for a RegExp with the `ui` flags.
function javascript(item) {
  const code = (c) => `\\u{${c.toString(16)}}`
  if (item.t === 'char') return code(item.c)
  if (item.t === 'range') return `${code(item.low)}-${code(item.high)}`
  if ('dDwW'.includes(item.name)) return `\\${item.name}` // ASCII, as RE2's
  return items([item])
    .map(([low, high]) => `${code(low)}-${code(high)}`)
    .join('')
}

// Whether the program matches anywhere in the text: each position adds a thread at the start,
// each thread steps once per character (Pike's automaton, without captures), and the sets of
// threads met are kept with where each character takes them, as RE2's DFA keeps them. RE2
// reads UTF-8 and starts at every byte: inside a character of more than one byte only what
// matches nothing, there, can match (`\B`, where both sides are no word characters).
function run(code, text) {
  const dfa = (code.dfa ??= new Automaton(code))
  if (dfa.inside && text.some((c) => c >= 0x80)) return true
  let before = dfa.start
  for (let at = 0; ; at++) {
    const state = dfa.closed(before, context(text, at))
    if (state.matched) return true
    if (at >= text.length) return false
    before = dfa.step(state, text[at])
  }
}

// Where a position stands, for the assertions: at the start, at the end, after a word
// character, before one.
function context(text, at) {
  const word = (c) => c !== undefined && within(PERL.w, c)
  return (
    (at === 0 ? 1 : 0) |
    (at === text.length ? 2 : 0) |
    (word(text[at - 1]) ? 4 : 0) |
    (word(text[at]) ? 8 : 0)
  )
}

function holds(kind, where) {
  if (kind === 'begin') return (where & 1) !== 0
  if (kind === 'end') return (where & 2) !== 0
  const boundary = ((where & 4) !== 0) !== ((where & 8) !== 0)
  return kind === 'word' ? boundary : !boundary
}

const STATES = 10_000 // sets of threads kept; then they are made anew

// The sets of threads of one program: `before` a position (where the last character took
// them) and `closed` at it (what they reach there without reading), each made once.
class Automaton {
  constructor(code) {
    this.code = code
    this.sets = new Map()
    this.start = this.set([])
    const inside = closure(code, [0], (kind) => kind === 'notword')
    this.inside = inside.some((pc) => code[pc].op === 'match')
  }

  set(pcs) {
    const key = pcs.join(',')
    let found = this.sets.get(key)
    if (found === undefined) {
      if (this.sets.size >= STATES) this.sets.clear()
      found = {pcs, closed: new Map(), steps: new Map(), matched: false}
      this.sets.set(key, found)
    }
    return found
  }

  closed(before, where) {
    let state = before.closed.get(where)
    if (state === undefined) {
      const threads = closure(this.code, [...before.pcs, 0], (kind) => holds(kind, where))
      state = this.set(threads.sort((a, b) => a - b))
      state.matched = threads.some((pc) => this.code[pc].op === 'match')
      before.closed.set(where, state)
    }
    return state
  }

  step(state, c) {
    let after = state.steps.get(c)
    if (after === undefined) {
      const code = this.code
      const pcs = state.pcs.filter((pc) => code[pc].op === 'char' && code[pc].test(c))
      after = this.set(pcs.map((pc) => pc + 1))
      state.steps.set(c, after)
    }
    return after
  }
}

// The instructions that read a character or match, reached from these without reading one.
function closure(code, starts, holds) {
  const seen = new Set()
  const threads = []
  const add = (pc) => {
    if (seen.has(pc)) return
    seen.add(pc)
    const step = code[pc]
    if (step.op === 'jump') return add(step.to)
    if (step.op === 'split') {
      add(step.to[0])
      return add(step.to[1])
    }
    if (step.op === 'assert') {
      if (holds(step.kind)) add(pc + 1)
      return
    }
    threads.push(pc)
  }
  for (const pc of starts) add(pc)
  return threads
}
