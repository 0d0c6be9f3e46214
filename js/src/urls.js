// Links as the Python reader reads and makes them (Python's urllib.parse): whether a URL can be
// split at all, a criterion's deep link, and a translation's address below the page's.

/**
 * Why Python's urlsplit refuses a URL the schema's pattern lets through (a bracket that opens
 * no IPv6 address, a host that NFKC turns into a path), or null.
 */
export function unsplittable(url) {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(url)
  const rest = scheme === null ? url : url.slice(scheme[0].length)
  if (!rest.startsWith('//')) return null
  const netloc = /^[^/?#]*/.exec(rest.slice(2))[0]
  const open = netloc.includes('[')
  if (open !== netloc.includes(']')) return 'an IPv6 address without its closing bracket'
  if (open) {
    const host = netloc.split('[')[1].split(']')[0]
    const fits = host.startsWith('v') ? /^v[a-fA-F0-9]+\..+$/su.test(host) : ipv6(host)
    if (!fits) return `[${host}] is not an IPv6 address`
  }
  if (!/^[\x00-\x7f]*$/.test(netloc)) {
    const n = netloc.replace(/[@:#?]/g, '')
    const normal = n.normalize('NFKC')
    if (n !== normal && /[/?#@:]/.test(normal)) {
      return `the host ${netloc} holds characters that NFKC turns into / ? # @ or :`
    }
  }
  return null
}

// An IPv6 address as Python's ipaddress reads one (a scope `%eth0` allowed).
function ipv6(text) {
  const [address, ...scope] = text.split('%')
  if (scope.length > 1 || (scope.length === 1 && scope[0] === '')) return false
  const parts = address.split(':')
  if (parts.length < 3) return false
  if (parts[parts.length - 1].includes('.')) {
    if (!ipv4(parts.pop())) return false
    parts.push('0', '0')
  }
  if (parts.length > 9) return false
  const inner = parts
    .slice(1, -1)
    .map((part, i) => (part === '' ? i + 1 : -1))
    .filter((i) => i >= 0)
  if (inner.length > 1) return false
  let hextets = parts
  if (inner.length === 1) {
    let high = inner[0]
    let low = parts.length - inner[0] - 1
    if (!parts[0]) high--
    if (!parts[parts.length - 1]) low--
    if ((!parts[0] && high) || (!parts[parts.length - 1] && low)) return false
    if (8 - (high + low) < 1) return false
    hextets = [...parts.slice(0, inner[0]), ...parts.slice(inner[0] + 1)].filter((p) => p)
  } else if (parts.length !== 8 || !parts[0] || !parts[parts.length - 1]) {
    return false
  }
  return hextets.every((part) => /^[0-9a-fA-F]{1,4}$/.test(part))
}

function ipv4(text) {
  const octets = text.split('.')
  return (
    octets.length === 4 &&
    octets.every(
      (octet) =>
        /^[0-9]{1,3}$/.test(octet) && (octet === '0' || octet[0] !== '0') && Number(octet) <= 255
    )
  )
}

/** The deep link to a criterion: absolute under `url`, else the bare anchor. */
export function link(section, id, url) {
  const anchor = `#${section}-${id}`
  return url ? base(url) + anchor : anchor
}

// What `urljoin(url, "#x")` puts before the `#`: the URL without its fragment, its scheme in
// lower case, an empty query or `;` dropped.
function base(url) {
  const {scheme, netloc, path, query} = split(url)
  return unsplit(scheme, netloc, path, query)
}

/** A translation's public address below the charta's `url` (`urljoin(url, "en/")`), or null. */
export function translationUrl(url, tag) {
  if (!url) return null
  const {scheme, netloc, path} = split(url)
  const parts = path.split('/')
  if (parts[parts.length - 1] !== '') parts.pop()
  const segments = [...parts, tag.toLowerCase(), '']
  const kept = [segments[0], ...segments.slice(1, -1).filter((s) => s), segments.at(-1)]
  const resolved = []
  for (const segment of kept) {
    if (segment === '..') resolved.pop()
    else if (segment !== '.') resolved.push(segment)
  }
  return unsplit(scheme, netloc, resolved.join('/') || '/', '')
}

// urlparse of an absolute http(s) URL: the path without its `;params` where they are empty.
function split(url) {
  const [, scheme, netloc, rest, query = ''] = /^([^:]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/s.exec(
    url
  )
  const last = rest.lastIndexOf('/')
  const semicolon = rest.indexOf(';', last < 0 ? 0 : last)
  const path = semicolon >= 0 && semicolon === rest.length - 1 ? rest.slice(0, -1) : rest
  return {scheme: scheme.toLowerCase(), netloc, path, query}
}

function unsplit(scheme, netloc, path, query) {
  if (path && !path.startsWith('/')) path = '/' + path
  return `${scheme}://${netloc}${path}${query ? '?' + query : ''}`
}
