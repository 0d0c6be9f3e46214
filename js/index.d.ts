// Types of the kontaktcharta package (hand-written; the code is plain ECMAScript in src/).

/** The format of charta.json this package reads. */
export declare const FORMAT: 1

/** A policy, charta.json as JSON.parse gives it. The package checks it before using it. */
export type PolicyData = Record<string, unknown>

/** A contact request: which platform it came on, what is known about it, what a person judged. */
export interface Request {
  /** The id of one of the policy's platforms; left out (or null) when not known. */
  platform?: string | null
  /**
   * Known facts by name; a fact left out (or undefined) is unknown. A bool fact takes a boolean,
   * a string fact a string (at most 2,000 characters), a double fact a finite number, an int
   * fact a bigint within 64 bits or a whole number (a bigint only, with `integers: 'bigint'`).
   */
  facts?: Record<string, boolean | number | bigint | string | undefined>
  /** A person's verdict on criteria without a rule, by criterion id. */
  judgements?: Record<string, boolean | undefined>
}

export interface DecideOptions {
  /** The requester's name for a decline message; cleaned and shortened as the format says. */
  name?: string | null
  /**
   * How the request writes integers: as numbers (the default: a whole number is taken for an
   * int fact), or as bigint, as `parseJSON` reads them (then a number is a JSON number with a
   * fraction or exponent, such as `2.0`, which an int fact refuses, as Python does).
   */
  integers?: 'number' | 'bigint'
}

/** Something a person could answer to settle a review. */
export interface Question {
  kind: 'fact' | 'judgement' | 'platform'
  /** The fact's name, the criterion id, or `platform`. */
  name: string
  /** The fact's question, the criterion's question (else its text), or which platform. */
  question: string
}

/** What the policy says about one request: exactly what `charta decide --json` prints. */
export interface Decision {
  decision: 'accept' | 'decline' | 'review'
  /** The criterion ids behind an accept or a decline, in charta order. */
  reasons: string[]
  /** Under `match: all`, the accept criteria whose failing declines the request. */
  unmet: string[]
  /** What is still open, for a review. */
  questions: Question[]
  /** Whether the owner answers the request; false for a decline that is ignored. */
  reply: boolean
  /** The decline message to send, for a decline that is answered; else null. */
  message: string | null
}

/** A problem of a policy, with its key path (`accept.criteria[2].when`; '' for the policy). */
export interface Problem {
  path: string
  message: string
  /** The published limit the problem is about, where it is one. */
  limit?: string
}

/** A policy checked and compiled once, to decide many requests. */
export declare class Policy {
  /** Check and compile a policy; throws PolicyError listing its problems. */
  constructor(policy: PolicyData)
  /** Decide a request; throws RequestError, RuleError or MessageTooLong. */
  decide(request: unknown, options?: DecideOptions): Decision
}

/** Check and compile a policy once (the same Policy again for the same object). */
export declare function compile(policy: PolicyData | Policy): Policy

/**
 * Decide a request by a policy: the policy is compiled on first use and kept for that object
 * (do not change it afterwards). Throws PolicyError, RequestError, RuleError or MessageTooLong.
 */
export declare function decide(
  policy: PolicyData | Policy,
  request: unknown,
  options?: DecideOptions
): Decision

/** Every problem of a policy: its schema and the published limits. */
export declare function checkPolicy(policy: unknown): Problem[]

/** A requester's name as a decline message carries it: one line, nothing invisible, ≤ 64 characters. */
export declare function cleanName(name: string): string

/** JSON text → values, integers as bigint (exact), other numbers as number; strict JSON. */
export declare function parseJSON(text: string): unknown

/** A policy that cannot be used. */
export declare class PolicyError extends Error {
  readonly problems: Problem[]
}

/** A request that does not fit the policy. */
export declare class RequestError extends Error {
  /** The key it names: '' for the request itself, `platform`, `facts.met`, `judgements.x`. */
  readonly path: string
}

/** A rule that failed for another reason than a missing fact (a division by zero, …). */
export declare class RuleError extends Error {
  /** The id of the criterion whose rule failed. */
  readonly criterion: string
  /** What CEL said. */
  readonly detail: string
}

/** A decline message that does not fit the platform's message_limit even at its shortest. */
export declare class MessageTooLong extends Error {
  readonly limit: number
  readonly shortest: number
  /** The platform's name. */
  readonly platform: string
}
