// A policy's rules checked as the Python reader checks them (rules.py `check_rule`): each rule
// within its length, parsed by CEL's grammar (syntax.js), type-checked against the declared
// facts and `platform` by the runtime that decides (cel-js, through rules.js `environment`) and
// giving a bool, within the limits of its shape (measure.js). Where cel-js takes a rule cel-cpp
// (Python's CEL) refuses, the rule is refused too: a function cel-cpp does not have, an order of
// an int and a double, a map's key of another type, `has` of a text's or number's field. The
// signs cel-cpp's parser cancels (`!!x` is `x`) are left out before cel-js reads the rule, as
// rules.js does to decide. docs/format.md lists what is left.

import {environment} from './rules.js'
import {RULE_LENGTH, problem, tooDeep, tooLong} from './limits.js'
import {measure} from './measure.js'
import {SyntaxProblem, parseRule, withoutCancelledSigns} from './syntax.js'

/** Functions of cel-cpp's standard environment: called on their own, and on a value. */
const FUNCTIONS = new Set(
  'size int uint double string bytes bool dyn type timestamp duration matches'.split(' ')
)
const METHODS = new Set(
  (
    'size contains startsWith endsWith matches getFullYear getMonth getDate ' +
    'getDayOfMonth getDayOfWeek getDayOfYear getHours getMinutes getSeconds ' +
    'getMilliseconds'
  ).split(' ')
)
/** Names cel-js declares that cel-cpp does not: its namespaces. */
const UNDECLARED = new Set(['cel', 'optional'])
const NUMBERS = new Set(['int', 'uint', 'double'])
const ORDER = {'<': '_<_', '<=': '_<=_', '>': '_>_', '>=': '_>=_'}

/**
 * A checker of one policy's rules: `check(expression)` gives `{problem, cost}`: the first
 * problem of the rule (null when it is fine) and the steps it may take (a BigInt, 0n for a rule
 * with a problem).
 * @param {Array<{name: string, type: string}>} facts the declared facts
 */
export function ruleChecker(facts) {
  const types = Object.fromEntries(facts.map((fact) => [fact.name, fact.type]))
  const declared = [...facts.map((fact) => fact.name), 'platform']
  let env = null
  return (expression) => {
    env ??= environment(facts)
    const found = checkRule(env, expression, types, declared)
    return typeof found === 'string' ? {problem: found, cost: 0n} : {problem: null, cost: found}
  }
}

// The rule's first problem, or the steps it may take.
function checkRule(env, expression, types, declared) {
  if ([...expression].length > RULE_LENGTH) return tooLong(expression)
  let tree = null
  let syntax = null
  try {
    tree = parseRule(expression)
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error
    if (error.deep) return tooDeep()
    syntax = error
  }
  let checked
  let parsed
  try {
    parsed = env.parse(withoutCancelledSigns(expression))
    checked = parsed.check()
  } catch (error) {
    checked = {valid: false, error}
  }
  if (!checked.valid) return described(checked.error, declared)
  if (syntax !== null) return syntax.message
  const refused = unknown(tree, new Set(declared)) ?? typed(parsed.ast)
  if (refused !== null) return refused
  if (checked.type !== 'bool') return `the rule gives ${checked.type}, expected a bool`
  const shape = measure(tree, types)
  return problem(shape) ?? shape.cost
}

// cel-js's words for a rule it refuses, on one line, with the hints Python gives.
function described(error, declared) {
  const message = String(error?.summary ?? error?.message ?? error).split('\n')[0]
  if (error?.code === 'unknown_variable') {
    return `${message} (declared facts: ${declared.join(', ')})`
  }
  if (/\bint\b.*\bdouble\b|\bdouble\b.*\bint\b/.test(message)) {
    return `${message} (CEL does not mix int and double: write 5.0, not 5, for a double)`
  }
  return message
}

// A function or namespace of cel-js that cel-cpp does not know, in the tree syntax.js makes.
function unknown(node, declared) {
  if (node === null || typeof node !== 'object') return null
  if (node.op === 'call' && !/^[_@!-]/.test(node.fn)) {
    const known = node.target === null ? FUNCTIONS : METHODS
    if (!known.has(node.fn)) return `undeclared reference to '${node.fn}'`
  }
  if (node.op === 'ident' && UNDECLARED.has(node.name) && !declared.has(node.name)) {
    return `undeclared reference to '${node.name}' (declared facts: ${[...declared].join(', ')})`
  }
  const parts = Array.isArray(node) ? node : Object.values(node)
  for (const part of parts) {
    const found = typeof part === 'object' ? unknown(part, declared) : null
    if (found !== null) return found
  }
  return null
}

// What cel-js's type checker takes and cel-cpp's does not, read from cel-js's checked tree,
// where each node knows its type: an order of two numbers of different types
// (`double_fact > 1`), a map's entry by a key of another type (`{"a": 1}[1]`), `has` of a
// field of a value that has none (`has(text_fact.x)`).
function typed(ast) {
  const walk = (node) => {
    if (node === null || typeof node !== 'object') return null
    if (Array.isArray(node)) {
      for (const each of node) {
        const found = walk(each)
        if (found !== null) return found
      }
      return null
    }
    if (ORDER[node.op] !== undefined) {
      const [left, right] = node.args.map((arg) => arg?.checkedType?.name)
      if (NUMBERS.has(left) && NUMBERS.has(right) && left !== right) {
        return `found no matching overload for '${ORDER[node.op]}' applied to '(${left}, ${right})'`
      }
    }
    if (node.op === '[]') {
      const [map, key] = node.args.map((arg) => arg?.checkedType)
      const [expected, given] = [map?.keyType?.name, key?.name]
      const known = (type) => type !== 'dyn' && !map.keyType.hasPlaceholderType
      if (map?.kind === 'map' && known(expected) && given !== 'dyn' && expected !== given) {
        return `found no matching overload for '_[_]' applied to '(${map.name}, ${given})'`
      }
    }
    if (node.op === 'call' && node.args[0] === 'has') {
      let operand = node.args[1][0]
      while (operand?.op === '.') operand = operand.args[0]
      const type = operand?.checkedType
      if (type !== undefined && !['map', 'dyn', 'message'].includes(type.kind)) {
        return `expression of type '${type.name}' cannot be the operand of a select operation`
      }
    }
    return typeof node.op === 'string' ? walk(node.args) : null
  }
  return walk(ast)
}
