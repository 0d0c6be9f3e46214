// Policies as the JavaScript package checks and decides them, and its conversions of numbers,
// for tests/test_portable_rules.py.
//
//   node tests/node/portable.mjs < {groups: [{policy, requests}], doubles: [], texts: []}
//
// Prints {groups: [{problems: [{path, message}]} or {outcomes: [{result} or {error}]}],
// doubles: [string(double) for each], texts: [[double(text), uint(text)]]}: a double as JavaScript
// writes it (`-0`, `NaN`, `Infinity`), a uint's digits, null where the conversion fails.
// The requests are read as JSON gives them (integers exact, `2.0` a double).

import {readFileSync} from 'node:fs'
import {RuleError, checkPolicy, compile, parseJSON} from '../../js/src/index.js'
import {doubleText, parseDouble, uintDigits} from '../../js/src/conversions.js'

const text = readFileSync(0, 'utf8')
const given = JSON.parse(text)
const exact = parseJSON(text)

const outcome = (policy, request) => {
  try {
    return {result: policy.decide(request, {integers: 'bigint'})}
  } catch (error) {
    if (error instanceof RuleError) return {error: {kind: 'rule', criterion: error.criterion}}
    throw error
  }
}

const groups = given.groups.map(({policy}, g) => {
  const problems = checkPolicy(policy)
  if (problems.length > 0) return {problems}
  const compiled = compile(policy)
  return {outcomes: exact.groups[g].requests.map((request) => outcome(compiled, request))}
})
const number = (value) => (value === null ? null : Object.is(value, -0) ? '-0' : String(value))
process.stdout.write(
  JSON.stringify({
    groups,
    doubles: given.doubles.map(doubleText),
    texts: given.texts.map((t) => [number(parseDouble(t)), uintDigits(t)])
  })
)
