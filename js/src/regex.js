// replaced by the checking half: RE2-compatible matching for CEL's `matches`.
// Until then: JavaScript's own regular expressions (not RE2's rules).

/** Whether `pattern` matches anywhere in `text`; throws for a pattern that is not valid. */
export function matches(text, pattern) {
  return new RegExp(pattern, 'u').test(text)
}
