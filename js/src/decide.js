// Deciding a contact request by a policy (docs/deciding.md; Python: reference.py, decide.py).
//
// A policy is checked and compiled once (`new Policy(data)`): its rules compiled by CEL, the
// criteria that may apply listed per platform, the questions and messages prepared. Every
// criterion then has a value in three-valued logic for a request: true, false or null (open).

import {checkPolicy} from './check.js'
import {PolicyError, RuleError} from './errors.js'
import {DeclineMessages, primary} from './messages.js'
import {RequestReader} from './request.js'
import {PLATFORM, Rule, RuleFailure, environment} from './rules.js'

const PLATFORM_QUESTION = {
  de: 'Über welche Plattform kam die Anfrage?',
  en: 'On which platform did the request arrive?'
}

/** A policy compiled for deciding. */
export class Policy {
  /**
   * Check a policy (charta.json, parsed) and compile it; a PolicyError lists its problems.
   * @param {object} data
   */
  constructor(data) {
    const problems = checkPolicy(data)
    if (problems.length > 0) throw new PolicyError(problems)
    this.data = data
    this.match = data.accept.match ?? 'any'
    const facts = data.facts ?? []
    const env = environment(facts)
    const declared = facts.map((fact) => fact.name)
    const failed = []
    /** The compiled `when` of each criterion that has one, by id. */
    this.rules = new Map()
    for (const side of ['accept', 'decline']) {
      data[side].criteria.forEach((criterion, index) => {
        if (criterion.when == null) return
        try {
          this.rules.set(criterion.id, new Rule(env, criterion.when, declared))
        } catch (error) {
          if (!(error instanceof RuleFailure)) throw error
          failed.push({path: `${side}.criteria[${index}].when`, message: error.message})
        }
      })
    }
    if (failed.length > 0) throw new PolicyError(failed)
    const readsPlatform = [...this.rules.values()].some((rule) => rule.needs.includes(PLATFORM))
    this.requests = new RequestReader(data, readsPlatform)
    this.messages = new DeclineMessages(data)
    this.questions = new Questions(data)
    this.fallback = data.decline.criteria.filter((c) => c.otherwise).map((c) => c.id)
    const platforms = (data.platforms ?? []).map((platform) => platform.id)
    /** The criteria that may apply, by platform id, and for a request without one (null). */
    this.plans = new Map()
    for (const platform of [null, ...platforms]) {
      const steps = (criteria) =>
        criteria
          .map((c) => ({
            id: c.id,
            applies: applies(c, platform, platforms),
            rule: this.rules.get(c.id)
          }))
          .filter((step) => step.applies !== false)
      this.plans.set(platform, {
        declines: steps(data.decline.criteria.filter((c) => !c.otherwise)),
        accepts: steps(data.accept.criteria),
        /** Unnamed decline messages by reasons and unmet criteria, as they are met. */
        declined: new Map()
      })
    }
  }

  /**
   * Decide a request: accept, decline or review, as `charta decide --json --name NAME` prints.
   * @param {unknown} request `{platform?, facts?, judgements?}`
   * @param {{name?: string | null, integers?: 'number' | 'bigint'}} [options]
   */
  decide(request, {name = null, integers = 'number'} = {}) {
    const {platform, values, judgements} = this.requests.read(request, integers === 'bigint')
    const {declines, accepts} = this.plans.get(platform)

    // Step 2: any decline criterion that holds declines, with every one that holds. Every
    // decline rule that may apply is evaluated first: one that fails fails the decision.
    const declineValues = new Array(declines.length)
    let reasons = null
    let stillOpen = false
    for (let i = 0; i < declines.length; i++) {
      const step = declines[i]
      const held = both(step.applies, (declineValues[i] = valueOf(step, values, judgements)))
      if (held === true) (reasons ??= []).push(step.id)
      else if (held === null) stillOpen = true
    }
    if (reasons !== null) return this._decline(reasons, name, platform)

    // Step 3: the accept criteria hold, and no decline criterion is still open: accept.
    const acceptValues = new Array(accepts.length)
    for (let i = 0; i < accepts.length; i++)
      acceptValues[i] = valueOf(accepts[i], values, judgements)
    const all = this.match === 'all'
    const held = all ? every(accepts, acceptValues) : anyHolds(accepts, acceptValues)
    if (held === true && !stillOpen) {
      const holding = accepts.filter((step, i) => step.applies === true && acceptValues[i] === true)
      return decision(
        'accept',
        holding.map((step) => step.id)
      )
    }

    // Step 4: the accept criteria certainly do not hold: decline, with the fallback; under
    // `all`, naming every applicable accept criterion that is false.
    if (held === false) {
      const unmet = all
        ? accepts
            .filter((step, i) => step.applies === true && acceptValues[i] === false)
            .map((s) => s.id)
        : []
      return this._decline(this.fallback, name, platform, unmet)
    }

    // Step 5: review, asking what is still open: the open decline criteria, and the accept
    // criteria that make the accept side open.
    const open = []
    declines.forEach((step, i) => {
      if (both(step.applies, declineValues[i]) === null) open.push([step, declineValues[i]])
    })
    let askPlatform = false
    if (held === null && all) {
      accepts.forEach((step, i) => acceptValues[i] !== true && open.push([step, acceptValues[i]]))
      askPlatform = anyone(accepts.map((step) => step.applies)) === null
    } else if (held === null) {
      accepts.forEach((step, i) => {
        if (both(step.applies, acceptValues[i]) === null) open.push([step, acceptValues[i]])
      })
    }
    askPlatform ||= open.some(([step]) => step.applies === null)
    const missing = new Set()
    const asks = new Set()
    for (const [step, found] of open) {
      if (found !== null) continue // only whether it applies is open
      if (step.rule === undefined) asks.add(step.id)
      else for (const need of step.rule.needs) if (!Object.hasOwn(values, need)) missing.add(need)
    }
    if (platform !== null) missing.delete(PLATFORM)
    return this.questions.review(missing, asks, askPlatform)
  }

  /** A decline, answered with a message unless a reason says `reply: false`. Without a name,
   * the message for these reasons on this platform is made once and kept. */
  _decline(reasons, name, platform, unmet = []) {
    if (!this.messages.answered(reasons)) return decision('decline', reasons, unmet, [], false)
    if (name)
      return decision(
        'decline',
        reasons,
        unmet,
        [],
        true,
        this.messages.render(reasons, name, platform, unmet)
      )
    const kept = this.plans.get(platform).declined
    const key = `${reasons.join(' ')}\n${unmet.join(' ')}` // ids hold no space
    let message = kept.get(key)
    if (message === undefined) {
      message = this.messages.render(reasons, null, platform, unmet) // may throw MessageTooLong
      if (kept.size >= KEPT) kept.clear()
      kept.set(key, message)
    }
    return decision('decline', reasons, unmet, [], true, message)
  }
}

/** At most this many unnamed decline messages are kept per platform; then they start over. */
const KEPT = 4096

/** A criterion's value for a request: its rule's, or a person's judgement (null: open). */
function valueOf(step, values, judgements) {
  if (step.rule === undefined)
    return Object.hasOwn(judgements, step.id) ? (judgements[step.id] ?? null) : null
  try {
    return step.rule.evaluate(values)
  } catch (error) {
    if (error instanceof RuleFailure) throw new RuleError(step.id, error.message)
    throw error
  }
}

/** `match: any`: Kleene's or over each accept criterion's `applies and value`. */
function anyHolds(steps, values) {
  let found = false
  for (let i = 0; i < steps.length; i++) {
    const held = both(steps[i].applies, values[i])
    if (held === true) return true
    if (held === null) found = null
  }
  return found
}

/** Step 1: whether a criterion applies on a platform (null: open, the platform not known). */
function applies(criterion, platform, declared) {
  const bound = criterion.platforms
  if (bound == null || declared.every((id) => bound.includes(id))) return true
  if (platform === null) return null
  return bound.includes(platform)
}

/** The decision as JSON: decision, reasons, unmet, questions, reply, message. Its lists and
 * questions are its own, whatever step made it: a caller may change them, and the policy's own
 * lists (the fallback's reasons) stay as they are. */
function decision(outcome, reasons = [], unmet = [], questions = [], reply = true, message = null) {
  return {
    decision: outcome,
    reasons: [...reasons],
    unmet: [...unmet],
    questions: questions.map(({kind, name, question}) => ({kind, name, question})),
    reply,
    message
  }
}

/** Every question one policy may ask, in the order a review lists them. */
class Questions {
  constructor(data) {
    this.facts = (data.facts ?? []).map((fact) => ['fact', fact.name, fact.question])
    this.judgements = [...data.accept.criteria, ...data.decline.criteria]
      .filter((c) => c.when == null && !c.otherwise)
      .map((c) => ['judgement', c.id, c.question || c.text])
    const asked = PLATFORM_QUESTION[primary(data.lang)] ?? PLATFORM_QUESTION.en
    const names = (data.platforms ?? []).map((platform) => platform.name).join(', ')
    this.platform = ['platform', PLATFORM, names ? `${asked} (${names})` : asked]
  }

  /** A review asking for these facts and judgements, and for the platform where needed. */
  review(missing, asks, platform) {
    const chosen = [
      ...this.facts.filter(([, name]) => missing.has(name)),
      ...this.judgements.filter(([, id]) => asks.has(id))
    ]
    if (platform || missing.has(PLATFORM)) chosen.push(this.platform)
    const questions = chosen.map(([kind, name, question]) => ({kind, name, question}))
    return decision('review', [], [], questions)
  }
}

/** Kleene's and: false wins, then open. */
function both(first, second) {
  if (first === false || second === false) return false
  if (first === null || second === null) return null
  return true
}

/** Kleene's or over values: true wins, then open; none at all is false. */
function anyone(values) {
  let found = false
  for (const value of values) {
    if (value === true) return true
    if (value === null) found = null
  }
  return found
}

/** `match: all`: each applicable criterion is true, and at least one applies. A criterion
 * whose applying is open counts as true where its value is true. */
function every(steps, values) {
  let each = true
  for (let i = 0; i < steps.length; i++) {
    if (steps[i].applies === true && values[i] === false) return false
    if (values[i] !== true) each = null
  }
  return both(each, anyone(steps.map((step) => step.applies)))
}
