// checkPolicy against the conformance suite (conformance/README.md): every policy of `decide/`
// is taken, every policy of `refuse/` is refused naming each listed key path (and the limit,
// where one is listed). Usage: node test/check.mjs [the suite's folder, ../conformance]
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {checkPolicy} from '../src/check.js'

const suite = process.argv[2] ?? fileURLToPath(new URL('../../conformance', import.meta.url))
const groups = (folder) =>
  readdirSync(join(suite, folder))
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) =>
      JSON.parse(readFileSync(join(suite, folder, name), 'utf8')).map((group) => ({name, ...group}))
    )

let failed = 0
let passed = 0
const fail = (group, why) => {
  failed++
  console.log(`FAIL ${group.name}: ${group.description}: ${why}`)
}
for (const group of groups('decide')) {
  const problems = checkPolicy(group.policy)
  if (problems.length) fail(group, `refused: ${JSON.stringify(problems.slice(0, 3))}`)
  else passed++
}
for (const group of groups('refuse')) {
  const problems = checkPolicy(group.policy)
  const missing = group.problems.filter(
    (expected) =>
      !problems.some(
        (found) =>
          found.path === expected.path &&
          (expected.limit === undefined || found.limit === expected.limit)
      )
  )
  if (missing.length) {
    const named = missing.map((p) => `${p.path}${p.limit ? ` (${p.limit})` : ''}`).join(', ')
    fail(group, `does not name ${named}; found ${JSON.stringify(problems.slice(0, 3))}`)
  } else {
    passed++
  }
}
console.log(`${passed} passed, ${failed} failed`)
process.exitCode = failed ? 1 : 0
