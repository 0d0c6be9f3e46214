// The problems the JavaScript package finds in policies, for tests/test_js_check.py.
// Usage: node check.mjs < [policy, …]  →  [[{path, message, limit?}, …], …]
import {readFileSync} from 'node:fs'
import {checkPolicy} from '../../js/src/check.js'

const policies = JSON.parse(readFileSync(0, 'utf8'))
process.stdout.write(JSON.stringify(policies.map((policy) => checkPolicy(policy))))
