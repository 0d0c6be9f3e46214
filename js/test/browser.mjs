// The conformance suite in a browser page (js/test/browser.html): the package's own modules,
// every file the server lists at /conformance/files.json. The outcome and every
// Content-Security-Policy violation are written as JSON into <pre id="result">, for a test to
// read without evaluating anything in the page (which its policy refuses).

const violations = []
let arrived = () => {}
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push(
    `${event.violatedDirective}: ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`
  )
  arrived()
})
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const state = document.getElementById('state')
const report = (outcome) => {
  const result = document.createElement('pre')
  result.id = 'result'
  result.textContent = JSON.stringify(outcome)
  document.body.append(result)
}

// First, the page's policy is in force: it refuses to turn a string into code.
const reported = new Promise((resolve) => {
  arrived = resolve
})
let probe
try {
  probe = new Function('return "ran"')()
} catch (error) {
  probe = error.name
}
await Promise.race([reported, pause(2000)])
const probeViolations = violations.splice(0)

try {
  const kc = await import('/kontaktcharta/index.js')
  const {runSuite} = await import('/test/suite.mjs')
  const names = await (await fetch('/conformance/files.json')).json()
  const files = []
  for (const name of names)
    files.push({name, text: await (await fetch(`/conformance/${name}`)).text()})
  const {cases, groups, differences} = runSuite(files, kc)
  await pause(200) // a violation is reported as an event, after the code that caused it
  state.textContent = `${cases} cases, ${differences.length} differences`
  report({probe, probeViolations, cases, groups, differences, violations})
} catch (error) {
  state.textContent = 'failed'
  report({probe, probeViolations, error: String(error?.stack ?? error), violations})
}
