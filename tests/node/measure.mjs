// The shape of rules as the JavaScript package measures them, for tests/test_js_measure.py.
// Usage: node measure.mjs < [{rule, facts}, …]  →  [{depth, macro_depth, literal, cost,
// largest, regex} or {problem}, …] (cost and largest as strings: they may pass 2^53).
import {readFileSync} from 'node:fs'
import {measure} from '../../js/src/measure.js'
import {parseRule, SyntaxProblem} from '../../js/src/syntax.js'

const shapes = JSON.parse(readFileSync(0, 'utf8')).map(({rule, facts}) => {
  try {
    const shape = measure(parseRule(rule), facts)
    return {
      depth: shape.depth,
      macro_depth: shape.macroDepth,
      literal: shape.literal,
      cost: String(shape.cost),
      largest: String(shape.largest),
      regex: shape.regex
    }
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error
    return {problem: error.message, deep: error.deep}
  }
})
process.stdout.write(JSON.stringify(shapes))
