// The errors deciding raises: each says what a caller can do about it.

/** A policy that cannot be used: `problems` lists each, with its key path. */
export class PolicyError extends Error {
  /** @param {Array<{path: string, message: string, limit?: string}>} problems */
  constructor(problems) {
    const shown = problems.slice(0, 5).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
    const more = problems.length > 5 ? `\n(and ${problems.length - 5} more)` : ''
    super(`the policy cannot be used:\n${shown.join('\n')}${more}`)
    this.name = 'PolicyError'
    this.problems = problems
  }
}

/** A request that does not fit the policy; `path` is the key it names ('' for the request). */
export class RequestError extends Error {
  /** @param {string} path @param {string} message the whole message, path first */
  constructor(path, message) {
    super(message)
    this.name = 'RequestError'
    this.path = path
  }
}

/** A rule that failed for another reason than a missing fact; `criterion` is its id. */
export class RuleError extends Error {
  /** @param {string} criterion @param {string} detail what CEL said */
  constructor(criterion, detail) {
    super(`the rule of criterion '${criterion}' failed: ${detail}`)
    this.name = 'RuleError'
    this.criterion = criterion
    this.detail = detail
  }
}

/** Even the shortest decline message is longer than the platform takes. */
export class MessageTooLong extends Error {
  /**
   * @param {number} limit the platform's message_limit
   * @param {number} shortest the length of the shortest form, in code points
   * @param {string} platform the platform's name
   * @param {string} template which template to shorten
   */
  constructor(limit, shortest, platform, template = 'messages.decline') {
    super(
      `the decline message has ${shortest} characters even at its shortest, but ` +
        `${platform} takes at most ${limit}; shorten ${template} or the first reason`
    )
    this.name = 'MessageTooLong'
    this.limit = limit
    this.shortest = shortest
    this.platform = platform
  }
}
