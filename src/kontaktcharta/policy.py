"""The model → the JSON policy (`charta.json`) and its JSON Schema."""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import resources
from typing import Any
from urllib.parse import urljoin

import orjson

from .messages import default_decline_template
from .model import Charta, Criterion, Request, Section, Text

SCHEMA_FILE = "charta.schema.json"


def render_policy(charta: Charta) -> dict[str, Any]:
    """Everything the page says and a tool needs, in every language, with its `revision`."""
    policy = _content(charta)
    policy["translations"] = {}
    for translated in charta.translations:
        content = _content(translated)
        del content["revision"]
        policy["translations"][translated.lang] = content
    policy["revision"] = revision(policy)
    return policy


def localize(policy: dict[str, Any], lang: str) -> dict[str, Any]:
    """The policy as one language's page says it: a translation with the document's revision."""
    if lang == policy["lang"]:
        return policy
    return {**policy["translations"][lang], "revision": policy["revision"], "translations": {}}


def _content(charta: Charta) -> dict[str, Any]:
    """One language's policy, with `revision` still empty."""
    policy: dict[str, Any] = {
        "charta": charta.charta,
        "lang": charta.lang,
        "title": charta.title,
        "owner": _given({"name": charta.owner.name, "url": charta.owner.url}),
        "url": charta.url,
        "updated": charta.updated.isoformat(),
        "review_by": charta.review_by.isoformat() if charta.review_by else None,
        "based_on": _given({**_text(charta.based_on.text), "url": charta.based_on.url})
        if charta.based_on
        else None,
        "revision": "",
        "intro": _text(charta.intro) if charta.intro else None,
        "platforms": [
            _given(
                {
                    "id": p.id,
                    "name": p.name,
                    "use": p.use,
                    "profile": p.profile,
                    "message_limit": p.message_limit,
                }
            )
            for p in charta.platforms
        ],
        "facts": [
            _given(
                {
                    "name": f.name,
                    "type": f.type,
                    "question": f.question,
                    "values": list(f.values) if f.values is not None else None,
                }
            )
            for f in charta.facts
        ],
        "accept": _section(charta.accept, charta.url),
        "decline": _section(charta.decline, charta.url),
        "goal": _text(charta.goal) if charta.goal else None,
        "declined": {
            "title": charta.declined.title,
            **_text(charta.declined.text),
            "alternatives": [
                _given({**_text(a.text), "url": a.url}) for a in charta.declined.alternatives
            ],
        },
        "messages": {"decline": charta.messages.decline or default_decline_template(charta.lang)},
        "examples": [
            _given(
                {
                    "name": e.name,
                    "request": _request(e.request),
                    "expect": e.expect,
                    "reasons": list(e.reasons) if e.reasons is not None else None,
                }
            )
            for e in charta.examples
        ],
    }
    return policy


def revision(policy: dict[str, Any]) -> str:
    """`sha256:` of the canonical JSON of everything but `revision` (sorted keys, no spaces)."""
    content = {key: value for key, value in policy.items() if key != "revision"}
    return "sha256:" + hashlib.sha256(canonical(content)).hexdigest()


def canonical(data: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no insignificant whitespace."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def dump(data: Any) -> bytes:
    """The written form: indented by two spaces, UTF-8, a final newline; the same input gives the
    same bytes. orjson writes what `json.dumps(data, indent=2, ensure_ascii=False)` would, some
    twenty times faster, but for the exponent of a large or small double (`1e16`, not `1e+16`)."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def render_schema(url: str | None) -> dict[str, Any]:
    """The JSON Schema of `charta.json`; its `$id` sits under `url` when there is one."""
    schema: dict[str, Any] = json.loads(
        resources.files("kontaktcharta").joinpath(SCHEMA_FILE).read_text("utf-8")
    )
    if url:
        schema = {"$schema": schema.pop("$schema"), "$id": urljoin(url, SCHEMA_FILE), **schema}
    return schema


def link(section: str, criterion_id: str, url: str | None) -> str:
    """The deep link to a criterion: absolute under `url`, else the bare anchor."""
    anchor = f"#{section}-{criterion_id}"
    return _base(url) + anchor if url else anchor


@functools.lru_cache(maxsize=16)
def _base(url: str) -> str:
    """What `urljoin(url, "#…")` puts before the `#`: one urljoin per charta, not per criterion."""
    return urljoin(url, "#x")[:-2]


def _section(section: Section, url: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"title": section.title}
    if section.name == "accept":
        data["match"] = section.match
    data["criteria"] = [_criterion(section.name, c, url) for c in section.criteria]
    return data


def _criterion(section: str, criterion: Criterion, url: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": criterion.id,
        **_text(criterion.text),
        "link": link(section, criterion.id, url),
    }
    if criterion.when is not None:
        data["when"] = criterion.when
    if criterion.platforms is not None:
        data["platforms"] = list(criterion.platforms)
    if criterion.reason is not None:
        data["reason"] = criterion.reason
    if criterion.otherwise:
        data["otherwise"] = True
    return data


def _text(text: Text) -> dict[str, str]:
    return {"text": text.plain, "html": str(text.html)}


def _request(request: Request) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if request.platform is not None:
        data["platform"] = request.platform
    data["facts"] = dict(request.facts)
    if request.judgements:
        data["judgements"] = dict(request.judgements)
    return data


def _given(data: dict[str, Any]) -> dict[str, Any]:
    """Drop the keys that were not given (None)."""
    return {key: value for key, value in data.items() if value is not None}
