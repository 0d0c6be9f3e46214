#!/usr/bin/env node
// Run the conformance suite against the package in Node; print every difference and exit 1
// when there is one.
//
//   node test/conformance.mjs [FOLDER] [--only decide|refuse] [--json]
//
// FOLDER is the suite (default: ../conformance beside js/). --only runs one of its two parts;
// --json prints the counts as JSON on the last line ({"cases", "groups", "differences"}).

import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import * as kc from '../src/index.js'
import {runSuite} from './suite.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const option = (name) => {
  const at = args.indexOf(name)
  return at === -1 ? undefined : args.splice(at, 2)[1]
}
const only = option('--only')
const json = args.includes('--json')
const [folder = resolve(here, '../../conformance')] = args.filter((arg) => !arg.startsWith('--'))

const files = []
for (const part of ['decide', 'refuse']) {
  if (only !== undefined && only !== part) continue
  let names
  try {
    names = readdirSync(join(folder, part))
      .filter((name) => name.endsWith('.json'))
      .sort()
  } catch (error) {
    console.error(`conformance: cannot read ${join(folder, part)}: ${error.message}`)
    process.exit(2)
  }
  for (const name of names)
    files.push({name: `${part}/${name}`, text: readFileSync(join(folder, part, name), 'utf8')})
}
if (files.length === 0) {
  console.error(`conformance: no suite files in ${folder}`)
  process.exit(2)
}

const {cases, groups, differences} = runSuite(files, kc)
for (const difference of differences) console.log(difference)
console.log(
  `${cases} cases in ${groups} groups of ${files.length} files: ${differences.length} differences`
)
if (json) console.log(JSON.stringify({cases, groups, differences: differences.length}))
process.exit(differences.length > 0 ? 1 : 0)
