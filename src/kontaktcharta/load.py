"""`charta.yaml` → a validated Charta, with every problem located and reported at once."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from . import markdown, spec
from .errors import ChartaError, Problem
from .lang import TAG
from .model import Charta, Mark, Places
from .yamlfile import alias_error, compose, has_alias, read_text

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TAG = "tag:yaml.org,2002:"

EXPECTED = {
    "text": "a text",
    "inline": "a text (inline Markdown)",
    "block": "a text (Markdown)",
    "cel": "a CEL expression",
    "template": "a message template",
    "url": "an absolute http(s) URL",
    "link": "an http(s) or mailto URL",
    "date": "a date like 2026-11-21",
    "slug": "a slug like 'no-reason' (lowercase letters, digits, single hyphens)",
    "bool": "true or false",
    "int": "a whole number of 1 or more",
    "version": "the number 1",
    "lang": "a language tag like de or en-GB",
    "scalar": "a single value",
    "object": "a mapping of keys",
    "list": "a list",
    "map": "a mapping of names",
}


def load_charta(path: Path, shown: str | None = None) -> Charta:
    """Read and validate a charta; raise ChartaError listing every problem found."""
    shown = shown or path.name
    text = read_text(path, shown)
    root = compose(text, shown)
    # An alias needs an anchor, and an anchor an `&`; only then are nodes counted.
    reader = Reader(shown, text.splitlines(), count_nodes="&" in text)
    try:
        reader.meet(root)
        values = reader.object(root, "", spec.CHARTA)
    except _Alias:
        raise alias_error(text, shown) from None
    if reader.problems and reader.met is not None and has_alias(root):
        raise alias_error(text, shown)  # where the reader stopped early
    if values is not None and not reader.problems:
        translations = values.pop("translations", {})
        charta = Charta(**values, file=shown, places=Places(reader.marks, reader.lines))
        from .check import check_charta  # cross-references need the whole model
        from .translate import translate

        reader.problems += check_charta(charta)
        translated, problems = translate(charta, translations)
        reader.problems += problems
        if not reader.problems:
            return replace(charta, translations=translated)
    raise ChartaError(sorted(reader.problems, key=lambda p: (p.line, p.column)))


class _Alias(Exception):
    """The reader met a node for the second time: the file uses an alias."""


class Reader:
    """Reads YAML nodes by the spec, recording each key's place and each problem."""

    def __init__(self, file: str, lines: list[str], count_nodes: bool = True) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []
        self.marks: dict[str, Mark] = {}
        self.met: set[yaml.Node] | None = set() if count_nodes else None
        """Every node read so far, where the file may have aliases."""

    def meet(self, node: yaml.Node) -> None:
        """Count a node as read; raise _Alias at once for one met before (not read it again)."""
        if self.met is not None:
            if node in self.met:
                raise _Alias
            self.met.add(node)

    def problem(self, node: yaml.Node, path: str, message: str) -> None:
        """Record a problem at a node."""
        line, column = node.start_mark.line, node.start_mark.column
        source = self.lines[line] if line < len(self.lines) else ""
        self.problems.append(Problem(self.file, line + 1, column + 1, path, message, source))

    def wrong(self, node: yaml.Node, path: str, kind: str, detail: str = "") -> None:
        """Record a value of the wrong kind."""
        found = _describe(node)
        self.problem(node, path, detail or f"found {found}, expected {EXPECTED[kind]}")

    def value(self, node: yaml.Node, path: str, key: spec.Key) -> Any:
        """Read one value by its Key; None (and a problem) where it is wrong."""
        self.marks[path] = node.start_mark
        if key.kind == "object":
            assert key.fields is not None
            values = self.object(node, path, key.fields)
            if values is None or key.make is None:
                return values
            return key.make(**values)
        if key.kind == "list":
            return self.list(node, path, key)
        if key.kind == "map":
            return self.map(node, path, key)
        if not isinstance(node, yaml.ScalarNode):
            self.wrong(node, path, key.kind, f"found {_describe(node)}, expected {_expected(key)}")
            return None
        return getattr(self, f"read_{key.kind}")(node, path, key)

    def object(
        self, node: yaml.Node, path: str, keys: Mapping[str, spec.Key]
    ) -> dict[str, Any] | None:
        """A mapping with known keys; unknown, duplicate and missing keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.wrong(node, path or "(top level)", "object")
            return None
        values: dict[str, Any] = {}
        seen: dict[str, int] = {}
        empty: dict[str, yaml.Node] = {}
        ok = True
        for key_node, value_node in node.value:
            self.meet(key_node)
            self.meet(value_node)
            name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            key_path = f"{path}.{name}" if path else name
            if name in seen:
                self.problem(key_node, key_path, f"duplicate key (first on line {seen[name]})")
                ok = False
                continue
            seen[name] = key_node.start_mark.line + 1
            if name not in keys:
                message, suggested = _unknown(name, keys)
                self.problem(key_node, key_path, message)
                seen.setdefault(suggested, seen[name])  # its missing key needs no second word
                ok = False
            elif _is_null(value_node):
                empty[name] = key_node
            else:
                value = self.value(value_node, key_path, keys[name])
                ok = ok and value is not None
                if value is not None:
                    values[name] = value
        for name, key in keys.items():
            if key.required and name not in seen:
                where = f"{path}.{name}" if path else name
                self.problem(node, where, f"required key is missing (expected {_expected(key)})")
                ok = False
            elif key.required and name in empty:
                where = f"{path}.{name}" if path else name
                self.problem(empty[name], where, f"is empty (expected {_expected(key)})")
                ok = False
        return values if ok else None

    def list(self, node: yaml.Node, path: str, key: spec.Key) -> tuple[Any, ...] | None:
        """A sequence of entries; objects when the Key has fields."""
        if not isinstance(node, yaml.SequenceNode):
            self.wrong(node, path, "list")
            return None
        if len(node.value) < key.min_items:
            self.problem(
                node,
                path,
                f"is empty (expected at least {key.min_items} "
                f"{'entry' if key.min_items == 1 else 'entries'})",
            )
            return None
        entry = key.item or spec.Key("object", "", fields=key.fields, make=key.make)
        for item in node.value:
            self.meet(item)
        items = [self.value(item, f"{path}[{i}]", entry) for i, item in enumerate(node.value)]
        return None if any(item is None for item in items) else tuple(items)

    def map(self, node: yaml.Node, path: str, key: spec.Key) -> Any:
        """A mapping of user-chosen names to values (facts, request facts, judgements)."""
        if not isinstance(node, yaml.MappingNode):
            self.wrong(node, path, "map")
            return None
        values: dict[str, Any] = {}
        ok = True
        for key_node, value_node in node.value:
            self.meet(key_node)
            self.meet(value_node)
            name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            item_path = f"{path}.{name}"
            if name in values:
                self.problem(key_node, item_path, "duplicate key")
                ok = False
                continue
            if key.fields is not None:
                read = self.object(value_node, item_path, key.fields)
                if read is None:
                    ok = False
                else:
                    values[name] = read if key.make is None else key.make(name=name, **read)
                self.marks[item_path] = key_node.start_mark
                continue
            assert key.item is not None
            value = self.value(value_node, item_path, key.item)
            if value is None:
                ok = False
            values[name] = value
        if not ok:
            return None
        return tuple(values.values()) if key.make is not None else values

    def read_text(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> str | None:
        text = str(node.value).strip()
        if not text:
            self.wrong(node, path, key.kind, f"is empty (expected {EXPECTED[key.kind]})")
            return None
        return text

    read_cel = read_text
    read_template = read_text

    def read_inline(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> Any:
        return self._markdown(node, path, key, markdown.render_inline)

    def read_block(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> Any:
        return self._markdown(node, path, key, markdown.render_block)

    def _markdown(self, node: yaml.ScalarNode, path: str, key: spec.Key, render: Any) -> Any:
        source = self.read_text(node, path, key)
        if source is None:
            return None
        try:
            return render(source)
        except markdown.UnsafeLink as error:
            self.problem(node, path, str(error))
            return None

    def read_url(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> str | None:
        url = str(node.value).strip()
        schemes = ("http", "https", "mailto") if key.kind == "link" else ("http", "https")
        try:
            parts = urlsplit(url)
            valid = parts.scheme in schemes and bool(parts.netloc or parts.scheme == "mailto")
        except ValueError:  # a bracket in the host that opens no IPv6 address
            valid = False
        if not valid or any(ch.isspace() for ch in url):
            self.wrong(node, path, key.kind, f"{url!r} is not {EXPECTED[key.kind]}")
            return None
        return url

    read_link = read_url

    def read_date(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> datetime.date | None:
        text = str(node.value).strip()
        try:
            if DATE.fullmatch(text):
                return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        self.wrong(node, path, "date", f"{text!r} is not {EXPECTED['date']}")
        return None

    def read_slug(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> str | None:
        text = str(node.value)
        if SLUG.fullmatch(text):
            return text
        self.wrong(node, path, "slug", f"{text!r} is not {EXPECTED['slug']}")
        return None

    def read_bool(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> bool | None:
        if node.tag == _TAG + "bool" and str(node.value).lower() in ("true", "false"):
            return str(node.value).lower() == "true"
        self.wrong(node, path, "bool")
        return None

    def read_int(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> int | None:
        if node.tag == _TAG + "int" and str(node.value).isdigit() and int(node.value) >= 1:
            return int(node.value)
        self.wrong(node, path, "int")
        return None

    def read_version(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> int | None:
        if node.tag == _TAG + "int" and str(node.value) == "1":
            return 1
        if node.tag == _TAG + "int":
            self.wrong(
                node,
                path,
                "version",
                f"format {node.value} is not known (expected 1; this Kontaktcharta reads format 1)",
            )
        else:
            self.wrong(node, path, "version")
        return None

    def read_lang(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> str | None:
        text = str(node.value)
        if TAG.fullmatch(text):
            return text
        self.wrong(node, path, "lang", f"{text!r} is not {EXPECTED['lang']}")
        return None

    def read_choice(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> str | None:
        text = str(node.value)
        if text in key.choices:
            return text
        hint = _nearest(text, key.choices)
        self.problem(
            node, path, f"{text!r} is not allowed (expected one of: {', '.join(key.choices)}){hint}"
        )
        return None

    def read_scalar(self, node: yaml.ScalarNode, path: str, key: spec.Key) -> Any:
        value = scalar(node)
        if value is None:
            self.wrong(node, path, "scalar")
        return value


def scalar(node: yaml.ScalarNode) -> bool | int | float | str | None:
    """A scalar's value as YAML types it (quoted values stay text); None for null."""
    text = str(node.value)
    if node.style in ("'", '"', "|", ">"):
        return text
    if node.tag == _TAG + "bool":
        return text.lower() in ("true", "yes", "on")
    if node.tag == _TAG + "int":
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:
            return text
    if node.tag == _TAG + "float":
        try:
            return float(text.replace("_", ""))
        except ValueError:
            return text
    if node.tag == _TAG + "null":
        return None
    return text


def _expected(key: spec.Key) -> str:
    """What a key takes, for messages; a choice names its values."""
    return f"one of: {', '.join(key.choices)}" if key.kind == "choice" else EXPECTED[key.kind]


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null" and not node.style


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(value, bool):
        return f"{node.value!r} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {node.value}"
    return "nothing" if value is None else f"the text {str(node.value)[:40]!r}"


def _nearest(name: str, choices: Any) -> str:
    import difflib  # only for a mistake: it is slow to import

    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _unknown(name: str, keys: Mapping[str, spec.Key]) -> tuple[str, str]:
    """The message for an unknown key, and the key it suggests ('' for none)."""
    import difflib

    close = difflib.get_close_matches(name, list(keys), n=1, cutoff=0.6)
    if close:
        return f"unknown key (did you mean {close[0]!r}?)", close[0]
    return f"unknown key (expected one of: {', '.join(keys)})", ""
