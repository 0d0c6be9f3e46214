// A second implementation of docs/deciding.md, in JavaScript with a CEL library from npm:
// proof that charta.json is enough to decide requests in another language.
// Usage: node decide.mjs charta.json < requests.json
//   → one {decision, reasons, unmet, questions, reply} each.
import {readFileSync} from 'node:fs'
import {Environment} from '@marcbachmann/cel-js'

const policy = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const requests = JSON.parse(readFileSync(0, 'utf8'))

const facts = policy.facts
const declared = (without) => {
  let env = new Environment()
  for (const fact of facts) if (fact.name !== without) env = env.registerVariable(fact.name, fact.type)
  return without === 'platform' ? env : env.registerVariable('platform', 'string')
}
const env = declared(null)
const everywhere = policy.platforms.map((p) => p.id)
const compile = (criterion) => {
  if (criterion.when === undefined) return {...criterion, reads: []}
  // A rule reads a variable when it does not type-check without it (literals and macro
  // variables do not count).
  const names = [...facts.map((f) => f.name), 'platform']
  const reads = names.filter((name) => !declared(name).check(criterion.when).valid)
  return {...criterion, program: env.parse(criterion.when), reads}
}
const accept = policy.accept.criteria.map(compile)
const decline = policy.decline.criteria.filter((c) => !c.otherwise).map(compile)
const otherwise = policy.decline.criteria.find((c) => c.otherwise)

// Kleene's three values: true, false, null (open).
const and = (...v) => (v.includes(false) ? false : v.includes(null) ? null : true)
const or = (...v) => (v.includes(true) ? true : v.includes(null) ? null : false)
const not = (v) => (v === null ? null : !v)

function decide (request) {
  const platform = request.platform ?? null
  const context = {}
  for (const fact of facts) {
    const value = (request.facts ?? {})[fact.name]
    if (value !== undefined) context[fact.name] = fact.type === 'int' ? BigInt(value) : value
  }
  if (platform !== null) context.platform = platform
  const applies = (c) => {
    if (!c.platforms || everywhere.every((id) => c.platforms.includes(id))) return true
    return platform === null ? null : c.platforms.includes(platform)
  }
  const value = (c) => {
    if (!c.program) return (request.judgements ?? {})[c.id] ?? null
    try {
      return c.program(context)
    } catch (error) {
      if (/^Unknown variable/.test(error.message)) return null
      throw error
    }
  }
  const seen = (list) => list
    .map((c) => ({...c, applies: applies(c)}))
    .filter((c) => c.applies !== false)
    .map((c) => ({...c, value: value(c), holds: and(c.applies, value(c))}))
  const declines = seen(decline)
  const accepts = seen(accept)

  const done = (decision, reasons, unmet = [], reply = true) =>
    ({decision, reasons: reasons.map((c) => c.id), unmet: unmet.map((c) => c.id), questions: [], reply})
  const answered = (reasons) => reasons.every((c) => c.reply !== false)
  const holding = declines.filter((c) => c.holds === true)
  if (holding.length) return done('decline', holding, [], answered(holding))
  const all = policy.accept.match === 'all'
  const part = (c) => (all ? or(not(c.applies), c.value) : c.holds)
  const held = accepts.length === 0 ? false
    : all ? and(and(...accepts.map(part)), or(...accepts.map((c) => c.applies)))
      : or(...accepts.map(part))
  const open = declines.filter((c) => c.holds === null)
  if (held === true && open.length === 0) return done('accept', accepts.filter((c) => c.holds === true))
  if (held === false) {
    const fallback = otherwise ? [otherwise] : []
    const unmet = all ? accepts.filter((c) => c.applies === true && c.value === false) : []
    return done('decline', fallback, unmet, answered(fallback))
  }

  const matter = [...(held === null ? accepts.filter((c) => part(c) === null) : []), ...open]
  let platformOpen = all && held === null && or(...accepts.map((c) => c.applies)) === null
  const needed = new Set()
  const judged = new Set()
  for (const c of matter) {
    if (c.applies === null) platformOpen = true
    if (c.value !== null) continue
    if (c.program) c.reads.forEach((name) => needed.add(name))
    else judged.add(c.id)
  }
  const missing = [...needed].filter((name) => !(name in context))
  const questions = facts.filter((f) => missing.includes(f.name)).map((f) => `fact:${f.name}`)
  for (const c of [...accept, ...decline]) if (judged.has(c.id)) questions.push(`judgement:${c.id}`)
  if (platformOpen || missing.includes('platform')) questions.push('platform:platform')
  return {decision: 'review', reasons: [], unmet: [], questions, reply: true}
}

console.log(JSON.stringify(requests.map(decide)))
