#!/usr/bin/env node
// Run the conformance suite against the package in Node; print every difference and exit 1
// when there is one.
//
//   node test/conformance.mjs [FOLDER] [--only decide|refuse] [--json]
//
// FOLDER is the suite (default: ../conformance beside js/). --only runs one of its two parts;
// --json prints the counts as JSON on the last line ({"cases", "groups", "differences"}).
//
// Run so, it takes the package from src/. A module that imports the package from elsewhere (as
// npm installed it) runs the suite against that with `conformance(kc, args)`, which returns
// the exit code: tests/test_js.py does so in a folder where npm installed the packed tarball.

import {readdirSync, readFileSync, realpathSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {runSuite} from './suite.mjs'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * Run the suite against the package's exports `kc`, with the command line's arguments.
 * @param {object} kc
 * @param {string[]} argv
 * @returns {number} the exit code: 0, 1 where there is a difference, 2 without a suite
 */
export function conformance(kc, argv) {
  const args = [...argv]
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
      return 2
    }
    for (const name of names)
      files.push({name: `${part}/${name}`, text: readFileSync(join(folder, part, name), 'utf8')})
  }
  if (files.length === 0) {
    console.error(`conformance: no suite files in ${folder}`)
    return 2
  }

  const {cases, groups, differences} = runSuite(files, kc)
  for (const difference of differences) console.log(difference)
  console.log(
    `${cases} cases in ${groups} groups of ${files.length} files: ${differences.length} differences`
  )
  if (json) console.log(JSON.stringify({cases, groups, differences: differences.length}))
  return differences.length > 0 ? 1 : 0
}

const entry = process.argv[1] === undefined ? null : pathToFileURL(realpathSync(process.argv[1]))
if (entry?.href === import.meta.url) {
  process.exitCode = conformance(await import('../src/index.js'), process.argv.slice(2))
}
