// A small JSON Schema (draft-07) checker for the keywords the policy's schema uses: type,
// properties, required, additionalProperties, propertyNames, items, minItems, maxItems,
// maxProperties, maxLength, minimum, maximum, enum, const, pattern, anyOf and $ref to
// #/definitions. It interprets the schema as data (no code is made from it), and reports
// every problem at its key path as the Python reader writes it: `accept.criteria[0].when`,
// `translations.en.title`, `""` for the value itself. Where the reader reports one problem,
// so does this: a list or object with too many entries is not looked into, nor the value of a
// key whose name does not fit, nor anything below a value of the wrong type.

const TYPES = {
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  array: (v) => Array.isArray(v),
  string: (v) => typeof v === 'string',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null
}
const NAMES = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  integer: 'an int',
  number: 'a number',
  boolean: 'true or false',
  null: 'null'
}

/**
 * Every problem of `value` by `schema`: [{path, message, keyword, kind, value?}], `kind` the
 * `x-kind` of the key it was found at, `value` the text a pattern refused. `seen(kind, value, path)` is called for each value of a key that
 * names its kind and fits its schema, for the checks a schema cannot say.
 */
export function validate(schema, value, seen = () => {}) {
  const checker = new Checker(schema, seen)
  checker.check(schema, value, '', null)
  return checker.problems
}

/** A JSON value as a message quotes it, cut short. */
export function show(value) {
  let text
  try {
    text = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? 'nothing'
  } catch {
    text = String(value) // a cycle: not JSON at all
  }
  return [...text].length <= 40 ? text : [...text].slice(0, 37).join('') + '...'
}

/** A key path one step down: `a.b`, or `b` at the top. */
export function join(path, name) {
  return path ? `${path}.${name}` : String(name)
}

class Checker {
  constructor(root, seen) {
    this.root = root
    this.seen = seen
    this.problems = []
    this.patterns = new Map()
  }

  at(path, message, keyword, kind, value) {
    this.problems.push({path, message, keyword, kind, value})
  }

  resolve(schema) {
    while (schema.$ref !== undefined) {
      const match = /^#\/definitions\/(.+)$/.exec(schema.$ref)
      if (match === null) throw new Error(`cannot follow $ref ${schema.$ref}`)
      schema = this.root.definitions[match[1]]
    }
    return schema
  }

  pattern(source) {
    let compiled = this.patterns.get(source)
    if (compiled === undefined) {
      compiled = new RegExp(source, 'u')
      this.patterns.set(source, compiled)
    }
    return compiled
  }

  // Whether the value fits; its problems are reported.
  check(schema, value, path, kind) {
    kind = schema['x-kind'] ?? kind
    const before = this.problems.length
    this.node(this.resolve(schema), value, path, kind)
    const fits = this.problems.length === before
    if (fits && schema['x-kind'] !== undefined && value !== null) {
      this.seen(schema['x-kind'], value, path)
    }
    return fits
  }

  node(schema, value, path, kind) {
    if (schema.anyOf !== undefined) return this.anyOf(schema.anyOf, value, path, kind)
    if (schema.const !== undefined && value !== schema.const) {
      return this.at(path, `expected ${show(schema.const)}, got ${show(value)}`, 'const', kind)
    }
    if (schema.enum !== undefined && !schema.enum.includes(value)) {
      const choices = schema.enum.join(', ')
      return this.at(path, `expected one of: ${choices}, got ${show(value)}`, 'enum', kind)
    }
    if (schema.type !== undefined) {
      const types = [].concat(schema.type)
      if (!types.some((type) => TYPES[type](value))) {
        const expected = types.map((type) => NAMES[type]).join(' or ')
        return this.at(path, `expected ${expected}, got ${show(value)}`, 'type', kind)
      }
    }
    if (typeof value === 'string') this.string(schema, value, path, kind)
    if (typeof value === 'number') this.number(schema, value, path, kind)
    if (Array.isArray(value)) this.array(schema, value, path, kind)
    else if (TYPES.object(value)) this.object(schema, value, path, kind)
  }

  // One of several schemas: where none fits, the problems by the one of the value's type.
  anyOf(schemas, value, path, kind) {
    const trial = new Checker(this.root, () => {})
    const fitting = schemas.find((schema) => {
      trial.problems = []
      trial.check(schema, value, path, kind)
      return trial.problems.length === 0
    })
    if (fitting !== undefined) return this.check(fitting, value, path, kind)
    const typed = schemas.find((schema) => {
      const type = this.resolve(schema).type
      return type !== undefined && [].concat(type).some((t) => TYPES[t](value))
    })
    if (typed !== undefined) return this.check(typed, value, path, kind)
    const types = schemas.flatMap((schema) => [].concat(this.resolve(schema).type ?? []))
    const expected = types.map((type) => NAMES[type]).join(' or ') || 'another value'
    this.at(path, `expected ${expected}, got ${show(value)}`, 'anyOf', kind)
  }

  // What a schema takes, in a few words: `a string`, `an object or null`.
  expected(schema) {
    schema = this.resolve(schema)
    if (schema.enum !== undefined) return `one of: ${schema.enum.join(', ')}`
    if (schema.const !== undefined) return show(schema.const)
    const types = schema.anyOf
      ? schema.anyOf.flatMap((s) => [].concat(this.resolve(s).type ?? []))
      : [].concat(schema.type ?? [])
    return types.map((type) => NAMES[type]).join(' or ') || 'a value'
  }

  string(schema, value, path, kind) {
    if (schema.pattern !== undefined && !this.pattern(schema.pattern).test(value)) {
      this.at(
        path,
        `expected a string matching ${schema.pattern}, got ${show(value)}`,
        'pattern',
        kind,
        value
      )
    } else if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
      this.at(
        path,
        `has ${[...value].length} characters; at most ${schema.maxLength}`,
        'maxLength',
        kind
      )
    }
  }

  number(schema, value, path, kind) {
    if (schema.minimum !== undefined && value < schema.minimum) {
      this.at(path, `expected at least ${schema.minimum}, got ${show(value)}`, 'minimum', kind)
    } else if (schema.maximum !== undefined && value > schema.maximum) {
      this.at(path, `expected at most ${schema.maximum}, got ${show(value)}`, 'maximum', kind)
    }
  }

  array(schema, value, path, kind) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      const message = `expected at least ${schema.minItems} entries, got ${value.length}`
      return this.at(path, message, 'minItems', kind)
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      return this.at(path, tooMany(value.length, schema), 'maxItems', kind)
    }
    if (schema.items !== undefined) {
      value.forEach((item, i) => this.check(schema.items, item, `${path}[${i}]`, null))
    }
  }

  object(schema, value, path, kind) {
    const names = Object.keys(value)
    if (schema.maxProperties !== undefined && names.length > schema.maxProperties) {
      return this.at(path, tooMany(names.length, schema), 'maxProperties', kind)
    }
    const properties = schema.properties ?? {}
    for (const name of schema.required ?? []) {
      if (!Object.hasOwn(value, name)) {
        const expected = this.expected(properties[name] ?? {})
        this.at(
          join(path, name),
          `required key is missing (expected ${expected})`,
          'required',
          null
        )
      }
    }
    for (const name of names) {
      const where = join(path, name)
      if (Object.hasOwn(properties, name)) {
        this.check(properties[name], value[name], where, null)
        continue
      }
      if (schema.propertyNames !== undefined) {
        const before = this.problems.length
        this.node(schema.propertyNames, name, where, null)
        if (this.problems.length > before) continue // the key's own value is not looked at
      }
      if (schema.additionalProperties === false) {
        const known = Object.keys(properties).join(', ')
        this.at(where, `unknown key (expected one of: ${known})`, 'additionalProperties', null)
      } else if (TYPES.object(schema.additionalProperties)) {
        this.check(schema.additionalProperties, value[name], where, null)
      }
    }
  }
}

// Why a list or mapping has too many entries, naming the limit (`x-limit`) where it is one.
function tooMany(count, schema) {
  const most = schema.maxItems ?? schema.maxProperties
  const limit = schema['x-limit'] ? ` (limit: ${schema['x-limit']})` : ''
  return (
    `has ${count.toLocaleString('en-US')} entries; at most ${most.toLocaleString('en-US')}` + limit
  )
}
