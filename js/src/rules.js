// CEL rules: the environment a policy's `when` expressions are checked and evaluated in, the
// facts each rule reads, and a rule's value for a request: true, false or null (open).
//
// CEL is @marcbachmann/cel-js. Where it evaluates differently from cel-cpp, the CEL of the
// Python reference (cel-expr-python), a rule's checked syntax tree is adjusted once when it is
// compiled (`adjust` below), so that a rule gives the same value, or fails or stays open, for
// every request. The adjustments use parts of the runtime beyond its documented API (a node's
// `evaluate` and `handle`); `selfTest` proves them on the installed version before the first
// rule is compiled, and refuses to decide with a version where they do not hold.

import {Environment} from '@marcbachmann/cel-js'
import {doubleText, parseDouble, uintDigits, uintRange, utf8Text} from './conversions.js'
import {matches} from './regex.js'
import {RESERVED, withoutCancelledSigns} from './syntax.js'

export const PLATFORM = 'platform'

/** The macros of CEL whose first argument names a variable of their own. */
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter'])

/** Names cel-js refuses to declare: CEL's reserved words, and two that JavaScript objects
 * carry. A fact named so is refused by the check of a policy (check.js), which checks the rules
 * without it; a policy that is decided by has none. */
const UNDECLARABLE = new Set([...RESERVED, '__proto__', 'prototype'])

const INT_MIN = -(2n ** 63n)
const INT_MAX = 2n ** 63n - 1n
const TWO_63 = 2 ** 63

/** A rule that failed for a request for another reason than a missing fact. */
export class RuleFailure extends Error {
  /** @param {string} detail what went wrong, in CEL's words */
  constructor(detail) {
    super(detail)
    this.name = 'RuleFailure'
  }
}

/**
 * The CEL environment of a policy: one variable per declared fact, of its type, and `platform`
 * (a string); the standard functions, with `matches` (either form) by RE2's rules (regex.js);
 * list and map literals may mix types, as in cel-cpp.
 * @param {Array<{name: string, type: string}>} facts
 */
export function environment(facts) {
  const env = new Environment({homogeneousAggregateLiterals: false})
  for (const {name, type} of facts) {
    if (name !== PLATFORM && !UNDECLARABLE.has(name)) env.registerVariable(name, type)
  }
  env.registerVariable(PLATFORM, 'string')
  env.registerFunction('matches(string, string): bool', (text, pattern) => search(text, pattern))
  return env
}

/** One compiled `when`: its value for a request, and the facts it reads. */
export class Rule {
  /**
   * @param {Environment} env the policy's environment
   * @param {string} expression the CEL source
   * @param {string[]} declared the declared facts, in order
   */
  constructor(env, expression, declared) {
    selfTest()
    this.expression = expression
    let program
    try {
      program = env.parse(withoutCancelledSigns(expression))
    } catch (error) {
      throw new RuleFailure(summary(error)) // does not parse
    }
    const checked = program.check()
    if (!checked.valid) throw new RuleFailure(summary(checked.error))
    if (checked.type !== 'bool')
      throw new RuleFailure(`the rule gives ${checked.type}, expected a bool`)
    adjust(program.ast)
    this.program = program
    const read = freeVariables(program.ast)
    /** The facts the rule reads, in declared order, `platform` last. */
    this.needs = [...declared.filter((name) => name !== PLATFORM), PLATFORM].filter((name) =>
      read.has(name)
    )
    this._alone = undefined // the value when none of `needs` is given, once known
  }

  /**
   * The rule's value for a request's values (facts by name as CEL takes them, and `platform`
   * where given): true, false, or null when a fact it needs is missing and CEL's commutative
   * logic cannot decide without it. Throws RuleFailure when the rule fails otherwise.
   * @param {Record<string, unknown>} values
   * @returns {boolean | null}
   */
  evaluate(values) {
    let given = false
    for (const name of this.needs) if (Object.hasOwn(values, name)) given = true
    // A rule that reads nothing of the request has the same value (or failure) for every such
    // request: it is evaluated once.
    const found = given ? this._value(values) : (this._alone ??= this._value(Object.create(null)))
    if (found.failure !== undefined) throw found.failure
    return found.value
  }

  /** The rule's value for these values: {value} (true, false, or null: open) or {failure}. */
  _value(values) {
    let result
    // A missing fact is an exception in the runtime: without a stack it costs a tenth.
    const stack = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
      result = this.program(values)
    } catch (error) {
      const name = error?.code === 'unknown_variable' ? error.node?.args : undefined
      if (this.needs.includes(name) && !Object.hasOwn(values, name)) return {value: null}
      return {failure: new RuleFailure(summary(error))}
    } finally {
      Error.stackTraceLimit = stack
    }
    if (result === true || result === false) return {value: result}
    return {failure: new RuleFailure(`the rule gave ${typeof result}, not a bool`)}
  }
}

function summary(error) {
  return String(error?.summary ?? error?.message ?? error).split('\n')[0]
}

/**
 * The names an expression reads: its free identifiers, not the variables of its macros
 * (`list.exists(x, …)`), member names (`x.size()`, `m.field`) or words in string literals.
 * @param {object} ast a node of the runtime's syntax tree
 * @returns {Set<string>}
 */
export function freeVariables(ast) {
  const found = new Set()
  const walk = (node, bound) => {
    if (Array.isArray(node)) {
      for (const each of node) walk(each, bound)
      return
    }
    if (node === null || typeof node !== 'object' || typeof node.op !== 'string') return
    switch (node.op) {
      case 'value':
        return
      case 'id':
        if (!bound.has(node.args)) found.add(node.args)
        return
      case '.':
      case '.?':
        walk(node.args[0], bound) // args[1] is the member's name
        return
      case 'call':
        walk(node.args[1], bound)
        return
      case 'rcall': {
        const [name, receiver, args] = node.args
        walk(receiver, bound)
        if (MACROS.has(name) && args.length >= 2 && args[0]?.op === 'id') {
          walk(args.slice(1), new Set(bound).add(args[0].args))
        } else if (name === 'bind' && receiver?.op === 'id' && args[0]?.op === 'id') {
          walk(args[1], bound) // cel.bind(name, value, expression)
          walk(args.slice(2), new Set(bound).add(args[0].args))
        } else {
          walk(args, bound)
        }
        return
      }
      case 'map':
        for (const [key, value] of node.args) walk([key, value], bound)
        return
      default:
        walk(node.args, bound)
    }
  }
  walk(ast, new Set())
  return found
}

// How a checked rule is adjusted to evaluate as cel-cpp does:
//
// - `&&` and `||`: where both sides fail, the left side's error is the result (the runtime
//   gives the right side's), so `missing && 1 / 0 > 1` is open and `1 / 0 > 1 && missing` fails;
//   a false (true) on either side still decides.
// - function arguments, a method's receiver and list elements are evaluated from left to
//   right, so that the first one that fails is the error (the runtime goes right to left).
// - int `-x`, `x / y` and `x % y` fail with an overflow beyond 64 bits (the runtime gives a
//   number beyond 64 bits); `int(double)` fails outside the int range; `int(string)` takes what
//   cel-cpp takes (spaces around, a sign), and fails for an empty text.
// - `string(double)` writes cel-cpp's digits (`1e+20`, `inf`); `double(string)` reads what
//   cel-cpp reads (spaces around, `0x1p3`, `nan(…)`); `uint(string)` takes spaces and a `+`;
//   `uint(double)` fails below 0; `string(bytes)` fails for bytes that are not UTF-8
//   (conversions.js).
// - the signs cel-cpp's parser cancels (`!!x`, `--x`) are left out before cel-js parses the rule
//   (syntax.js `withoutCancelledSigns`).
// - strings compare by code point (the runtime compares UTF-16 code units).
// - filter() and exists_one(): where the predicate fails for several elements, the last
//   failure is the result (the runtime stops at the first).
// - `text.matches(pattern)` matches by RE2's rules (regex.js), as `matches(text, pattern)` does.

const RELATIONS = new Set(['<', '<=', '>', '>='])

/** Adjust every node of a checked rule's syntax tree (see above), the innermost first. */
function adjust(node) {
  if (Array.isArray(node)) {
    for (const each of node) adjust(each)
    return
  }
  if (node === null || typeof node !== 'object' || typeof node.op !== 'string') return
  if (node.op === 'map') for (const entry of node.args) adjust(entry)
  else adjust(node.args)
  const expanded = node.meta?.alternate ?? node.meta?.macro
  switch (node.op) {
    case '&&':
      node.evaluate = logic(false)
      break
    case '||':
      node.evaluate = logic(true)
      break
    case 'call':
      if (!expanded) {
        node.evaluate = callInOrder
        const convert = CONVERSIONS[node.args[0]]
        if (convert !== undefined) wrap(node, convert)
      }
      break
    case 'rcall':
      if (!expanded) {
        node.evaluate = methodInOrder
        if (node.args[0] === 'matches') wrap(node, matchesMethod)
      } else if (LAST_FAILURE.has(node.args[0]) && node.meta.alternate?.op === 'comprehension') {
        lastFailureWins(node.meta.alternate, node.args[2][1])
      }
      break
    case 'list':
      if (!expanded && node.args.some((element) => element.op !== 'value'))
        node.evaluate = listInOrder
      break
    case '/':
    case '%':
      wrap(node, checkedDivision)
      break
    case '-_':
      wrap(node, checkedNegation)
      break
    default:
      if (RELATIONS.has(node.op)) wrap(node, codePointOrder)
  }
}

/** The macros whose predicate failing for two elements gives the later failure in cel-cpp. */
const LAST_FAILURE = new Set(['filter', 'exists_one'])

/** A node's evaluation as it stands: an adjusted one, its expansion's, or its operator's. */
function currentEvaluate(node) {
  if (Object.hasOwn(node, 'evaluate')) return node.evaluate
  const {alternate, macro, evaluate} = node.meta
  if (alternate) return (ev, ast, ctx) => alternate.evaluate(ev, alternate, ctx)
  if (macro) return (ev, ast, ctx) => macro.evaluate(ev, macro, ctx)
  if (typeof evaluate !== 'function') throw unsupported(`no evaluation on a '${node.op}' node`)
  return evaluate
}

/** filter() and exists_one() go through every element; where the predicate fails for some,
 * the last failure is the result (cel-cpp's `p ? … : accu` keeps the latest error). */
function lastFailureWins(comprehension, predicate) {
  const test = currentEvaluate(predicate)
  const loop = currentEvaluate(comprehension)
  let failure
  predicate.evaluate = function evaluate(ev, ast, ctx) {
    try {
      return test.call(this, ev, ast, ctx)
    } catch (error) {
      failure = error
      return false
    }
  }
  comprehension.evaluate = function evaluate(ev, ast, ctx) {
    const outer = failure
    failure = undefined
    try {
      const result = loop.call(this, ev, ast, ctx)
      if (failure !== undefined) throw failure
      return result
    } finally {
      failure = outer
    }
  }
}

/** Put `make(original)` in place of a checked node's handler. */
function wrap(node, make) {
  const original = node.handle
  if (typeof original !== 'function') throw unsupported(`no handler on a '${node.op}' node`)
  node.handle = make(original)
}

function logic(decides) {
  return function evaluate(ev, ast, ctx) {
    const left = ev.tryEval(ast.args[0], ctx)
    if (left === decides) return decides
    const right = ev.tryEval(ast.args[1], ctx)
    if (right === decides) return right
    if (left === !decides && right === !decides) return !decides
    if (left instanceof Error) throw left
    if (right instanceof Error) throw right
    throw new RuleFailure(`no matching overload for '${ast.op}'`)
  }
}

function inOrder(ev, nodes, ctx) {
  const values = new Array(nodes.length)
  for (let i = 0; i < nodes.length; i++) values[i] = ev.run(nodes[i], ctx)
  return values
}

function callInOrder(ev, ast, ctx) {
  return ast.handle(inOrder(ev, ast.args[1], ctx), ast, ev)
}

function methodInOrder(ev, ast, ctx) {
  return ast.handle(inOrder(ev, ast.receiverWithArgs, ctx), ev, ast)
}

function listInOrder(ev, ast, ctx) {
  return inOrder(ev, ast.args, ctx)
}

const overflow = () => new RuleFailure('integer overflow')

function checkedDivision(original) {
  return (left, right, ast, ev) => {
    if (left === INT_MIN && right === -1n) throw overflow()
    return original(left, right, ast, ev)
  }
}

function checkedNegation(original) {
  return (value, ast, ev) => {
    if (value === INT_MIN) throw overflow()
    return original(value, ast, ev)
  }
}

function toInt(original) {
  return (args, ast, ev) => {
    const [value] = args
    if (typeof value === 'number') {
      if (!(value > -TWO_63 && value < TWO_63)) throw new RuleFailure('double out of int64 range')
      return BigInt(Math.trunc(value))
    }
    if (typeof value === 'string') {
      const found = /^[\t\n\v\f\r ]*([+-]?)([0-9]+)[\t\n\v\f\r ]*$/.exec(value)
      const number = found && BigInt(found[1] === '-' ? `-${found[2]}` : found[2])
      if (number === null || number < INT_MIN || number > INT_MAX) {
        throw new RuleFailure('cannot convert string to int')
      }
      return number
    }
    return original(args, ast, ev)
  }
}

function toUint(original) {
  return (args, ast, ev) => {
    const [value] = args
    if (typeof value === 'number' && !uintRange(value)) {
      throw new RuleFailure('double out of uint64 range')
    }
    if (typeof value === 'string') {
      const digits = uintDigits(value)
      if (digits === null) throw new RuleFailure('cannot convert string to uint')
      return original([digits], ast, ev)
    }
    return original(args, ast, ev)
  }
}

function toDouble(original) {
  return (args, ast, ev) => {
    const [value] = args
    if (typeof value !== 'string') return original(args, ast, ev)
    const number = parseDouble(value)
    if (number === null) throw new RuleFailure('cannot convert string to double')
    return number
  }
}

function toText(original) {
  return (args, ast, ev) => {
    const [value] = args
    if (typeof value === 'number') return doubleText(value)
    if (value instanceof Uint8Array) {
      const text = utf8Text(value)
      if (text === null) throw new RuleFailure('malformed UTF-8 bytes')
      return text
    }
    return original(args, ast, ev)
  }
}

/** The conversions adjusted, by name. */
const CONVERSIONS = {int: toInt, uint: toUint, double: toDouble, string: toText}

function codePointOrder(original) {
  return (left, right, ast, ev) => {
    if (typeof left !== 'string' || typeof right !== 'string') return original(left, right, ast, ev)
    const order = compareCodePoints(left, right)
    switch (ast.op) {
      case '<':
        return order < 0
      case '<=':
        return order <= 0
      case '>':
        return order > 0
      default:
        return order >= 0
    }
  }
}

/** Compare two strings by code point, as CEL does (JavaScript compares UTF-16 code units). */
export function compareCodePoints(a, b) {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return codePointRank(x) - codePointRank(y)
  }
  return a.length - b.length
}

/** A UTF-16 code unit's place in code point order: a surrogate (half of a code point beyond
 * U+FFFF) sorts after U+E000..U+FFFF. */
function codePointRank(unit) {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000
  return unit >= 0xe000 ? unit - 0x800 : unit
}

function matchesMethod(original) {
  return (args, ev, ast) => {
    const [text, pattern] = args
    if (typeof text !== 'string' || typeof pattern !== 'string') return original(args, ev, ast)
    return search(text, pattern)
  }
}

function search(text, pattern) {
  try {
    return matches(text, pattern)
  } catch (error) {
    throw error instanceof Error ? error : new RuleFailure(String(error))
  }
}

function unsupported(why) {
  return new Error(
    'kontaktcharta: this version of @marcbachmann/cel-js does not evaluate as kontaktcharta ' +
      `needs (${why}); install a version the package.json of kontaktcharta allows`
  )
}

let tested = false

/** Prove the adjustments on the installed runtime once, before the first rule is compiled. */
function selfTest() {
  if (tested) return
  const env = environment([
    {name: 'a', type: 'int'},
    {name: 'b', type: 'bool'},
    {name: 's', type: 'string'},
    {name: 'd', type: 'double'}
  ])
  const declared = ['a', 'b', 's', 'd']
  tested = true // the rules below are compiled with the adjustments to be proved
  const cases = [
    ['b && 1 / a > 0', {a: 0n}, null],
    ['1 / a > 0 && b', {a: 0n}, 'fails'],
    ['b || 1 / a > 0', {a: 0n, b: true}, true],
    ['1 / a > 0 || b', {a: 0n, b: true}, true],
    ['s.contains(string(1 / a))', {a: 0n}, null],
    ['[s, string(1 / a)].size() > 0', {a: 0n}, null],
    ['-a < 0', {a: INT_MIN}, 'fails'],
    ['a / -1 > 0', {a: INT_MIN}, 'fails'],
    ['a % -1 == 0', {a: INT_MIN}, 'fails'],
    ['int(d) > 0', {d: 1e19}, 'fails'],
    ['int(s) == 5', {s: ' +5'}, true],
    ['uint(s) == 5u && uint(d) == 0u', {s: ' +5', d: -0}, true],
    ['uint(d) == 0u', {d: -0.5}, 'fails'],
    ['double(s) == 16.0 && string(d) == "1e+20"', {s: ' 0x10', d: 1e20}, true],
    ['string(b"\\xff") == s', {s: ''}, 'fails'],
    ['--a == a && !!b', {a: INT_MIN, b: true}, true],
    ['s < "\uffff"', {s: '\u{1f44b}'}, false],
    ['[1, 2].exists(x, x == a) && !b', {a: 2n, b: false}, true],
    ['[0, 1].filter(x, x == 0 ? 1 / x > 0 : b).size() > 0', {}, null],
    ['[0, 1].exists_one(x, x == 1 ? 1 / (x - 1) > 0 : b)', {}, 'fails']
  ]
  for (const [expression, values, expected] of cases) {
    let found
    try {
      found = new Rule(env, expression, declared).evaluate(values)
    } catch (error) {
      if (!(error instanceof RuleFailure)) {
        tested = false
        throw unsupported(`${expression}: ${error.message}`)
      }
      found = 'fails'
    }
    if (found !== expected) {
      tested = false
      throw unsupported(`${expression} gave ${found}, expected ${expected}`)
    }
  }
}
