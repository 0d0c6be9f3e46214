// CEL's conversions of numbers and texts as cel-cpp (the CEL of the Python reference) makes
// them, where cel-js makes them otherwise: `string(double)` writes cel-cpp's digits,
// `double(string)` and `uint(string)` read what cel-cpp reads, `uint(double)` takes what
// cel-cpp takes, and `string(bytes)` takes UTF-8 only. rules.js puts them in place of cel-js's; tests/test_portable_rules.py holds
// them to cel-cpp over many values.

/** The spaces cel-cpp takes around a number in a text (ASCII's, as absl's SimpleAtod). */
const SPACES = /^[\t\n\v\f\r ]*(.*?)[\t\n\v\f\r ]*$/s
const INFINITY = /^inf(?:inity)?$/i
const NAN = /^nan(?:\([0-9A-Za-z_]*\))?$/i
const DECIMAL = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/
const HEX = /^0[xX]([0-9A-Fa-f]*)(?:\.([0-9A-Fa-f]*))?(?:[pP]([+-]?[0-9]+))?$/
const UINT = /^[\t\n\v\f\r ]*\+?([0-9]+)[\t\n\v\f\r ]*$/
const UINT_MAX = 2n ** 64n - 1n
const TWO_64 = 2 ** 64
/** A binary exponent beyond which every mantissa a text can hold is 0 or infinite. */
const FAR = 1_000_000n

/**
 * A double as cel-cpp's `string()` writes it: the shortest digits that read back as the same
 * double, in `%g` style (an exponent, two digits at least, below 1e-4 and from 1e6). A NaN is
 * `nan`: cel-cpp writes `-nan` for a NaN with its sign bit set, which JavaScript cannot see.
 * @param {number} value
 */
export function doubleText(value) {
  if (Number.isNaN(value)) return 'nan'
  if (value === Infinity) return 'inf'
  if (value === -Infinity) return '-inf'
  if (value === 0) return Object.is(value, -0) ? '-0' : '0'
  const [mantissa, power] = value.toExponential().split('e') // the shortest digits
  const sign = value < 0 ? '-' : ''
  const digits = mantissa.replace(/^-/, '').replace('.', '')
  const exponent = Number(power)
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : ''
    const written = String(Math.abs(exponent)).padStart(2, '0')
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${written}`
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0')
  const fraction = digits.slice(exponent + 1)
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`
}

/**
 * A text read as a double as cel-cpp's `double()` reads it (absl's SimpleAtod): ASCII spaces
 * around, a sign, then digits with a point and an exponent, `0x` and hexadecimal digits with
 * a point and a binary exponent (`0x1.8p1`), `inf`, `infinity` or `nan(…)` in any case;
 * rounded to the nearest double, a tie to the even one. Null where cel-cpp fails.
 * @param {string} text
 * @returns {number | null}
 */
export function parseDouble(text) {
  let rest = SPACES.exec(text)[1]
  if (rest.startsWith('+')) {
    rest = rest.slice(1)
    if (rest.startsWith('-')) return null
  }
  const negative = rest.startsWith('-')
  if (negative) rest = rest.slice(1)
  let value = null
  if (INFINITY.test(rest)) value = Infinity
  else if (NAN.test(rest)) value = NaN
  else if (DECIMAL.test(rest)) value = Number(rest)
  else value = hexadecimal(rest)
  if (value === null) return null
  return negative ? -value : value
}

// A hexadecimal number `0x…` rounded exactly to the nearest double; null where it is none.
function hexadecimal(text) {
  const found = HEX.exec(text)
  if (found === null) return null
  const [, whole, fraction = '', power = '0'] = found
  if (whole === '' && fraction === '') return null
  const mantissa = BigInt(`0x0${whole}${fraction}`)
  if (mantissa === 0n) return 0
  let exponent = BigInt(power)
  if (exponent > FAR) exponent = FAR
  if (exponent < -FAR) exponent = -FAR
  exponent -= BigInt(4 * fraction.length) // the value is mantissa * 2^exponent
  const bits = mantissa.toString(2).length
  const top = Number(exponent) + bits - 1 // the exponent of its first bit
  const kept = top >= -1022 ? 53 : 1075 + top // a subnormal keeps fewer bits
  if (kept < 0) return 0
  const dropped = bits - kept
  if (dropped <= 0) return Number(mantissa) * 2 ** Number(exponent)
  let rounded = mantissa >> BigInt(dropped)
  const rest = mantissa - (rounded << BigInt(dropped))
  const half = 1n << BigInt(dropped - 1)
  if (rest > half || (rest === half && (rounded & 1n) === 1n)) rounded += 1n
  return Number(rounded) * 2 ** (Number(exponent) + dropped)
}

/**
 * A text read as a uint as cel-cpp's `uint()` reads it: ASCII spaces around, a `+`, decimal
 * digits, at most 2^64-1. The digits without leading zeros, or null where cel-cpp fails.
 * @param {string} text
 * @returns {string | null}
 */
export function uintDigits(text) {
  const found = UINT.exec(text)
  if (found === null) return null
  const value = BigInt(found[1])
  return value <= UINT_MAX ? String(value) : null
}

const UTF8 = new TextDecoder('utf-8', {fatal: true})

/**
 * Bytes read as a text as cel-cpp's `string()` reads them: UTF-8 only (cel-js puts U+FFFD for
 * what is not). Null where cel-cpp fails.
 * @param {Uint8Array} bytes
 * @returns {string | null}
 */
export function utf8Text(bytes) {
  try {
    return UTF8.decode(bytes)
  } catch {
    return null
  }
}

/** Whether cel-cpp's `uint()` takes a double: from 0 (or -0) to below 2^64. */
export function uintRange(value) {
  return value >= 0 && value < TWO_64
}
