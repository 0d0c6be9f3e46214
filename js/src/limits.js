// The limits of a policy and of a request (docs/format.md, "Limits"): the same numbers as
// src/kontaktcharta/limits.py, which a test holds equal.

/** Criteria in one list (`accept.criteria`, `decline.criteria`). */
export const CRITERIA = 5_000
/** Declared facts. */
export const FACTS = 100
/** Allowed values of one fact (`values`). */
export const FACT_VALUES = 100
/** Declared platforms. */
export const PLATFORMS = 20
/** Alternatives (`declined.alternatives`). */
export const ALTERNATIVES = 50
/** Examples. */
export const EXAMPLES = 1_000
/** Translations. */
export const TRANSLATIONS = 30

/** Characters in one `when`. */
export const RULE_LENGTH = 1_000
/** How deep the parts of one rule nest, as CEL's syntax tree has them. */
export const RULE_DEPTH = 32
/** Entries in one list or map literal of a rule. */
export const LITERAL = 50
/** Macros inside one another in one rule. */
export const MACRO_DEPTH = 2
/** Steps that all rules of a policy may take together for one request. */
export const COST = 200_000
/** The steps one `matches` counts for at least. */
export const REGEX_STEPS = 200
/** Characters in the pattern of a `matches`. */
export const REGEX_LENGTH = 100
/** The most times a pattern may count a repetition: `{2,10}`. */
export const REGEX_COUNT = 10
/** Characters in the largest text (or list) a rule may make. */
export const VALUE = 65_536
/** Characters in a request's value of a string fact. */
export const FACT_TEXT = 2_000

/** A number as the messages write it: 1,204. */
export function count(n) {
  return n.toLocaleString('en-US')
}

/** Why a rule longer than RULE_LENGTH is refused. */
export function tooLong(expression) {
  const length = [...expression].length
  return (
    `the rule has ${count(length)} characters; at most ${count(RULE_LENGTH)} ` +
    '(limit: rule length)'
  )
}

/** Why a rule nested deeper than CEL's parser goes is refused. */
export function tooDeep() {
  return `the rule nests deeper than CEL reads; at most ${RULE_DEPTH} levels (limit: rule depth)`
}

/** The first limit a rule of this shape (measure.js) passes, said plainly; null when within. */
export function problem(shape) {
  if (shape.depth > RULE_DEPTH) {
    return `the rule nests ${shape.depth} levels deep; at most ${RULE_DEPTH} (limit: rule depth)`
  }
  if (shape.macroDepth > MACRO_DEPTH) {
    return (
      `the rule has ${shape.macroDepth} macros inside one another; at most ` +
      `${MACRO_DEPTH} (limit: macro nesting)`
    )
  }
  if (shape.literal > LITERAL) {
    return (
      `a list or map in the rule has ${shape.literal} entries; at most ${LITERAL} ` +
      '(limit: literal size)'
    )
  }
  if (shape.regex !== null) return `${shape.regex} (limit: regex)`
  if (shape.largest > VALUE) {
    return (
      `the rule may make a text or list of ${count(shape.largest)} characters; at most ` +
      `${count(VALUE)} (limit: value size)`
    )
  }
  if (shape.cost > COST) {
    return (
      `the rule may take ${count(shape.cost)} steps; at most ${count(COST)} ` + '(limit: rule cost)'
    )
  }
  return null
}

/** The name of the limit a problem's message ends with (`… (limit: rule cost)`), or null. */
export function limitOf(message) {
  const found = / \(limit: ([a-z ]+)\)$/.exec(message)
  return found === null ? null : found[1]
}
