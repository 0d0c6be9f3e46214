// JSON text → values, keeping what JSON.parse loses: every integer as a BigInt (exact beyond
// 2^53), every number with a fraction or an exponent as a Number. A request read this way is
// decided with `{integers: 'bigint'}` exactly as the Python reference decides the same text:
// `2.0` is not an int, 9223372036854775807 is.

const DEPTH = 1000
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y
const WHITESPACE = /[ \t\n\r]*/y
const ESCAPES = {'"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t'}

/**
 * Parse JSON text strictly (RFC 8259: no NaN, no trailing commas); a SyntaxError says where it
 * stops. Integers are BigInt, other numbers Number.
 * @param {string} text
 * @returns {unknown}
 */
export function parseJSON(text) {
  const reader = new Reader(String(text))
  const value = reader.value(0)
  reader.space()
  if (reader.at < reader.text.length) reader.fail('unexpected text after the value')
  return value
}

class Reader {
  constructor(text) {
    this.text = text
    this.at = 0
  }

  fail(why) {
    throw new SyntaxError(`JSON: ${why} at character ${this.at + 1}`)
  }

  space() {
    WHITESPACE.lastIndex = this.at
    WHITESPACE.test(this.text)
    this.at = WHITESPACE.lastIndex
  }

  value(depth) {
    this.space()
    const char = this.text[this.at]
    switch (char) {
      case '{':
        return this.object(depth + 1)
      case '[':
        return this.array(depth + 1)
      case '"':
        return this.string()
      case 't':
        return this.word('true', true)
      case 'f':
        return this.word('false', false)
      case 'n':
        return this.word('null', null)
      default:
        if (char === '-' || (char >= '0' && char <= '9')) return this.number()
        return this.fail(
          char === undefined
            ? 'the text ends where a value should be'
            : `unexpected ${JSON.stringify(char)}`
        )
    }
  }

  word(word, value) {
    if (!this.text.startsWith(word, this.at))
      this.fail(`unexpected ${JSON.stringify(this.text[this.at])}`)
    this.at += word.length
    return value
  }

  number() {
    NUMBER.lastIndex = this.at
    const found = NUMBER.exec(this.text)
    if (found === null) this.fail('a number is not written as JSON writes one')
    this.at = NUMBER.lastIndex
    if (found[1] === undefined && found[2] === undefined) return BigInt(found[0])
    return Number(found[0])
  }

  string() {
    let out = ''
    let start = ++this.at
    for (;;) {
      const code = this.text.charCodeAt(this.at)
      if (Number.isNaN(code)) this.fail('the text ends inside a string')
      if (code === 0x22) break
      if (code < 0x20) this.fail('a control character in a string')
      if (code !== 0x5c) {
        this.at++
        continue
      }
      out += this.text.slice(start, this.at)
      const escape = this.text[this.at + 1]
      if (escape === 'u') {
        const hex = this.text.slice(this.at + 2, this.at + 6)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('a \\u escape needs four hex digits')
        out += String.fromCharCode(parseInt(hex, 16))
        this.at += 6
      } else if (Object.hasOwn(ESCAPES, escape)) {
        out += ESCAPES[escape]
        this.at += 2
      } else {
        this.fail('an escape JSON does not know')
      }
      start = this.at
    }
    out += this.text.slice(start, this.at)
    this.at++
    return out
  }

  array(depth) {
    if (depth > DEPTH) this.fail('nested too deeply')
    this.at++
    const items = []
    this.space()
    if (this.text[this.at] === ']') {
      this.at++
      return items
    }
    for (;;) {
      items.push(this.value(depth))
      this.space()
      const char = this.text[this.at++]
      if (char === ']') return items
      if (char !== ',') this.fail('expected , or ] in a list')
    }
  }

  object(depth) {
    if (depth > DEPTH) this.fail('nested too deeply')
    this.at++
    const object = {}
    this.space()
    if (this.text[this.at] === '}') {
      this.at++
      return object
    }
    for (;;) {
      this.space()
      if (this.text[this.at] !== '"') this.fail('expected a key (a string)')
      const key = this.string()
      this.space()
      if (this.text[this.at++] !== ':') this.fail('expected : after a key')
      const value = this.value(depth)
      if (key === '__proto__')
        Object.defineProperty(object, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true
        })
      else object[key] = value
      this.space()
      const char = this.text[this.at++]
      if (char === '}') return object
      if (char !== ',') this.fail('expected , or } in an object')
    }
  }
}
