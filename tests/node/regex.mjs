// Patterns as the JavaScript package reads and matches them, for tests/test_portable.py.
// Usage: node regex.mjs < {patterns, texts, pairs}  →  {portable: [construct or null, …],
// matches: [[true, false, …] per pattern, or "refused: …"], pairs: [true or false, …]}
import {readFileSync} from 'node:fs'
import {matches, portable} from '../../js/src/regex.js'

const {patterns = [], texts = [], pairs = []} = JSON.parse(readFileSync(0, 'utf8'))
const all = (pattern) => {
  try {
    return texts.map((text) => matches(text, pattern))
  } catch (error) {
    return `refused: ${error.message}`
  }
}
const started = performance.now()
const found = {
  portable: patterns.map(portable),
  matches: patterns.map(all),
  pairs: pairs.map(([pattern, text]) => matches(text, pattern))
}
found.ms = performance.now() - started
process.stdout.write(JSON.stringify(found))
