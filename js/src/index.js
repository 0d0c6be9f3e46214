// kontaktcharta: decide contact requests by a Kontaktcharta policy (charta.json, format 1),
// as docs/deciding.md says and the Python reference does.

import {Policy} from './decide.js'

export {checkPolicy} from './check.js'
export {cleanName} from './characters.js'
export {MessageTooLong, PolicyError, RequestError, RuleError} from './errors.js'
export {parseJSON} from './json.js'
export {Policy}

/** The format of charta.json this package reads. */
export const FORMAT = 1

const compiled = new WeakMap()

/**
 * Check a policy and compile it once; decide many requests with its `decide`.
 * @param {object} policy charta.json, parsed
 * @returns {Policy}
 */
export function compile(policy) {
  if (policy instanceof Policy) return policy
  let found = compiled.get(policy)
  if (found === undefined) {
    found = new Policy(policy)
    compiled.set(policy, found)
  }
  return found
}

/**
 * Decide a request by a policy: the object `charta decide --json --name NAME` prints. The
 * policy is compiled on first use and kept for that object (do not change it afterwards).
 * @param {object} policy charta.json, parsed (or a compiled Policy)
 * @param {unknown} request `{platform?, facts?, judgements?}`
 * @param {{name?: string | null, integers?: 'number' | 'bigint'}} [options]
 */
export function decide(policy, request, options = {}) {
  if (policy === null || typeof policy !== 'object') {
    throw new TypeError('decide(policy, request): the policy is charta.json as an object')
  }
  return compile(policy).decide(request, options)
}
