// The JSON Schema of a policy and what a translation of it may change, made from the
// declarations of src/kontaktcharta/model.py by kontaktcharta.schema.javascript_schema:
// do not edit; run python tests/regen.py --schemas.

/** What a translation may change: see policy_reader.translation_plan. */
export const translation = {
  "charta": "same",
  "lang": "skip",
  "title": "skip",
  "owner": "same",
  "url": "skip",
  "theme": "same",
  "image": "same",
  "updated": "same",
  "review_by": "same",
  "based_on": {
    "object": {
      "text": "skip",
      "html": "skip",
      "url": "same"
    }
  },
  "intro": "skip",
  "platforms": {
    "each": {
      "id": "same",
      "name": "same",
      "use": "same",
      "profile": "same",
      "message_limit": "same",
      "messages": {
        "object": {
          "decline": "skip"
        }
      }
    }
  },
  "facts": {
    "named": "name",
    "each": {
      "type": "same",
      "question": "skip",
      "values": "same"
    }
  },
  "accept": {
    "object": {
      "title": "skip",
      "match": "same",
      "criteria": {
        "each": {
          "id": "same",
          "text": "skip",
          "html": "skip",
          "link": "skip",
          "when": "same",
          "platforms": "same",
          "reason": "skip",
          "question": "skip"
        }
      }
    }
  },
  "decline": {
    "object": {
      "title": "skip",
      "criteria": {
        "each": {
          "id": "same",
          "text": "skip",
          "html": "skip",
          "link": "skip",
          "when": "same",
          "platforms": "same",
          "reason": "skip",
          "question": "skip",
          "otherwise": "same",
          "reply": "same"
        }
      }
    }
  },
  "goal": "skip",
  "declined": {
    "object": {
      "title": "skip",
      "text": "skip",
      "html": "skip",
      "alternatives": {
        "each": {
          "text": "skip",
          "html": "skip",
          "url": "skip"
        }
      }
    }
  },
  "messages": {
    "object": {
      "decline": "skip"
    }
  },
  "examples": "same"
}

export default {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Kontaktcharta policy, format 1 (charta.json)",
  "description": "The rules for contact requests, their texts and links, as the page shows them.",
  "type": "object",
  "required": [
    "charta",
    "lang",
    "title",
    "owner",
    "url",
    "updated",
    "review_by",
    "based_on",
    "revision",
    "intro",
    "platforms",
    "facts",
    "accept",
    "decline",
    "goal",
    "declined",
    "messages",
    "examples",
    "translations"
  ],
  "additionalProperties": false,
  "properties": {
    "charta": {
      "description": "Format version; always 1.",
      "markdownDescription": "Format version; always 1.",
      "x-kind": "Version",
      "const": 1
    },
    "lang": {
      "description": "BCP 47 language tag of the texts.",
      "markdownDescription": "BCP 47 language tag of the texts.",
      "x-kind": "Pattern",
      "type": "string",
      "pattern": "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
    },
    "title": {
      "description": "The page's title.",
      "markdownDescription": "The page's title.",
      "x-kind": "PlainText",
      "type": "string",
      "pattern": "\\S"
    },
    "owner": {
      "description": "Whose charta this is.",
      "markdownDescription": "Whose charta this is.",
      "$ref": "#/definitions/owner"
    },
    "url": {
      "description": "Public address of the page; without it `charta.json` has relative links.",
      "markdownDescription": "Public address of the page; without it `charta.json` has relative links.",
      "x-kind": "Url",
      "anyOf": [
        {
          "type": "string",
          "pattern": "^(?:[hH][tT][tT][pP][sS]?://[^\\s/?#]\\S*)$"
        },
        {
          "type": "null"
        }
      ]
    },
    "image": {
      "description": "The picture link previews show (og:image): its absolute https address (for a picture of the site, `url` joined with its path below site_src/static).",
      "markdownDescription": "The picture link previews show (og:image): its absolute https address (for a picture of the site, `url` joined with its path below site_src/static).",
      "x-kind": "Image",
      "type": "string",
      "pattern": "^[hH][tT][tT][pP][sS]://[^\\s/?#]\\S*$"
    },
    "updated": {
      "description": "Date of this revision.",
      "markdownDescription": "Date of this revision.",
      "x-kind": "Date",
      "type": "string",
      "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    },
    "review_by": {
      "description": "When to look at the charta again; the build warns from 30 days before.",
      "markdownDescription": "When to look at the charta again; the build warns from 30 days before.",
      "x-kind": "Date",
      "anyOf": [
        {
          "type": "string",
          "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        },
        {
          "type": "null"
        }
      ]
    },
    "based_on": {
      "description": "Credit line.",
      "markdownDescription": "Credit line.",
      "anyOf": [
        {
          "$ref": "#/definitions/credit"
        },
        {
          "type": "null"
        }
      ]
    },
    "revision": {
      "description": "`sha256:` of the canonical JSON (sorted keys, no spaces, UTF-8) of everything but `revision`.",
      "markdownDescription": "`sha256:` of the canonical JSON (sorted keys, no spaces, UTF-8) of everything but `revision`.",
      "x-kind": "Pattern",
      "type": "string",
      "pattern": "^sha256:[0-9a-f]{64}$"
    },
    "intro": {
      "description": "Shown under the title (Markdown).",
      "markdownDescription": "Shown under the title (Markdown).",
      "x-kind": "Markdown",
      "anyOf": [
        {
          "type": "object",
          "required": [
            "text",
            "html"
          ],
          "additionalProperties": false,
          "properties": {
            "text": {
              "type": "string",
              "description": "The text without markup."
            },
            "html": {
              "type": "string",
              "description": "The exact HTML fragment the page shows."
            }
          }
        },
        {
          "type": "null"
        }
      ]
    },
    "platforms": {
      "description": "Where the charta applies.",
      "markdownDescription": "Where the charta applies.",
      "type": "array",
      "items": {
        "$ref": "#/definitions/platform"
      },
      "maxItems": 20,
      "x-limit": "platforms"
    },
    "facts": {
      "description": "What a tool may know about a request; `when` rules read them.",
      "markdownDescription": "What a tool may know about a request; `when` rules read them.",
      "type": "array",
      "items": {
        "$ref": "#/definitions/fact"
      },
      "maxItems": 100,
      "x-limit": "facts"
    },
    "accept": {
      "description": "The accept list.",
      "markdownDescription": "The accept list.",
      "$ref": "#/definitions/accept"
    },
    "decline": {
      "description": "The decline list.",
      "markdownDescription": "The decline list.",
      "$ref": "#/definitions/decline"
    },
    "goal": {
      "description": "Why the charta exists (Markdown).",
      "markdownDescription": "Why the charta exists (Markdown).",
      "x-kind": "Markdown",
      "anyOf": [
        {
          "type": "object",
          "required": [
            "text",
            "html"
          ],
          "additionalProperties": false,
          "properties": {
            "text": {
              "type": "string",
              "description": "The text without markup."
            },
            "html": {
              "type": "string",
              "description": "The exact HTML fragment the page shows."
            }
          }
        },
        {
          "type": "null"
        }
      ]
    },
    "declined": {
      "description": "The \"Abgelehnt – was jetzt?\" section.",
      "markdownDescription": "The \"Abgelehnt – was jetzt?\" section.",
      "$ref": "#/definitions/declined"
    },
    "messages": {
      "description": "Templates for replies.",
      "markdownDescription": "Templates for replies.",
      "$ref": "#/definitions/messages"
    },
    "examples": {
      "description": "Requests and what the rules must decide; the build checks them.",
      "markdownDescription": "Requests and what the rules must decide; the build checks them.",
      "type": "array",
      "items": {
        "$ref": "#/definitions/example"
      },
      "maxItems": 1000,
      "x-limit": "examples"
    },
    "translations": {
      "type": "object",
      "description": "The same policy in more languages, by language tag; each has every key but revision and translations.",
      "propertyNames": {
        "pattern": "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
      },
      "additionalProperties": {
        "$ref": "#/definitions/translation"
      },
      "maxProperties": 30,
      "x-limit": "translations"
    }
  },
  "definitions": {
    "owner": {
      "type": "object",
      "required": [
        "name"
      ],
      "additionalProperties": false,
      "properties": {
        "name": {
          "description": "The owner's name.",
          "markdownDescription": "The owner's name.",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        },
        "url": {
          "description": "The owner's home page.",
          "markdownDescription": "The owner's home page.",
          "x-kind": "Url",
          "type": "string",
          "pattern": "^(?:[hH][tT][tT][pP][sS]?://[^\\s/?#]\\S*)$"
        }
      },
      "description": "Who the charta belongs to."
    },
    "credit": {
      "type": "object",
      "required": [
        "text",
        "html"
      ],
      "additionalProperties": false,
      "properties": {
        "text": {
          "type": "string",
          "description": "The credit (inline Markdown). The text without markup.",
          "x-kind": "Markdown"
        },
        "html": {
          "type": "string",
          "description": "The credit (inline Markdown). The exact HTML fragment the page shows.",
          "x-kind": "Markdown"
        },
        "url": {
          "description": "Where the earlier charta lives.",
          "markdownDescription": "Where the earlier charta lives.",
          "x-kind": "Url",
          "type": "string",
          "pattern": "^(?:[hH][tT][tT][pP][sS]?://[^\\s/?#]\\S*)$"
        }
      },
      "description": "The `based_on` credit line."
    },
    "platform": {
      "type": "object",
      "required": [
        "id",
        "name",
        "use"
      ],
      "additionalProperties": false,
      "properties": {
        "id": {
          "description": "Unique platform id.",
          "markdownDescription": "Unique platform id.",
          "x-kind": "Pattern",
          "type": "string",
          "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"
        },
        "name": {
          "description": "The network's name.",
          "markdownDescription": "The network's name.",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        },
        "use": {
          "description": "How you use the network.",
          "markdownDescription": "How you use the network.",
          "x-kind": "Choice",
          "enum": [
            "business",
            "private",
            "mixed"
          ]
        },
        "profile": {
          "description": "Your profile there.",
          "markdownDescription": "Your profile there.",
          "x-kind": "Url",
          "type": "string",
          "pattern": "^(?:[hH][tT][tT][pP][sS]?://[^\\s/?#]\\S*)$"
        },
        "message_limit": {
          "description": "Longest reply (characters) the network takes.",
          "markdownDescription": "Longest reply (characters) the network takes.",
          "x-kind": "Int",
          "type": "integer",
          "minimum": 1,
          "maximum": 9223372036854775807
        },
        "messages": {
          "description": "Templates that replace the charta's `messages` on this platform.",
          "markdownDescription": "Templates that replace the charta's `messages` on this platform.",
          "$ref": "#/definitions/platformmessages"
        }
      },
      "description": "A network where the charta applies."
    },
    "platformmessages": {
      "type": "object",
      "required": [
        "decline"
      ],
      "additionalProperties": false,
      "properties": {
        "decline": {
          "description": "The decline message on this platform, with the placeholders of `messages.decline`.",
          "markdownDescription": "The decline message on this platform, with the placeholders of `messages.decline`.",
          "x-kind": "MessageTemplate",
          "type": "string",
          "pattern": "\\S"
        }
      },
      "description": "Templates for replies on one platform, in place of the charta's."
    },
    "fact": {
      "type": "object",
      "required": [
        "name",
        "type",
        "question"
      ],
      "additionalProperties": false,
      "properties": {
        "name": {
          "type": "string",
          "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
          "description": "Its name.",
          "x-kind": "Name"
        },
        "type": {
          "description": "The CEL type.",
          "markdownDescription": "The CEL type.",
          "x-kind": "Choice",
          "enum": [
            "bool",
            "int",
            "double",
            "string"
          ]
        },
        "question": {
          "description": "The question that asks a person for the fact.",
          "markdownDescription": "The question that asks a person for the fact.",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        },
        "values": {
          "description": "The allowed values.",
          "markdownDescription": "The allowed values.",
          "type": "array",
          "items": {
            "type": [
              "boolean",
              "number",
              "string"
            ]
          },
          "minItems": 1,
          "maxItems": 100,
          "x-limit": "fact values"
        }
      },
      "description": "Something a tool may know about a request; `when` rules read it."
    },
    "accept": {
      "type": "object",
      "required": [
        "title",
        "match",
        "criteria"
      ],
      "additionalProperties": false,
      "properties": {
        "title": {
          "description": "The heading of the list.",
          "markdownDescription": "The heading of the list.",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        },
        "match": {
          "description": "`any`: one criterion suffices; `all`: every applicable one must hold.",
          "markdownDescription": "`any`: one criterion suffices; `all`: every applicable one must hold.",
          "x-kind": "Choice",
          "enum": [
            "any",
            "all"
          ]
        },
        "criteria": {
          "description": "The criteria, in the order the page shows them.",
          "markdownDescription": "The criteria, in the order the page shows them.",
          "type": "array",
          "items": {
            "$ref": "#/definitions/accept-criterion"
          },
          "minItems": 1,
          "maxItems": 5000,
          "x-limit": "criteria"
        }
      },
      "description": "The accept or the decline list."
    },
    "accept-criterion": {
      "type": "object",
      "required": [
        "id",
        "text",
        "html",
        "link"
      ],
      "additionalProperties": false,
      "properties": {
        "id": {
          "description": "Unique in the whole charta; the deep link is `#<section>-<id>`.",
          "markdownDescription": "Unique in the whole charta; the deep link is `#<section>-<id>`.",
          "x-kind": "Pattern",
          "type": "string",
          "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"
        },
        "text": {
          "type": "string",
          "description": "The criterion as the page shows it (inline Markdown). The text without markup.",
          "x-kind": "Markdown"
        },
        "html": {
          "type": "string",
          "description": "The criterion as the page shows it (inline Markdown). The exact HTML fragment the page shows.",
          "x-kind": "Markdown"
        },
        "link": {
          "description": "Deep link to the criterion: `url` with `#<section>-<id>` where `url` is set, else the anchor alone.",
          "markdownDescription": "Deep link to the criterion: `url` with `#<section>-<id>` where `url` is set, else the anchor alone.",
          "x-kind": "DeepLink",
          "type": "string",
          "pattern": "\\S"
        },
        "when": {
          "description": "CEL expression over the declared facts and `platform`; without it the criterion is a matter of judgement.",
          "markdownDescription": "CEL expression over the declared facts and `platform`; without it the criterion is a matter of judgement.",
          "x-kind": "Cel",
          "type": "string",
          "pattern": "\\S",
          "maxLength": 1000
        },
        "platforms": {
          "description": "Platform ids where the criterion applies.",
          "markdownDescription": "Platform ids where the criterion applies.",
          "type": "array",
          "items": {
            "type": "string",
            "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"
          },
          "minItems": 1
        },
        "reason": {
          "description": "A sentence for decline messages: why a request is declined for this criterion, or, on an accept criterion under `match: all`, what is missing when it does not hold.",
          "markdownDescription": "A sentence for decline messages: why a request is declined for this criterion, or, on an accept criterion under `match: all`, what is missing when it does not hold.",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        },
        "question": {
          "description": "How to ask a person whether a criterion without `when` holds (a matter of judgement).",
          "markdownDescription": "How to ask a person whether a criterion without `when` holds (a matter of judgement).",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        }
      },
      "description": "One reason to accept or to decline."
    },
    "decline": {
      "type": "object",
      "required": [
        "title",
        "criteria"
      ],
      "additionalProperties": false,
      "properties": {
        "title": {
          "description": "The heading of the list.",
          "markdownDescription": "The heading of the list.",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        },
        "criteria": {
          "description": "The criteria, in the order the page shows them.",
          "markdownDescription": "The criteria, in the order the page shows them.",
          "type": "array",
          "items": {
            "$ref": "#/definitions/decline-criterion"
          },
          "minItems": 1,
          "maxItems": 5000,
          "x-limit": "criteria"
        }
      },
      "description": "The accept or the decline list."
    },
    "decline-criterion": {
      "type": "object",
      "required": [
        "id",
        "text",
        "html",
        "link"
      ],
      "additionalProperties": false,
      "properties": {
        "id": {
          "description": "Unique in the whole charta; the deep link is `#<section>-<id>`.",
          "markdownDescription": "Unique in the whole charta; the deep link is `#<section>-<id>`.",
          "x-kind": "Pattern",
          "type": "string",
          "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"
        },
        "text": {
          "type": "string",
          "description": "The criterion as the page shows it (inline Markdown). The text without markup.",
          "x-kind": "Markdown"
        },
        "html": {
          "type": "string",
          "description": "The criterion as the page shows it (inline Markdown). The exact HTML fragment the page shows.",
          "x-kind": "Markdown"
        },
        "link": {
          "description": "Deep link to the criterion: `url` with `#<section>-<id>` where `url` is set, else the anchor alone.",
          "markdownDescription": "Deep link to the criterion: `url` with `#<section>-<id>` where `url` is set, else the anchor alone.",
          "x-kind": "DeepLink",
          "type": "string",
          "pattern": "\\S"
        },
        "when": {
          "description": "CEL expression over the declared facts and `platform`; without it the criterion is a matter of judgement.",
          "markdownDescription": "CEL expression over the declared facts and `platform`; without it the criterion is a matter of judgement.",
          "x-kind": "Cel",
          "type": "string",
          "pattern": "\\S",
          "maxLength": 1000
        },
        "platforms": {
          "description": "Platform ids where the criterion applies.",
          "markdownDescription": "Platform ids where the criterion applies.",
          "type": "array",
          "items": {
            "type": "string",
            "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"
          },
          "minItems": 1
        },
        "reason": {
          "description": "A sentence for decline messages: why a request is declined for this criterion, or, on an accept criterion under `match: all`, what is missing when it does not hold.",
          "markdownDescription": "A sentence for decline messages: why a request is declined for this criterion, or, on an accept criterion under `match: all`, what is missing when it does not hold.",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        },
        "question": {
          "description": "How to ask a person whether a criterion without `when` holds (a matter of judgement).",
          "markdownDescription": "How to ask a person whether a criterion without `when` holds (a matter of judgement).",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        },
        "otherwise": {
          "description": "The fallback: holds when no accept criterion holds (at most one).",
          "markdownDescription": "The fallback: holds when no accept criterion holds (at most one).",
          "x-kind": "Bool",
          "type": "boolean"
        },
        "reply": {
          "description": "`false`: a request declined for this criterion gets no message; it is ignored.",
          "markdownDescription": "`false`: a request declined for this criterion gets no message; it is ignored.",
          "x-kind": "Bool",
          "type": "boolean"
        }
      },
      "description": "One reason to accept or to decline."
    },
    "declined": {
      "type": "object",
      "required": [
        "title",
        "text",
        "html",
        "alternatives"
      ],
      "additionalProperties": false,
      "properties": {
        "title": {
          "description": "The heading.",
          "markdownDescription": "The heading.",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        },
        "text": {
          "type": "string",
          "description": "What a declined person should know (Markdown). The text without markup.",
          "x-kind": "Markdown"
        },
        "html": {
          "type": "string",
          "description": "What a declined person should know (Markdown). The exact HTML fragment the page shows.",
          "x-kind": "Markdown"
        },
        "alternatives": {
          "description": "What a declined person can do instead.",
          "markdownDescription": "What a declined person can do instead.",
          "type": "array",
          "items": {
            "$ref": "#/definitions/alternative"
          },
          "maxItems": 50,
          "x-limit": "alternatives"
        }
      },
      "description": "The \"Abgelehnt – was jetzt?\" section."
    },
    "alternative": {
      "type": "object",
      "required": [
        "text",
        "html"
      ],
      "additionalProperties": false,
      "properties": {
        "text": {
          "type": "string",
          "description": "The alternative (inline Markdown). The text without markup.",
          "x-kind": "Markdown"
        },
        "html": {
          "type": "string",
          "description": "The alternative (inline Markdown). The exact HTML fragment the page shows.",
          "x-kind": "Markdown"
        },
        "url": {
          "description": "Where to do it (http, https or mailto).",
          "markdownDescription": "Where to do it (http, https or mailto).",
          "x-kind": "Url",
          "type": "string",
          "pattern": "^(?:[hH][tT][tT][pP][sS]?://[^\\s/?#]\\S*|[mM][aA][iI][lL][tT][oO]:\\S+)$"
        }
      },
      "description": "Something a declined person can do instead."
    },
    "messages": {
      "type": "object",
      "required": [
        "decline"
      ],
      "additionalProperties": false,
      "properties": {
        "decline": {
          "description": "Decline message with `{name}`, `{reasons}`, `{url}`, `{alternatives}`.",
          "markdownDescription": "Decline message with `{name}`, `{reasons}`, `{url}`, `{alternatives}`.",
          "x-kind": "MessageTemplate",
          "type": "string",
          "pattern": "\\S"
        }
      },
      "description": "Templates for replies."
    },
    "example": {
      "type": "object",
      "required": [
        "name",
        "request",
        "expect"
      ],
      "additionalProperties": false,
      "properties": {
        "name": {
          "description": "Names the example in errors.",
          "markdownDescription": "Names the example in errors.",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        },
        "request": {
          "description": "The request.",
          "markdownDescription": "The request.",
          "$ref": "#/definitions/request"
        },
        "expect": {
          "description": "The decision the rules must give.",
          "markdownDescription": "The decision the rules must give.",
          "x-kind": "Choice",
          "enum": [
            "accept",
            "decline",
            "review"
          ]
        },
        "reasons": {
          "description": "The criterion ids the decision must give.",
          "markdownDescription": "The criterion ids the decision must give.",
          "type": "array",
          "items": {
            "type": "string",
            "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"
          }
        },
        "unmet": {
          "description": "The accept criteria the decision must name as unmet (under `match: all`).",
          "markdownDescription": "The accept criteria the decision must name as unmet (under `match: all`).",
          "type": "array",
          "items": {
            "type": "string",
            "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"
          }
        },
        "reply": {
          "description": "Whether the decision must answer the request (`false`: ignored).",
          "markdownDescription": "Whether the decision must answer the request (`false`: ignored).",
          "x-kind": "Bool",
          "type": "boolean"
        },
        "message": {
          "description": "The exact decline message the decision must give, with the example's `name` as the requester's name.",
          "markdownDescription": "The exact decline message the decision must give, with the example's `name` as the requester's name.",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        }
      },
      "description": "A request and what the rules must decide for it."
    },
    "request": {
      "type": "object",
      "required": [
        "facts"
      ],
      "additionalProperties": false,
      "properties": {
        "platform": {
          "description": "The platform id of the request.",
          "markdownDescription": "The platform id of the request.",
          "x-kind": "Pattern",
          "type": "string",
          "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"
        },
        "facts": {
          "description": "Known facts by name.",
          "markdownDescription": "Known facts by name.",
          "type": "object",
          "additionalProperties": {
            "type": [
              "boolean",
              "number",
              "string"
            ]
          }
        },
        "judgements": {
          "description": "Verdicts on criteria without `when`, by criterion id.",
          "markdownDescription": "Verdicts on criteria without `when`, by criterion id.",
          "type": "object",
          "additionalProperties": {
            "type": "boolean"
          }
        }
      },
      "description": "A contact request as a tool sees it."
    },
    "translation": {
      "type": "object",
      "required": [
        "charta",
        "lang",
        "title",
        "owner",
        "url",
        "updated",
        "review_by",
        "based_on",
        "intro",
        "platforms",
        "facts",
        "accept",
        "decline",
        "goal",
        "declined",
        "messages",
        "examples"
      ],
      "additionalProperties": false,
      "properties": {
        "charta": {
          "description": "Format version; always 1.",
          "markdownDescription": "Format version; always 1.",
          "x-kind": "Version",
          "const": 1
        },
        "lang": {
          "description": "BCP 47 language tag of the texts.",
          "markdownDescription": "BCP 47 language tag of the texts.",
          "x-kind": "Pattern",
          "type": "string",
          "pattern": "^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
        },
        "title": {
          "description": "The page's title.",
          "markdownDescription": "The page's title.",
          "x-kind": "PlainText",
          "type": "string",
          "pattern": "\\S"
        },
        "owner": {
          "description": "Whose charta this is.",
          "markdownDescription": "Whose charta this is.",
          "$ref": "#/definitions/owner"
        },
        "url": {
          "description": "Public address of the page; without it `charta.json` has relative links.",
          "markdownDescription": "Public address of the page; without it `charta.json` has relative links.",
          "x-kind": "Url",
          "anyOf": [
            {
              "type": "string",
              "pattern": "^(?:[hH][tT][tT][pP][sS]?://[^\\s/?#]\\S*)$"
            },
            {
              "type": "null"
            }
          ]
        },
        "image": {
          "description": "The picture link previews show (og:image): its absolute https address (for a picture of the site, `url` joined with its path below site_src/static).",
          "markdownDescription": "The picture link previews show (og:image): its absolute https address (for a picture of the site, `url` joined with its path below site_src/static).",
          "x-kind": "Image",
          "type": "string",
          "pattern": "^[hH][tT][tT][pP][sS]://[^\\s/?#]\\S*$"
        },
        "updated": {
          "description": "Date of this revision.",
          "markdownDescription": "Date of this revision.",
          "x-kind": "Date",
          "type": "string",
          "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        },
        "review_by": {
          "description": "When to look at the charta again; the build warns from 30 days before.",
          "markdownDescription": "When to look at the charta again; the build warns from 30 days before.",
          "x-kind": "Date",
          "anyOf": [
            {
              "type": "string",
              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
            },
            {
              "type": "null"
            }
          ]
        },
        "based_on": {
          "description": "Credit line.",
          "markdownDescription": "Credit line.",
          "anyOf": [
            {
              "$ref": "#/definitions/credit"
            },
            {
              "type": "null"
            }
          ]
        },
        "intro": {
          "description": "Shown under the title (Markdown).",
          "markdownDescription": "Shown under the title (Markdown).",
          "x-kind": "Markdown",
          "anyOf": [
            {
              "type": "object",
              "required": [
                "text",
                "html"
              ],
              "additionalProperties": false,
              "properties": {
                "text": {
                  "type": "string",
                  "description": "The text without markup."
                },
                "html": {
                  "type": "string",
                  "description": "The exact HTML fragment the page shows."
                }
              }
            },
            {
              "type": "null"
            }
          ]
        },
        "platforms": {
          "description": "Where the charta applies.",
          "markdownDescription": "Where the charta applies.",
          "type": "array",
          "items": {
            "$ref": "#/definitions/platform"
          },
          "maxItems": 20,
          "x-limit": "platforms"
        },
        "facts": {
          "description": "What a tool may know about a request; `when` rules read them.",
          "markdownDescription": "What a tool may know about a request; `when` rules read them.",
          "type": "array",
          "items": {
            "$ref": "#/definitions/fact"
          },
          "maxItems": 100,
          "x-limit": "facts"
        },
        "accept": {
          "description": "The accept list.",
          "markdownDescription": "The accept list.",
          "$ref": "#/definitions/accept"
        },
        "decline": {
          "description": "The decline list.",
          "markdownDescription": "The decline list.",
          "$ref": "#/definitions/decline"
        },
        "goal": {
          "description": "Why the charta exists (Markdown).",
          "markdownDescription": "Why the charta exists (Markdown).",
          "x-kind": "Markdown",
          "anyOf": [
            {
              "type": "object",
              "required": [
                "text",
                "html"
              ],
              "additionalProperties": false,
              "properties": {
                "text": {
                  "type": "string",
                  "description": "The text without markup."
                },
                "html": {
                  "type": "string",
                  "description": "The exact HTML fragment the page shows."
                }
              }
            },
            {
              "type": "null"
            }
          ]
        },
        "declined": {
          "description": "The \"Abgelehnt – was jetzt?\" section.",
          "markdownDescription": "The \"Abgelehnt – was jetzt?\" section.",
          "$ref": "#/definitions/declined"
        },
        "messages": {
          "description": "Templates for replies.",
          "markdownDescription": "Templates for replies.",
          "$ref": "#/definitions/messages"
        },
        "examples": {
          "description": "Requests and what the rules must decide; the build checks them.",
          "markdownDescription": "Requests and what the rules must decide; the build checks them.",
          "type": "array",
          "items": {
            "$ref": "#/definitions/example"
          },
          "maxItems": 1000,
          "x-limit": "examples"
        }
      }
    }
  }
}
