// Decide requests with the JavaScript package (js/), for tests/test_js.py to compare with Python.
//
//   node tests/node/decide.mjs < groups.json
//
// groups.json: [{"policy": charta.json, "cases": [{"request": …, "name": "…" or null}]}]. The
// requests are read as JSON gives them (integers exact, `2.0` a double) and decided with
// `integers: 'bigint'`. Prints one JSON list per group, with per case {"result": decision} or
// {"error": {"kind": "request", "path"} | {"kind": "rule", "criterion"} | {"kind": "message"}}.

import {readFileSync} from 'node:fs'
import {MessageTooLong, RequestError, RuleError, compile, parseJSON} from '../../js/src/index.js'

const text = readFileSync(0, 'utf8')
const groups = JSON.parse(text) // the policies as a browser's JSON.parse reads them
const exact = parseJSON(text) // the requests as JSON gives them

const outcome = (policy, request, name) => {
  try {
    return {result: policy.decide(request, {name, integers: 'bigint'})}
  } catch (error) {
    if (error instanceof RequestError) return {error: {kind: 'request', path: error.path}}
    if (error instanceof RuleError) return {error: {kind: 'rule', criterion: error.criterion}}
    if (error instanceof MessageTooLong) return {error: {kind: 'message'}}
    throw error
  }
}

const decided = groups.map((group, g) => {
  const policy = compile(group.policy)
  return exact[g].cases.map(({request, name}) => outcome(policy, request, name))
})
process.stdout.write(JSON.stringify(decided))
