// The conformance suite (conformance/README.md), run by the package: the same code in Node
// (conformance.mjs) and in a browser page (tests/test_js.py). Plain ECMAScript, no Node API.

/**
 * Run the suite's files against the package.
 * @param {Array<{name: string, text: string}>} files `decide/….json` and `refuse/….json`
 * @param {object} kc the package's exports
 * @returns {{cases: number, groups: number, differences: string[]}}
 */
export function runSuite(files, kc) {
  const differences = []
  let cases = 0
  let groups = 0
  for (const {name, text} of files) {
    const plain = JSON.parse(text)
    const exact = kc.parseJSON(text) // the requests as JSON gives them: integers exact
    plain.forEach((group, g) => {
      groups++
      const where = `${name} [${g}] ${group.description}`
      if (name.startsWith('decide/')) {
        cases += group.cases.length
        decideGroup(kc, group, exact[g], where, differences)
      } else if (name.startsWith('refuse/')) {
        cases += 1
        refuseGroup(kc, group, where, differences)
      }
    })
  }
  return {cases, groups, differences}
}

function decideGroup(kc, group, exact, where, differences) {
  let policy
  try {
    policy = kc.compile(group.policy)
  } catch (error) {
    differences.push(`${where}: the policy is refused: ${error.message}`)
    return
  }
  group.cases.forEach((c, i) => {
    const at = `${where}: case ${i} (${c.description})`
    const request = exact.cases[i].request
    const options = {integers: 'bigint'}
    if ('name' in c) options.name = c.name
    let got
    try {
      got = {result: policy.decide(request, options)}
    } catch (error) {
      got = {error: describe(kc, error)}
    }
    const expected = 'result' in c ? {result: c.result} : {error: expectedError(c.error)}
    if (canonical(got) !== canonical(expected)) {
      differences.push(`${at}:\n  expected ${canonical(expected)}\n  got      ${canonical(got)}`)
    }
  })
}

function refuseGroup(kc, group, where, differences) {
  let problems
  try {
    problems = kc.checkPolicy(group.policy)
  } catch (error) {
    differences.push(`${where}: checking the policy threw ${error}`)
    return
  }
  const named = new Set(problems.map((problem) => problem.path))
  const missing = group.problems.filter((problem) => !named.has(problem.path))
  if (missing.length > 0) {
    const paths = missing.map((problem) => JSON.stringify(problem.path)).join(', ')
    differences.push(
      `${where}: the problems do not name ${paths} (named: ${[...named].join(', ') || 'none'})`
    )
  }
}

/** What an error says that the suite compares: its kind and the key or criterion it names. */
function describe(kc, error) {
  if (error instanceof kc.RequestError) return {kind: 'request', path: error.path}
  if (error instanceof kc.RuleError) return {kind: 'rule', criterion: error.criterion}
  return {kind: error?.name ?? 'error', message: String(error?.message ?? error)}
}

function expectedError(error) {
  if (error.kind === 'request') return {kind: 'request', path: error.path}
  if (error.kind === 'rule') return {kind: 'rule', criterion: error.criterion}
  return {kind: error.kind}
}

/** JSON with sorted keys: equal values give equal text. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort()
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`
  }
  return typeof value === 'bigint' ? String(value) : JSON.stringify(value)
}
