// What only JavaScript has: its numbers, undefined, object keys, the compiled policy kept for
// its object, the errors' fields. The decisions themselves are held to Python's by the
// conformance suite and tests/test_js.py.
//
//   node --test test/

import assert from 'node:assert/strict'
import {test} from 'node:test'
import {
  FORMAT,
  MessageTooLong,
  Policy,
  PolicyError,
  RequestError,
  RuleError,
  checkPolicy,
  cleanName,
  compile,
  decide,
  parseJSON
} from '../src/index.js'
import {DeclineMessages} from '../src/messages.js'

const URL = 'https://erika.example/k/'
const criterion = (side, id, when, more = {}) => ({
  id,
  text: `${id} holds`,
  html: `${id} holds`,
  link: `${URL}#${side}-${id}`,
  ...(when === undefined ? {} : {when}),
  ...more
})

/** A small policy: an int, a double, a bool and a string fact; one platform with a limit. */
function policy({accept, decline, limit} = {}) {
  return {
    charta: 1,
    lang: 'en',
    title: 'Contacts',
    owner: {name: 'Erika'},
    url: URL,
    updated: '2026-11-21',
    review_by: null,
    based_on: null,
    revision: `sha256:${'0'.repeat(64)}`,
    intro: null,
    platforms: [
      {id: 'xing', name: 'XING', use: 'business', ...(limit ? {message_limit: limit} : {})}
    ],
    facts: [
      {name: 'count', type: 'int', question: 'How many?'},
      {name: 'ratio', type: 'double', question: 'How close?'},
      {name: 'met', type: 'bool', question: 'Met?'},
      {name: 'constructor', type: 'string', question: 'Built by?'}
    ],
    accept: {
      title: 'Yes',
      match: 'any',
      criteria: accept ?? [criterion('accept', 'many', 'count / 2 >= 3')]
    },
    decline: {title: 'No', criteria: decline ?? [criterion('decline', 'far', 'ratio < 0.5')]},
    goal: null,
    declined: {title: 'Declined', text: 'Sorry.', html: '<p>Sorry.</p>', alternatives: []},
    messages: {decline: 'Hello {name}, {reasons} {url}'},
    examples: [],
    translations: {}
  }
}

test('the format it reads', () => {
  assert.equal(FORMAT, 1)
})

test('an int fact takes a whole Number or a BigInt, and divides as an int', () => {
  const p = policy()
  assert.equal(decide(p, {facts: {count: 7, ratio: 0.9}}).decision, 'accept') // 7 / 2 is 3
  assert.equal(decide(p, {facts: {count: 5n, ratio: 0.9}}).decision, 'decline') // 5 / 2 is 2
  assert.throws(() => decide(p, {facts: {count: 2.5}}), {name: 'RequestError', path: 'facts.count'})
  assert.throws(() => decide(p, {facts: {count: 2n ** 63n}}), /from -2\^63 to 2\^63-1/)
  assert.equal(decide(p, {facts: {count: 2n ** 63n - 1n, ratio: 1}}).decision, 'accept')
})

test("with integers: 'bigint', a Number is a fraction, as JSON's 2.0", () => {
  const p = policy()
  const request = parseJSON('{"facts": {"count": 6.0, "ratio": 1}}')
  assert.deepEqual(request, {facts: {count: 6, ratio: 1n}})
  assert.throws(() => decide(p, request, {integers: 'bigint'}), {
    path: 'facts.count',
    message: 'facts.count: expected an int (a whole number), got 6.0'
  })
  const exact = parseJSON('{"facts": {"count": 9223372036854775807, "ratio": 2}}')
  assert.equal(decide(p, exact, {integers: 'bigint'}).decision, 'accept') // ratio: 2 is 2.0
})

test('a double fact stays a double where it is whole', () => {
  const p = policy({decline: [criterion('decline', 'whole', 'ratio == 2.0')]})
  assert.deepEqual(decide(p, {facts: {count: 0, ratio: 2}}).reasons, ['whole'])
  assert.deepEqual(decide(p, {facts: {count: 0, ratio: 2n}}).reasons, ['whole'])
})

test('undefined leaves a key out; null is refused', () => {
  const p = policy()
  const open = decide(p, {
    platform: undefined,
    facts: {count: undefined, ratio: 0.9},
    colour: undefined
  })
  assert.deepEqual(
    open.questions.map((q) => q.name),
    ['count']
  )
  assert.throws(() => decide(p, {facts: {count: null}}), {path: 'facts.count'})
  assert.throws(() => decide(p, {facts: null}), {path: 'facts'})
  assert.throws(() => decide(p, new Map()), {path: ''})
  assert.throws(() => decide(p, {facts: {toString: 1}}), {path: 'facts.toString'})
})

test('a fact may be called like a property every object has', () => {
  const p = policy({decline: [criterion('decline', 'self', 'constructor == "me"')]})
  assert.deepEqual(decide(p, {facts: {constructor: 'me'}}).reasons, ['self'])
  const open = decide(p, {facts: {count: 7}}) // the accept side holds; is the decline open?
  assert.deepEqual(
    open.questions.map((q) => q.name),
    ['constructor']
  )
})

test('a fact named __proto__ or prototype is refused, one named toString is a fact', () => {
  // cel-js cannot declare the first two: the check names them and never throws.
  const withFacts = (names, when) => ({
    ...policy({
      accept: [criterion('accept', 'both', when)],
      decline: [criterion('decline', 'either', 'hasOwnProperty || valueOf')]
    }),
    facts: names.map((name) => ({name, type: 'bool', question: `${name}?`}))
  })
  const names = ['constructor', 'toString', 'hasOwnProperty', 'valueOf']
  for (const name of ['__proto__', 'prototype']) {
    const p = withFacts([...names, name], `constructor && ${name}`)
    const problems = [
      {
        path: 'facts[4]',
        message:
          `'${name}' cannot name a fact (CEL, the request or JavaScript reserves it; ` +
          'choose another name)'
      },
      {path: 'accept.criteria[0].when', message: `Reserved identifier: ${name}`}
    ]
    assert.deepEqual(checkPolicy(p), problems)
    assert.deepEqual(checkPolicy(withFacts([...names, name], 'constructor')), problems.slice(0, 1))
    assert.throws(() => compile(p), {name: 'PolicyError', problems})
    const alone = withFacts([...names, name], 'true')
    assert.throws(() => decide(alone, {}), {name: 'PolicyError', problems: problems.slice(0, 1)})
  }
  const p = withFacts(names, 'constructor && toString')
  assert.deepEqual(checkPolicy(p), [])
  const facts = {constructor: true, toString: true, hasOwnProperty: false, valueOf: false}
  assert.deepEqual(decide(p, {facts}).reasons, ['both'])
  assert.deepEqual(decide(p, {facts: {...facts, valueOf: true}}).reasons, ['either'])
  assert.deepEqual(
    decide(p, {facts: {toString: true}}).questions.map((q) => q.name),
    ['constructor', 'hasOwnProperty', 'valueOf']
  )
})

test('a policy is compiled once for its object', () => {
  const p = policy()
  assert.equal(compile(p), compile(p))
  assert.ok(compile(p) instanceof Policy)
  assert.equal(compile(compile(p)), compile(p))
  assert.notEqual(compile(policy()), compile(p))
})

test('a rule the runtime cannot compile refuses the policy, naming the rule', () => {
  const p = policy({accept: [criterion('accept', 'odd', "has({'a': 1}.a)")]})
  assert.throws(
    () => compile(p),
    (error) => error instanceof PolicyError && error.problems[0].path === 'accept.criteria[0].when'
  )
})

test('a rule that fails names its criterion; a missing fact leaves it open', () => {
  const p = policy({accept: [criterion('accept', 'share', '100 / count > 3')]})
  assert.throws(
    () => decide(p, {facts: {count: 0, ratio: 1}}),
    (error) =>
      error instanceof RuleError &&
      error.criterion === 'share' &&
      /division by zero/.test(error.detail)
  )
  assert.equal(decide(p, {facts: {ratio: 1}}).decision, 'review')
})

test('a message that cannot fit says so', () => {
  // A policy whose reasons do not fit a platform is refused when it is checked; the messages
  // themselves say why.
  const messages = new DeclineMessages(policy({limit: 10}))
  assert.throws(
    () => messages.render(['far'], null, 'xing'),
    (error) => error instanceof MessageTooLong && error.limit === 10 && error.platform === 'XING'
  )
})

test('decisions are fresh objects, whatever step made them', () => {
  // Under `all`: accept, decline by a reason, by the fallback with an unmet criterion, a review
  // asking questions, and declines that are not answered (`reply: false`), by a reason and by
  // the fallback. Each decision is changed in every list and question it holds; deciding the
  // same requests again gives what it gave before.
  const policies = [false, true].map((silent) =>
    policy({
      accept: [
        criterion('accept', 'many', 'count / 2 >= 3'),
        criterion('accept', 'close', 'ratio > 0.5')
      ],
      decline: [
        criterion('decline', 'far', 'ratio < 0.1'),
        criterion('decline', 'rude', undefined, {reply: false}),
        criterion('decline', 'other', undefined, {otherwise: true, reply: !silent})
      ]
    })
  )
  for (const p of policies) p.accept.match = 'all'
  const cases = [
    [0, {facts: {count: 7, ratio: 0.9, met: true}, judgements: {rude: false}}, 'accept'],
    [0, {facts: {count: 7, ratio: 0.05}}, 'decline'],
    [0, {facts: {count: 1, ratio: 0.9}, judgements: {rude: false}}, 'decline'],
    [0, {facts: {}}, 'review'],
    [0, {facts: {count: 7, ratio: 0.9}, judgements: {rude: true}}, 'decline'],
    [1, {facts: {count: 1, ratio: 0.9}, judgements: {rude: false}}, 'decline']
  ]
  const all = (name) =>
    cases.map(([which, request]) => {
      try {
        return decide(policies[which], request, {name})
      } catch (error) {
        return {error: String(error)}
      }
    })
  for (const name of [null, 'Max Muster']) {
    const first = all(name)
    const before = structuredClone(first)
    assert.deepEqual(
      first.map((d) => d.decision),
      cases.map(([, , outcome]) => outcome)
    )
    assert.deepEqual(first[2].unmet, ['many']) // the fallback, naming what is unmet
    assert.notEqual(first[3].questions.length, 0)
    assert.deepEqual([first[4].reply, first[5].reply], [false, false])
    for (const d of first) {
      d.reasons.push('changed')
      d.unmet.push('changed')
      for (const question of d.questions) question.name = 'changed'
      d.questions.push({kind: 'fact', name: 'changed', question: 'changed'})
      d.message = 'changed'
    }
    assert.deepEqual(all(name), before)
  }
})

test('a name loses what cannot be seen, by code point', () => {
  assert.equal(cleanName('Eve\u202egnilrac'), 'Evegnilrac')
  assert.equal(cleanName('  Anna\n  Berg  '), 'Anna Berg')
  assert.equal(cleanName('\u{1f44b}'.repeat(70)), '\u{1f44b}'.repeat(63) + '…')
})

test('parseJSON is strict JSON', () => {
  for (const text of ['NaN', '[1,]', "{'a': 1}", '01', '"\\x41"', '1 2']) {
    assert.throws(() => parseJSON(text), SyntaxError, text)
  }
  assert.deepEqual(parseJSON('{"a": [1.5, -0, "\\ud800"], "__proto__": true}'), {
    a: [1.5, 0n, '\ud800'],
    ['__proto__']: true
  })
  assert.throws(() => parseJSON('['.repeat(2000)), /nested too deeply/)
})
