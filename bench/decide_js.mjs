// How fast the JavaScript package decides: decisions per second of CPU time, per run.
//
//   node bench/decide_js.mjs POLICY REQUESTS [--runs N]
//
// REQUESTS is a JSON list of requests (bench/decide_js.py writes the ones bench/decide.py
// decides). The policy is compiled once and every request decided once before the runs, as a
// tool would; each run decides every request once. Prints one line per run, then the median.

import {readFileSync} from 'node:fs'
import {compile, parseJSON} from '../js/src/index.js'

const [policyFile, requestsFile] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const at = process.argv.indexOf('--runs')
const runs = at === -1 ? 7 : Number(process.argv[at + 1])
const policy = compile(JSON.parse(readFileSync(policyFile, 'utf8')))
const requests = parseJSON(readFileSync(requestsFile, 'utf8'))
const decideAll = () => {
  for (const request of requests) policy.decide(request, {integers: 'bigint'})
}

decideAll() // compiled and warmed up before the runs
const rates = []
for (let run = 0; run < runs; run++) {
  const started = process.cpuUsage()
  decideAll()
  const used = process.cpuUsage(started)
  const seconds = (used.user + used.system) / 1e6
  rates.push(requests.length / Math.max(seconds, 1e-9))
  console.log(`run ${run + 1}: ${Math.round(rates.at(-1)).toLocaleString('en')} decisions/s`)
}
rates.sort((a, b) => a - b)
console.log(
  `median: ${Math.round(rates[Math.floor(rates.length / 2)]).toLocaleString('en')} decisions/s`
)
