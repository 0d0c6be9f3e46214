// Decline messages: the policy's template filled with the name, reasons, link and
// alternatives (Python: messages.py). Messages are plain text. A template knows exactly four
// placeholders; any other brace is text. Where the platform has a `message_limit`, optional
// parts are dropped until the message fits; the link is never dropped.

import {cleanName, length, oneLine, shorten, stripEnd} from './characters.js'
import {MessageTooLong} from './errors.js'

const PLACEHOLDER = /\{(name|reasons|url|alternatives)\}/g
const PARAGRAPH_BREAK = /\n[ \t]*\n/
const EMPTY_NAME = /[ \t]*\{name\}(?=[ \t]*(?:[,.!?;:]|\n|$))/g
const BLANK_LINES = /\n{3,}/g
const DROPPABLE = new Set(['reasons', 'alternatives'])

const DEFAULT_DECLINE = {
  de: `Guten Tag {name},

vielen Dank für Ihre Kontaktanfrage. Ich nehme sie jedoch nicht an.

{reasons}

Meine Regeln für Kontaktanfragen finden Sie hier: {url}

Was Sie stattdessen tun können:
{alternatives}

Viele Grüße`,
  en: `Hello {name},

thank you for your contact request. However, I am not accepting it.

{reasons}

You can find my rules for contact requests here: {url}

What you can do instead:
{alternatives}

Best regards`
}

/** The primary language of a BCP 47 tag, lower case: `de-AT` → `de` (`_` read as `-`). */
export function primary(tag) {
  return tag.replaceAll('_', '-').split('-')[0].toLowerCase()
}

/** The decline template of a charta that writes none: German for `de*`, else English. */
export function defaultTemplate(lang) {
  return DEFAULT_DECLINE[primary(lang)] ?? DEFAULT_DECLINE.en
}

/** A decline template, prepared once for every combination of empty parts. */
export class Template {
  /** @param {string} source the template as written */
  constructor(source) {
    this.source = source
    /** Pieces (text, or a placeholder's name) by `name reasons alternatives` given, as 0/1. */
    this.forms = new Map()
    for (const name of [true, false]) {
      for (const reasons of [true, false]) {
        for (const alternatives of [true, false]) {
          const given = {name, url: true, reasons, alternatives}
          this.forms.set(key(name, reasons, alternatives), form(source, given))
        }
      }
    }
  }

  /** Replace the four placeholders; what empty ones leave behind is already tidied. */
  fill(values) {
    const pieces = this.forms.get(key(values.name, values.reasons, values.alternatives))
    let text = ''
    for (const piece of pieces)
      text += typeof piece === 'string' ? piece : values[piece.placeholder]
    return text
  }
}

function key(name, reasons, alternatives) {
  return `${name ? 1 : 0}${reasons ? 1 : 0}${alternatives ? 1 : 0}`
}

/** The template with the empty placeholders removed and tidied: text pieces and placeholders. */
function form(source, given) {
  const paragraphs = []
  for (const paragraph of source.split(PARAGRAPH_BREAK)) {
    const used = new Set(Array.from(paragraph.matchAll(PLACEHOLDER), (found) => found[1]))
    // A paragraph that only frames empty reasons or alternatives goes with them.
    const framing = used.size > 0 && [...used].every((name) => DROPPABLE.has(name))
    if (framing && ![...used].some((name) => given[name])) continue
    paragraphs.push(paragraph)
  }
  let text = paragraphs.join('\n\n')
  if (!given.name) text = text.replace(EMPTY_NAME, '') // "Hello {name}," becomes "Hello,"
  const pieces = text.split(PLACEHOLDER) // text, name, text, name, …, text
  for (let index = 1; index < pieces.length; index += 2) {
    if (given[pieces[index]]) {
      pieces[index] = {placeholder: pieces[index]}
      continue
    }
    pieces[index] = ''
    const following = pieces[index + 1]
    if (
      ' \t\n'.includes(following.slice(0, 1) || 'x') ||
      (index + 2 === pieces.length && !following)
    ) {
      pieces[index - 1] = pieces[index - 1].replace(/[ \t]+$/, '') // no double space where it was
    }
  }
  // Tidy the text with each placeholder as a mark that no policy text holds (a noncharacter).
  const MARK = '\uffff'
  const joined = pieces.map((piece) => (typeof piece === 'string' ? piece : MARK)).join('')
  let tidy = joined.split('\n').map(stripEnd).join('\n')
  tidy = tidy.replace(BLANK_LINES, '\n\n').replace(/^\n+|\n+$/g, '')
  const placeholders = pieces.filter((piece) => typeof piece !== 'string')
  const out = []
  tidy.split(MARK).forEach((part, index) => {
    if (index > 0) out.push(placeholders[index - 1])
    if (part) out.push(part)
  })
  return out
}

/** The decline messages of one policy, prepared once. */
export class DeclineMessages {
  /** @param {object} policy a checked charta.json */
  constructor(policy) {
    const reasons = {accept: new Map(), decline: new Map()}
    for (const side of ['accept', 'decline']) {
      for (const criterion of policy[side].criteria) {
        const text = oneLine(criterion.text)
        const full = oneLine(criterion.reason || text)
        const short = length(text) < length(full) ? text : full
        reasons[side].set(criterion.id, {full, short, link: criterion.link})
      }
    }
    /** Every decline criterion by id, as a reason. */
    this.reasons = reasons.decline
    /** Every accept criterion by id, as a condition a decline under `match: all` names unmet. */
    this.conditions = reasons.accept
    /** The decline criteria whose requests get no message (`reply: false`). */
    this.silent = new Set(policy.decline.criteria.filter((c) => c.reply === false).map((c) => c.id))
    this.alternatives = (policy.declined.alternatives ?? [])
      .map(({text, url}) => (url ? `- ${oneLine(text)}: ${url}` : `- ${oneLine(text)}`))
      .join('\n')
    this.sectionLink = sectionLink(policy)
    /** Platform name and `message_limit` by platform id, where a limit is set. */
    this.limits = new Map()
    const main = new Template(policy.messages?.decline || defaultTemplate(policy.lang))
    /** The decline template by platform id; the charta's under null. */
    this.templates = new Map([[null, main]])
    for (const platform of policy.platforms ?? []) {
      if (platform.message_limit != null) {
        this.limits.set(platform.id, [platform.name, Number(platform.message_limit)])
      }
      const own = platform.messages
      this.templates.set(platform.id, own != null ? new Template(own.decline) : main)
    }
  }

  /** Whether a decline for these reasons gets a message (none of them `reply: false`). */
  answered(reasons) {
    return !reasons.some((reason) => this.silent.has(reason))
  }

  /**
   * The decline message for these reasons and unmet accept criteria, shortened to the
   * platform's limit: the reasons' sentences, then the unmet criteria's; the link goes to the
   * first unmet criterion, else to the first reason.
   * @param {string[]} reasons @param {string | null | undefined} name
   * @param {string | null} platform @param {string[]} unmet
   */
  render(reasons, name, platform, unmet = []) {
    const chosen = reasons.map((reason) => known(this.reasons, reason, 'reason', 'decline'))
    const missing = unmet.map((id) => known(this.conditions, id, 'condition', 'accept'))
    chosen.push(...missing)
    const first = missing[0] ?? chosen[0]
    name = name ? cleanName(name) : ''
    const values = {
      name: '',
      url: first !== undefined ? first.link : this.sectionLink,
      reasons: listed(chosen.map((reason) => reason.full)),
      alternatives: this.alternatives
    }
    const template = this.templates.get(platform) ?? this.templates.get(null)
    const limit = platform != null ? this.limits.get(platform) : undefined
    let message = template.fill({...values, name})
    if (limit === undefined || length(message) <= limit[1]) return message // most messages
    // The parts that fit are those that fit without the name, as the build checked them; the
    // name takes the room left, shortened where it needs more. Dropped one at a time:
    // alternatives, long reasons, further reasons.
    const levels = [
      chosen.map((reason) => reason.full),
      chosen.map((reason) => reason.full),
      chosen.map((reason) => reason.short),
      chosen.slice(0, 1).map((reason) => reason.short)
    ]
    for (const [level, texts] of levels.entries()) {
      if (level === 1) values.alternatives = ''
      values.reasons = listed(texts)
      message = template.fill(values)
      if (length(message) <= limit[1])
        return name ? named(template, values, name, limit[1]) : message
    }
    const own = template !== this.templates.get(null)
    const written = own ? `the messages.decline of ${limit[0]}` : 'messages.decline'
    throw new MessageTooLong(limit[1], length(message), limit[0], written)
  }
}

/** The message with the name, shortened to the room the message leaves it. */
function named(template, values, name, limit) {
  let message = template.fill({...values, name})
  let room = length(name) - Math.max(0, length(message) - limit)
  while (room > 0 && length(message) > limit) {
    message = template.fill({...values, name: shorten(name, room)})
    room -= 1
  }
  return length(message) <= limit ? message : template.fill(values)
}

function known(table, id, what, side) {
  const found = table.get(id)
  if (found === undefined) {
    throw new RangeError(
      `unknown ${what} '${id}'; ${side} criteria: ${[...table.keys()].join(', ')}`
    )
  }
  return found
}

/** One reason as it is; several as `- ` lines. */
function listed(reasons) {
  if (reasons.length === 1) return reasons[0]
  return reasons.map((reason) => `- ${reason}`).join('\n')
}

/** The link to the decline section: `#decline` after what every criterion's link has before
 * its own anchor (the page's `url`, as Python's urljoin writes it), or `#decline` alone. */
function sectionLink(policy) {
  const [criterion] = policy.accept.criteria
  const anchor = `#accept-${criterion.id}`
  const base = criterion.link.endsWith(anchor) ? criterion.link.slice(0, -anchor.length) : ''
  return `${base}#decline`
}
