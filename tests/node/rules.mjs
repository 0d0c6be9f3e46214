// Rules checked as the JavaScript package checks them, for tests/test_js_rules.py.
// Usage: node rules.mjs < [{rule, facts: [{name, type}, …]}, …]  →  [{problem, cost}, …]
import {readFileSync} from 'node:fs'
import {ruleChecker} from '../../js/src/check-rule.js'

const cases = JSON.parse(readFileSync(0, 'utf8'))
const found = cases.map(({rule, facts}) => {
  const {problem, cost} = ruleChecker(facts)(rule)
  return {problem, cost: String(cost)}
})
process.stdout.write(JSON.stringify(found))
