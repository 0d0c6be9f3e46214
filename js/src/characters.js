// A requester's name as a message carries it (Python: characters.clean_name and shorten), and
// text as Python counts and splits it: by code point, at Python's whitespace.

/** The most characters of a requester's name a message carries; a longer name is shortened. */
export const NAME = 64

/** What Python's str.split() splits at and str.strip() takes away (str.isspace). */
const SPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const SPACES = new RegExp(`[${SPACE}]+`, 'u')
const TRAILING = new RegExp(`[${SPACE}]+$`, 'u')

/** Letters and marks that show nothing: the combining grapheme joiner, Hangul fillers, the
 * blank Braille pattern, variation selectors, tags. */
const BLANK = /[\u034f\u115f\u1160\u2800\u3164\uffa0\ufe00-\ufe0f\u{e0000}-\u{e01ef}]/gu
/** What Python's str.isprintable() refuses: categories C* and Z* but the ASCII space. */
const UNPRINTABLE = /(?! )[\p{C}\p{Z}]/u
/** The categories a name loses whole: controls, format characters, private use, unassigned,
 * surrogates, line and paragraph separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/gu

/** The number of code points in a text (Python's len). */
export function length(text) {
  let count = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) i++
    }
    count++
  }
  return count
}

/** Python's " ".join(text.split()): whitespace runs as one space, none at the ends. */
export function oneLine(text) {
  return text.split(SPACES).filter(Boolean).join(' ')
}

/** Python's text.rstrip(): whitespace taken off the end. */
export function stripEnd(text) {
  return text.replace(TRAILING, '')
}

/**
 * A requester's name for a message: on one line, without what cannot be seen, at most NAME
 * characters (a longer one ends at a word, with …).
 * @param {string} name
 */
export function cleanName(name) {
  BLANK.lastIndex = 0
  const fine = !UNPRINTABLE.test(name) && !BLANK.test(name)
  if (fine && length(name) <= NAME && oneLine(name) === name) return name
  name = oneLine(name)
  if (!fine) {
    name = oneLine(name.replace(BLANK, '').replace(INVISIBLE, ''))
  }
  return shorten(name, NAME)
}

/**
 * The name itself where it has at most `most` characters, else its whole words that fit
 * (within a word only where the first alone does not) and …; empty where not even one
 * character and … fit.
 * @param {string} name
 * @param {number} most
 */
export function shorten(name, most) {
  const chars = Array.from(name)
  if (chars.length <= most) return name
  if (most < 2) return ''
  let start = chars.slice(0, most - 1).join('')
  if (chars[most - 1] !== ' ' && start.includes(' ')) start = start.slice(0, start.lastIndexOf(' '))
  return start.replace(/[ ,.;:-]+$/u, '') + '…'
}
