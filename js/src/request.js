// A contact request checked against a policy before anything is decided (Python: request.py).
// A request is `{platform?, facts?, judgements?}`; each key is checked against what the policy
// declares, and a request that does not fit is refused with the key and what was expected.

import {length} from './characters.js'
import {RequestError} from './errors.js'
import {FACT_TEXT} from './limits.js'
import {PLATFORM} from './rules.js'

const INT_MIN = -(2n ** 63n)
const INT_MAX = 2n ** 63n - 1n
const PLAIN_KEY = /^[A-Za-z0-9_-]+$/
const REQUEST_KEYS = new Set(['platform', 'facts', 'judgements'])
const EXPECTED = {
  bool: 'a bool (true or false)',
  int: 'an int (a whole number)',
  double: 'a double (a number)',
  string: 'a string'
}

/** Checks the requests of one policy: their platform, facts and judgements. */
export class RequestReader {
  /**
   * @param {object} policy a checked charta.json
   * @param {boolean} readsPlatform whether a rule reads `platform` (then it is a value)
   */
  constructor(policy, readsPlatform) {
    this.platforms = (policy.platforms ?? []).map((platform) => platform.id)
    /** Each declared fact's type and allowed values (ints as BigInt). */
    this.facts = new Map()
    for (const fact of policy.facts ?? []) {
      const values =
        fact.values == null ? null : fact.values.map((value) => allowed(fact.type, value))
      this.facts.set(fact.name, {type: fact.type, values, shown: fact.values})
    }
    const everything = [...policy.accept.criteria, ...policy.decline.criteria]
    this.otherwise = policy.decline.criteria.find((c) => c.otherwise)?.id ?? null
    this.ruled = new Set(everything.filter((c) => c.when != null).map((c) => c.id))
    this.judgeable = everything.filter((c) => c.when == null && !c.otherwise).map((c) => c.id)
    this.judgeableSet = new Set(this.judgeable)
    this.readsPlatform = readsPlatform
  }

  /**
   * The request's platform (or null), its values for the rules and its judgements.
   * @param {unknown} request
   * @param {boolean} bigints whether the request's integers are BigInt (a Number is a fraction)
   */
  read(request, bigints = false) {
    if (!isObject(request)) {
      throw new RequestError('', `a request is a JSON object, got ${show(request, bigints)}`)
    }
    for (const key in request) {
      if (!REQUEST_KEYS.has(key) && Object.hasOwn(request, key) && request[key] !== undefined) {
        const path = keyPath('', key)
        throw new RequestError(
          path,
          `${path}: unknown key; a request has platform, facts and judgements`
        )
      }
    }
    const platform = request.platform ?? null
    if (platform !== null && (typeof platform !== 'string' || !this.platforms.includes(platform))) {
      if (this.platforms.length === 0) {
        const got = show(platform, bigints)
        throw new RequestError('platform', `platform: the charta declares no platforms, got ${got}`)
      }
      const known = this.platforms.join(', ')
      throw new RequestError(
        'platform',
        `platform: expected one of ${known}, got ${show(platform, bigints)}`
      )
    }
    const facts = request.facts === undefined ? {} : request.facts
    if (!isObject(facts)) {
      throw new RequestError(
        'facts',
        `facts: expected an object of fact values, got ${show(facts, bigints)}`
      )
    }
    const values = Object.create(null) // no inherited names: a fact may be called `constructor`
    for (const name in facts) {
      const value = facts[name]
      if (value === undefined || !Object.hasOwn(facts, name)) continue // left out
      const fact = this.facts.get(name)
      if (fact === undefined) {
        const path = keyPath('facts', name)
        const known = [...this.facts.keys()].join(', ') || 'none'
        throw new RequestError(path, `${path}: no such fact; declared facts: ${known}`)
      }
      values[name] = factValue(name, fact, value, bigints)
    }
    if (platform !== null && this.readsPlatform) values[PLATFORM] = platform
    const judgements = request.judgements === undefined ? {} : request.judgements
    if (!isObject(judgements)) {
      throw new RequestError(
        'judgements',
        `judgements: expected an object of bools, got ${show(judgements, bigints)}`
      )
    }
    for (const id in judgements) {
      const value = judgements[id]
      if (value === undefined || !Object.hasOwn(judgements, id)) continue
      const path = keyPath('judgements', id)
      if (!this.judgeableSet.has(id))
        throw new RequestError(path, `${path}: ${this._notJudgeable(id)}`)
      if (value !== true && value !== false) {
        throw new RequestError(path, `${path}: expected a bool, got ${show(value, bigints)}`)
      }
    }
    return {platform, values, judgements}
  }

  _notJudgeable(id) {
    const valid = this.judgeable.join(', ') || 'none'
    if (id === this.otherwise) {
      return `${id} is the otherwise criterion, which holds by itself; judgements: ${valid}`
    }
    if (this.ruled.has(id)) {
      return `${id} is decided by its rule (when), not by judgement; judgements: ${valid}`
    }
    return `no criterion to judge by that id; judgements: ${valid}`
  }
}

/** A request's value of a fact as the rules take it: an int as BigInt, a double as Number. */
function factValue(name, fact, given, bigints) {
  let value = given
  let fits
  switch (fact.type) {
    case 'bool':
      fits = value === true || value === false
      break
    case 'string':
      fits = typeof value === 'string' && value.isWellFormed()
      if (fits && value.length > FACT_TEXT && length(value) > FACT_TEXT) {
        throw refused(
          name,
          `has ${thousands(length(value))} characters; at most ${thousands(FACT_TEXT)} (limit: fact text)`
        )
      }
      break
    case 'int':
      if (typeof value === 'number' && !bigints && Number.isInteger(value)) value = BigInt(value)
      fits = typeof value === 'bigint'
      if (fits && (value < INT_MIN || value > INT_MAX)) {
        throw refused(name, `expected an int from -2^63 to 2^63-1`)
      }
      break
    default: // double: any number, an integer taken as that double
      if (typeof value === 'bigint') value = Number(value)
      fits = typeof value === 'number' && Number.isFinite(value)
      if (!fits) value = given
  }
  if (!fits) throw refused(name, `expected ${EXPECTED[fact.type]}, got ${show(value, bigints)}`)
  if (fact.values !== null && !fact.values.includes(value)) {
    const known = fact.shown.map((each) => show(each, false)).join(', ')
    throw refused(name, `expected one of ${known}, got ${show(given, bigints)}`)
  }
  return value
}

/** A fact's value refused: the error names the fact's key. */
function refused(name, why) {
  const path = keyPath('facts', name)
  return new RequestError(path, `${path}: ${why}`)
}

/** An allowed value of a fact as a request's checked value compares with it. */
function allowed(type, value) {
  if (type === 'int' && (typeof value === 'number' || typeof value === 'bigint'))
    return BigInt(value)
  if (type === 'double' && typeof value === 'bigint') return Number(value)
  return value
}

function isObject(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** `parent.key`, or `parent["key"]` where the key would not read as one (Python: request._key). */
export function keyPath(parent, key) {
  if (PLAIN_KEY.test(key)) return parent ? `${parent}.${key}` : key
  return `${parent}[${JSON.stringify(key)}]`
}

function thousands(count) {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * A value as a message quotes it, cut short (Python: keys.show): JSON, with `, ` and `: ` as
 * Python writes it. A whole Number reads as an int, unless the request's integers are BigInt.
 */
export function show(value, bigints = false) {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf'
  }
  const text = json(value, bigints, 41)
  const chars = Array.from(text)
  return chars.length <= 40 ? text : chars.slice(0, 37).join('') + '...'
}

/** JSON text of a value, built until it is longer than `budget` characters. */
function json(value, bigints, budget) {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
    case 'bigint':
      return String(value)
    case 'number':
      if (!Number.isFinite(value))
        return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'
      return bigints && Number.isInteger(value) && !String(value).includes('e')
        ? `${value}.0`
        : String(value)
    case 'string':
      return JSON.stringify(value)
    case 'object': {
      const array = Array.isArray(value)
      const parts = []
      let size = 2
      for (const [key, each] of Object.entries(value)) {
        if (size > budget) break
        const part = array
          ? json(each, bigints, budget - size)
          : `${JSON.stringify(key)}: ${json(each, bigints, budget - size)}`
        parts.push(part)
        size += part.length + 2
      }
      return array ? `[${parts.join(', ')}]` : `{${parts.join(', ')}}`
    }
    default:
      return String(value)
  }
}
