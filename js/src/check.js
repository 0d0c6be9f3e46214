// A policy from elsewhere checked as the Python reader checks it (policy_reader.py
// `read_policy`), problem for problem by key path: first against the policy's schema
// (policy-schema.js, made from the same declarations), with the checks a schema cannot say
// (control characters, dates, links Python cannot split, message templates); then, where it
// fits, as a whole (check.py): unique ids, one `otherwise` and without `when`, declared
// platforms and facts, facts' values of their type, rules that compile within the limits
// (check-rule.js), each criterion's link and each translation as the build derives them; then
// that every decline reason makes a message within each platform's `message_limit`.

import schema, {translation} from './policy-schema.js'
import {validate, show, join} from './schema.js'
import {ruleChecker} from './check-rule.js'
import {COST, FACT_TEXT, count, limitOf} from './limits.js'
import {link, translationUrl, unsplittable} from './urls.js'
import {DeclineMessages} from './messages.js'
import {MessageTooLong} from './errors.js'

const PLACEHOLDERS = ['name', 'reasons', 'url', 'alternatives']
const PLACEHOLDER = /\{\{?([A-Za-z_][A-Za-z0-9_]*)\}?\}/g
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const RESERVED = new Set(
  (
    'true false null in as break const continue else for function if import let loop ' +
    'package namespace return var void while platform __proto__ prototype'
  ).split(' ')
)
const A_TYPE = {bool: 'a bool', int: 'an int', double: 'a double', string: 'a string'}
const FORBIDDEN = new RegExp(
  '[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\ufdd0-\\ufdef\\ufffe\\uffff]|' +
    '[\\u{1fffe}\\u{1ffff}\\u{2fffe}\\u{2ffff}\\u{3fffe}\\u{3ffff}\\u{4fffe}\\u{4ffff}' +
    '\\u{5fffe}\\u{5ffff}\\u{6fffe}\\u{6ffff}\\u{7fffe}\\u{7ffff}\\u{8fffe}\\u{8ffff}' +
    '\\u{9fffe}\\u{9ffff}\\u{afffe}\\u{affff}\\u{bfffe}\\u{bffff}\\u{cfffe}\\u{cffff}' +
    '\\u{dfffe}\\u{dffff}\\u{efffe}\\u{effff}\\u{ffffe}\\u{fffff}\\u{10fffe}\\u{10ffff}]',
  'u'
)
const LINK = "the page's url and #"

/**
 * Every problem of a policy (a parsed `charta.json`): `{path, message, limit?}` each, with the
 * key path the Python reader names (`accept.criteria[0].when`, `facts[2].values[0]`, `""`) and,
 * where the problem is one of the published limits, the limit's name (`rule cost`). An empty
 * list: the policy may be decided by.
 * @param {unknown} policy
 * @returns {Array<{path: string, message: string, limit?: string}>}
 */
export function checkPolicy(policy) {
  const problems = new Problems()
  structure(policy, problems)
  // A translation that does not fit is left out of what follows; anything else stops here.
  const unread = new Set()
  for (const {path} of problems.found) {
    const lang = /^translations\.([^.[]+)/.exec(path)?.[1]
    if (lang === undefined) return problems.found
    unread.add(lang)
  }
  whole(policy, problems)
  for (const [lang, translated] of Object.entries(policy.translations)) {
    const root = `translations.${lang}`
    if (unread.has(lang)) continue
    if (lang.toLowerCase() === policy.lang.toLowerCase()) {
      problems.at(root, `'${lang}' is the charta's own language (lang: ${policy.lang})`)
      continue
    }
    links(translated, `${root}.`, problems)
    same(policy, translated, lang, problems)
  }
  if (problems.found.length) return problems.found
  messageLimits(policy, problems)
  return problems.found
}

class Problems {
  constructor() {
    this.found = []
  }

  at(path, message) {
    const limit = limitOf(message)
    this.found.push(limit === null ? {path, message} : {path, message, limit})
  }
}

// The policy against its schema, and what each kind of value must be beyond it. A fact's name
// that is no identifier and a rule's length are problems of the whole, as in Python; a fact
// without a name, or with the name of one before it, has only that problem.
function structure(policy, problems) {
  const beyond = []
  const found = validate(schema, policy, (kind, value, path) => {
    for (const [where, message] of KINDS[kind]?.(value, path) ?? []) {
      beyond.push({path: where, message, keyword: 'kind', kind})
    }
  })
  found.push(...beyond)
  const unnamed = new Map() // a fact's path: the problem with its name
  for (const [root, version] of versions(policy)) {
    const first = new Map()
    const facts = Array.isArray(version?.facts) ? version.facts : []
    facts.forEach((fact, i) => {
      const name = fact?.name
      const path = `${root}facts[${i}]`
      if (fact === null || typeof fact !== 'object' || Array.isArray(fact)) return
      if (typeof name !== 'string' || !name) {
        unnamed.set(path, null) // its own problem is the schema's
      } else if (first.has(name)) {
        unnamed.set(path, `duplicate name '${name}' (first at ${root}facts[${first.get(name)}])`)
      } else {
        first.set(name, i)
      }
    })
  }
  for (const problem of found) {
    if (problem.kind === 'Name' && problem.keyword === 'pattern' && problem.value) continue
    if (problem.kind === 'Cel' && problem.keyword === 'maxLength') continue
    const fact = /^(?:translations\.[^.]+\.)?facts\[\d+\]/.exec(problem.path)?.[0]
    if (unnamed.has(fact) && problem.path !== `${fact}.name`) continue
    problems.at(problem.path, problem.message)
  }
  for (const [path, duplicate] of unnamed) {
    if (duplicate !== null) problems.at(`${path}.name`, duplicate)
  }
}

// The main language and each translation the reader looks into, with the prefix of its key
// paths.
function versions(policy) {
  const found = [['', policy]]
  const translations = policy?.translations
  const {maxProperties, propertyNames} = schema.properties.translations
  if (translations === null || typeof translations !== 'object' || Array.isArray(translations)) {
    return found
  }
  const langs = Object.keys(translations)
  if (langs.length > maxProperties) return found
  for (const lang of langs) {
    if (new RegExp(propertyNames.pattern, 'u').test(lang)) {
      found.push([`translations.${lang}.`, translations[lang]])
    }
  }
  return found
}

// The checks of each kind of value (the schema's `x-kind`) beyond its schema: [path, message]s.
const KINDS = {
  PlainText: (value, path) => text(value, path),
  Cel: (value, path) => text(value, path),
  DeepLink: (value, path) => text(value, path),
  Markdown: (value, path) =>
    typeof value === 'string'
      ? text(value, path)
      : [...text(value.text, join(path, 'text')), ...text(value.html, join(path, 'html'))],
  MessageTemplate: (value, path) => {
    const found = text(value, path)
    const wrong = template(value)
    return found.length || wrong === null ? found : [[path, wrong]]
  },
  Url: (value, path) => {
    const found = text(value, path)
    const split = found.length ? null : unsplittable(value)
    return split === null ? found : [[path, `expected a URL Python can read: ${split}`]]
  },
  Date: (value, path) =>
    date(value) ? [] : [[path, `expected a date like 2026-11-21, got ${show(value)}`]]
}

/** Why a text of a policy cannot be used (a control character, a noncharacter), or null. */
export function textProblem(value) {
  const found = FORBIDDEN.exec(value)
  if (found === null) return null
  const code = found[0].codePointAt(0)
  const at = [...value.slice(0, found.index)].length + 1
  const noncharacter = (code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe
  const hex = code.toString(16).toUpperCase().padStart(4, '0')
  return (
    `contains U+${hex}, ${noncharacter ? 'a noncharacter' : 'a control character'}, at ` +
    `character ${at}; a text holds only characters a person can read (tab and line breaks ` +
    'allowed)'
  )
}

function text(value, path) {
  const problem = typeof value === 'string' ? textProblem(value) : null
  return problem === null ? [] : [[path, problem]]
}

// The unknown placeholders of a decline template, said as Python says them; or null.
function template(value) {
  const wrong = []
  for (const match of value.matchAll(PLACEHOLDER)) {
    const known = PLACEHOLDERS.includes(match[1]) && !match[0].startsWith('{{')
    if (!known && !wrong.includes(match[0])) wrong.push(match[0])
  }
  if (!wrong.length) return null
  const names = PLACEHOLDERS.map((name) => `{${name}}`).join(', ')
  return `unknown placeholder ${wrong.join(', ')}; a decline message knows ${names}`
}

// A calendar date of the years 1 to 9999, as Python's date.fromisoformat takes it.
function date(value) {
  const [year, month, day] = value.split('-').map(Number)
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
  return year >= 1 && days !== undefined && day >= 1 && day <= days
}

// The checks of check.py `check_charta` and the main language's links.
function whole(policy, problems) {
  const at = (path, message) => problems.at(path, message)
  const platforms = policy.platforms.map((platform) => platform.id)
  platforms.forEach((id, i) => {
    const first = platforms.indexOf(id)
    if (first < i)
      at(`platforms[${i}].id`, `duplicate platform id '${id}' (first at platforms[${first}])`)
  })
  policy.facts.forEach((fact, i) => {
    if (RESERVED.has(fact.name)) {
      at(
        `facts[${i}]`,
        `'${fact.name}' cannot name a fact (CEL, the request or JavaScript reserves it; ` +
          'choose another name)'
      )
    } else if (!IDENTIFIER.test(fact.name)) {
      at(
        `facts[${i}]`,
        `'${fact.name}' cannot name a fact (expected letters, digits and _, ` +
          'starting with a letter or _)'
      )
    }
    ;(fact.values ?? []).forEach((value, j) => {
      const problem = factValue(value, fact.type)
      if (problem !== null) at(`facts[${i}].values[${j}]`, problem)
    })
  })
  criteria(policy, platforms, at)
  links(policy, '', problems)
}

// Why a fact's allowed value does not fit its type, or null.
function factValue(value, type) {
  const fits = {
    bool: typeof value === 'boolean',
    int: typeof value === 'number' && Number.isInteger(value),
    double: typeof value === 'number',
    string: typeof value === 'string'
  }[type]
  if (!fits) return `${show(value)} is not ${A_TYPE[type]} (the fact's type)`
  if (typeof value === 'string' && [...value].length > FACT_TEXT) {
    return (
      `has ${count([...value].length)} characters; a request gives at most ` +
      `${count(FACT_TEXT)} (limit: fact text)`
    )
  }
  if (type === 'int' && (value < -(2 ** 63) || value >= 2 ** 63)) {
    return 'expected an int from -2^63 to 2^63-1'
  }
  return null
}

function criteria(policy, platforms, at) {
  const check = ruleChecker(policy.facts)
  const first = new Map()
  const fallbacks = []
  let steps = 0n
  for (const section of ['accept', 'decline']) {
    policy[section].criteria.forEach((criterion, i) => {
      const path = `${section}.criteria[${i}]`
      if (first.has(criterion.id)) {
        at(
          `${path}.id`,
          `duplicate id '${criterion.id}' (first at ${first.get(criterion.id)}; ` +
            'ids are unique in the whole charta)'
        )
      } else {
        first.set(criterion.id, path)
      }
      ;(criterion.platforms ?? []).forEach((platform, j) => {
        if (!platforms.includes(platform)) {
          const known = [...platforms].sort().join(', ') || 'none declared'
          at(
            `${path}.platforms[${j}]`,
            `platform '${platform}' is not declared in platforms ` + `(declared: ${known})`
          )
        }
      })
      const when = criterion.when ?? null
      if (criterion.question !== undefined && (when !== null || criterion.otherwise)) {
        const decided = when !== null ? 'its rule (when)' : 'itself (otherwise)'
        at(
          `${path}.question`,
          'a question is asked only for a criterion without when, which a ' +
            `person judges; this one is decided by ${decided}`
        )
      }
      if (criterion.otherwise) {
        fallbacks.push(path)
        if (when !== null) {
          at(
            `${path}.when`,
            'an otherwise criterion takes no when (it holds when no accept ' + 'criterion does)'
          )
        }
      } else if (when !== null) {
        const {problem, cost} = check(when)
        if (problem !== null) at(`${path}.when`, problem)
        const total = steps + cost
        if (steps <= BigInt(COST) && total > BigInt(COST)) {
          at(
            `${path}.when`,
            `with this rule, the rules may take ${count(total)} steps for one ` +
              `request; at most ${count(COST)} together (limit: policy cost)`
          )
        }
        steps = total
      }
    })
  }
  for (const path of fallbacks.slice(1)) {
    at(
      `${path}.otherwise`,
      `a second otherwise criterion (the first is ${fallbacks[0]}; at most one)`
    )
  }
}

// Each criterion's link is the one its id and the charta's `url` make.
function links(version, prefix, problems) {
  for (const section of ['accept', 'decline']) {
    version[section].criteria.forEach((criterion, i) => {
      const expected = link(section, criterion.id, version.url)
      if (criterion.link !== expected) {
        problems.at(
          `${prefix}${section}.criteria[${i}].link`,
          `expected '${expected}' ` +
            `(${LINK}${section}-${criterion.id}), got ${show(criterion.link)}`
        )
      }
    })
  }
}

// A translation differs from the main language in its texts only (policy_reader._check_same).
function same(main, translated, lang, problems) {
  const root = `translations.${lang}`
  if (translated.lang !== lang) {
    problems.at(
      `${root}.lang`,
      `expected '${lang}' (the translation's key), got ${show(translated.lang)}`
    )
  }
  const url = translationUrl(main.url, lang)
  if ((translated.url ?? null) !== url) {
    problems.at(
      `${root}.url`,
      `expected ${show(url)} (the main url and ${lang.toLowerCase()}/), ` +
        `got ${show(translated.url ?? null)}`
    )
  }
  sameBy(translation, main, translated, `${root}.`, problems)
}

function sameBy(plan, a, b, path, problems) {
  const differs = (name) =>
    problems.at(
      `${path}${name}`,
      'differs from the main language; a translation changes texts only'
    )
  for (const [name, how] of Object.entries(plan)) {
    if (how === 'skip') continue
    const [x, y] = [a?.[name] ?? null, b?.[name] ?? null]
    const both = x !== null && y !== null
    if (how.named !== undefined && both) {
      const names = (list) => list.map((entry) => entry[how.named])
      if (!equal(names(x), names(y))) {
        differs(name)
        continue
      }
    }
    if (how.object !== undefined && both) {
      sameBy(how.object, x, y, `${path}${name}.`, problems)
      continue
    }
    if (how.each && both && x.length === y.length) {
      x.forEach((entry, i) => sameBy(how.each, entry, y[i], `${path}${name}[${i}].`, problems))
      continue
    }
    if (!equal(x, y)) differs(name)
  }
}

// Equal as Python compares the values read: a missing value is null, true is 1.
function equal(a, b) {
  a ??= null
  b ??= null
  if (a === null || b === null) return a === b
  const number = (v) => typeof v === 'number' || typeof v === 'boolean'
  if (number(a) && number(b)) return Number(a) === Number(b)
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => equal(item, b[i]))
    )
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const names = new Set([...Object.keys(a), ...Object.keys(b)])
    return [...names].every((name) => equal(a[name], b[name]))
  }
  return a === b
}

// Every single decline reason, and under `match: all` every single unmet accept criterion,
// makes a message that fits each platform's limit, in every language (check.py
// `check_message_limits`).
function messageLimits(policy, problems) {
  if (policy.platforms.every((platform) => platform.message_limit == null)) return
  const prepared = [policy, ...Object.values(policy.translations)].map((version) => [
    version,
    new DeclineMessages(version)
  ])
  const fallback = policy.decline.criteria.filter((c) => c.otherwise).map((c) => c.id)
  policy.platforms.forEach((platform, i) => {
    if (platform.message_limit == null) return
    for (const [version, messages] of prepared) {
      const declines = version.decline.criteria
        .filter((c) => c.reply !== false)
        .map((c) => [c, [c.id], []])
      if (version.accept.match === 'all' && messages.answered(fallback)) {
        declines.push(...version.accept.criteria.map((c) => [c, fallback, [c.id]]))
      }
      for (const [criterion, reasons, unmet] of declines) {
        const bound = criterion.platforms != null && !criterion.otherwise // the fallback: everywhere
        if (bound && !criterion.platforms.includes(platform.id)) continue
        try {
          messages.render(reasons, null, platform.id, unmet)
        } catch (error) {
          if (!(error instanceof MessageTooLong)) throw error
          problems.at(
            `platforms[${i}].message_limit`,
            `declining for '${criterion.id}' (${version.lang}): ${error.message}`
          )
          break
        }
      }
    }
  })
}
