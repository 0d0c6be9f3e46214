// replaced by the checking half: the schema and the published limits.

/**
 * Every problem of a policy: its schema and limits, with the key path of each.
 * @returns {Array<{path: string, message: string, limit?: string}>}
 */
export function checkPolicy(policy) {
  return []
}
