"""How the format is declared: one `key()` per field of the model, each with a kind of value.

A kind is a small class that knows everything about one sort of value: how to read it from a YAML
node of `charta.yaml` and from a JSON value of `charta.json`, how to write it into `charta.json`,
and how to describe it in the docs and in both JSON Schemas. The model (`model.py`) declares every
key once with `key()`; the loader, the policy writer and reader, the schemas and the key table of
the docs all walk those declarations, so a new key is written in one place.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import math
import re
import types
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar, dataclass_transform
from urllib.parse import urlsplit

from markupsafe import Markup

from . import characters
from .lang import TAG
from .picture import EXTENSIONS, FILE, Picture
from .text import Text as Rendered

if TYPE_CHECKING:  # types only: no cost at run time
    import yaml

    class Problems(Protocol):
        """Where a kind reports what is wrong with a value (see errors.Problems)."""

        def at(self, path: str, message: str, column: int = 0) -> None:
            """Record a problem at a key path."""

    class Reader(Protocol):
        """What a kind needs from the YAML reader (load.Reader)."""

        def wrong(self, node: yaml.Node, path: str, message: str) -> None:
            """Record a problem at a node."""

        def warn(self, node: yaml.Node, path: str, message: str) -> None:
            """Record a warning at a node."""


SLUG: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
YAML_TAG: Final = "tag:yaml.org,2002:"
_NOT_SPACE: Final = r"\S"
_LARGEST: Final = 2**63 - 1
"""The largest whole number a charta may give (what a 64-bit consumer can hold)."""
_PLACEHOLDER: Final = re.compile(r"\{\{?([A-Za-z_][A-Za-z0-9_]*)\}?\}")


class Kind:
    """A sort of value: how it is read, written and described. Scalar kinds override `read`."""

    name = ""
    """What the docs call it, e.g. `text`."""
    expected = ""
    """What a message says was expected, e.g. `a text`."""
    json_type = ""
    """What a message about charta.json says was expected, e.g. `a string`."""

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> Any:
        """The value of a YAML scalar, or None after reporting the problem."""
        raise NotImplementedError

    def read_json(self, value: Any, path: str, problems: Problems) -> Any:
        """The value of a JSON value, or None after reporting the problem."""
        if not isinstance(value, str) or not value.strip():
            problems.at(path, f"expected {self.json_type}, got {show(value)}")
            return None
        if problem := characters.problem(value):
            problems.at(path, problem)
            return None
        return value

    def write(self, value: Any) -> Any:
        """The value as charta.json carries it."""
        return value

    def yaml_schema(self) -> dict[str, Any]:
        """The JSON Schema of the value as charta.yaml may write it (what the loader takes)."""
        return {"type": ["string", "number", "boolean"], "pattern": _NOT_SPACE}

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the value in charta.json."""
        return {"type": "string", "pattern": _NOT_SPACE}


class PlainText(Kind):
    """Any single value, taken as text: `title: 2026` is the text "2026"."""

    name, expected, json_type = "text", "a text", "a text (a non-empty string)"

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> str | None:
        return _text(node, path, reader, self.expected)


def _text(node: yaml.ScalarNode, path: str, reader: Reader, expected: str) -> str | None:
    """A scalar as text, stripped; None where nothing is left."""
    text = str(node.value).strip()
    if not text:
        reader.wrong(node, path, f"is empty (expected {expected})")
        return None
    if problem := characters.problem(text):
        reader.wrong(node, path, problem)
        return None
    return text


class Cel(PlainText):
    """A CEL expression (checked against the declared facts by check.py), of at most
    `max_length` characters."""

    name, expected, json_type = "CEL expression", "a CEL expression", "a CEL expression (a string)"

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def yaml_schema(self) -> dict[str, Any]:
        return {**super().yaml_schema(), "maxLength": self.max_length}

    def json_schema(self) -> dict[str, Any]:
        return {**super().json_schema(), "maxLength": self.max_length}


class MessageTemplate(PlainText):
    """A message template: text with `{placeholder}`s, of which only the declared ones are known."""

    name, expected = "message template", "a message template"
    json_type = "a message template (a string)"

    def __init__(self, placeholders: tuple[str, ...]) -> None:
        self.placeholders = placeholders

    def problem(self, template: str) -> str | None:
        """What is wrong with `template`: the unknown placeholders it names, or None."""
        wrong = []
        for match in _PLACEHOLDER.finditer(template):
            known = match.group(1) in self.placeholders and not match.group(0).startswith("{{")
            if not known and match.group(0) not in wrong:
                wrong.append(match.group(0))
        if not wrong:
            return None
        names = ", ".join("{" + name + "}" for name in self.placeholders)
        meant = closest(wrong[0].strip("{}"), self.placeholders)
        hint = f" (did you mean {{{meant}}}?)" if meant and len(wrong) == 1 else ""
        return f"unknown placeholder {', '.join(wrong)}{hint}; a decline message knows {names}"

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> str | None:
        text = super().read(node, path, reader)
        if text is not None and (problem := self.problem(text)):
            reader.wrong(node, path, problem)
        return text

    def read_json(self, value: Any, path: str, problems: Problems) -> Any:
        text = super().read_json(value, path, problems)
        if text is not None and (problem := self.problem(text)):
            problems.at(path, problem)
            return None
        return text


class Markdown(Kind):
    """Markdown, rendered to HTML and plain text; the policy carries both as `text` and `html`."""

    json_type = "an object with text and html"

    def __init__(self, block: bool) -> None:
        self.block = block
        self.name = "Markdown" if block else "inline Markdown"
        self.expected = "a text (Markdown)" if block else "a text (inline Markdown)"

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> Rendered | None:
        markdown = _markdown()
        source = _text(node, path, reader, self.expected)
        if source is None:
            return None
        try:
            rendered: Rendered = (
                markdown.render_block(source) if self.block else markdown.render_inline(source)
            )
        except markdown.UnsafeLink as error:
            reader.wrong(node, path, str(error))
            return None
        if "<" in source and (tag := markdown.raw_html(source)):
            reader.warn(
                node,
                path,
                f"{tag} is shown as text, not as markup: texts take Markdown, not HTML "
                "(**bold**, *italic*, [link](https://…))",
            )
        return rendered

    def read_json(self, value: Any, path: str, problems: Problems) -> Rendered | None:
        if not isinstance(value, dict):
            problems.at(path, f"expected {self.json_type}, got {show(value)}")
            return None
        return self.read_pair(value, path, problems, frozenset(value) - {"text", "html"})

    def read_pair(
        self,
        value: Mapping[str, Any],
        path: str,
        problems: Problems,
        unknown: frozenset[str] = frozenset(),
    ) -> Rendered | None:
        """`text` and `html` from an object: the Markdown text's own, or its parent's."""
        plain, html = value.get("text"), value.get("html")
        ok = True
        for name, given in (("text", plain), ("html", html)):
            if not isinstance(given, str):
                where = f"{path}.{name}" if path else name
                got = "nothing" if name not in value else show(given)
                problems.at(where, f"expected a string, got {got}")
                ok = False
        for name in sorted(unknown):
            problems.at(f"{path}.{name}", "unknown key (expected text and html)")
            ok = False
        for name, given in (("text", plain), ("html", html)):
            if ok and (problem := characters.problem(str(given))):
                problems.at(f"{path}.{name}" if path else name, problem)
                ok = False
        return Rendered("", Markup(html), str(plain)) if ok else None

    def write(self, value: Rendered) -> dict[str, str]:
        return {"text": value.plain, "html": str(value.html)}

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["text", "html"],
            "additionalProperties": False,
            "properties": PAIR,
        }


@functools.cache
def _markdown() -> types.ModuleType:
    """The Markdown renderer, imported when the YAML reader first needs it (a policy is read
    without it)."""
    from . import markdown

    return markdown


PAIR: Final = {
    "text": {"type": "string", "description": "The text without markup."},
    "html": {"type": "string", "description": "The exact HTML fragment the page shows."},
}
"""A Markdown text in charta.json: its plain text and the HTML the page shows."""


class Url(Kind):
    """An absolute URL of some schemes."""

    def __init__(self, mailto: bool = False) -> None:
        self.schemes = ("http", "https", "mailto") if mailto else ("http", "https")
        self.name = "http(s) or mailto URL" if mailto else "http(s) URL"
        self.expected = "an http(s) or mailto URL" if mailto else "an absolute http(s) URL"
        self.json_type = self.expected

    def valid(self, url: str) -> bool:
        """Whether `url` is absolute, of one of the schemes, without spaces."""
        try:
            parts = urlsplit(url)
            where = parts.netloc if parts.scheme != "mailto" else url[len("mailto:") :]
            valid = parts.scheme in self.schemes and bool(where)
        except ValueError:  # a bracket in the host that opens no IPv6 address
            valid = False
        return valid and not any(ch.isspace() for ch in url) and not characters.problem(url)

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> str | None:
        url = str(node.value).strip()
        if self.valid(url):
            return url
        reader.wrong(node, path, f"{url!r} is not {self.expected}")
        return None

    def read_json(self, value: Any, path: str, problems: Problems) -> str | None:
        if isinstance(value, str) and self.valid(value):
            return value
        problems.at(path, f"expected {self.expected}, got {show(value)}")
        return None

    def yaml_schema(self) -> dict[str, Any]:
        return self.json_schema()

    def json_schema(self) -> dict[str, Any]:
        web = rf"{_any_case('http')}{_any_case('s')}?://[^\s/?#]\S*"
        mail = rf"|{_any_case('mailto')}:\S+" if "mailto" in self.schemes else ""
        return {"type": "string", "pattern": f"^(?:{web}{mail})$"}


class Image(Kind):
    """The picture of a link preview: an https URL, or the path of a file under
    `site_src/static`, which the loader makes absolute with the charta's `url` and sizes
    (preview.py). A policy carries the absolute address. An SVG picture is refused by its
    name, a URL or a file's: link previews do not show one."""

    name = "https URL or file"
    expected = "an https URL or a file under site_src/static"
    json_type = "an absolute https URL"

    def __init__(self) -> None:
        self.web = Url()

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> Picture | None:
        text = str(node.value).strip()
        if self.web.valid(text):
            problem = self.url_problem(text)
            if problem is None:
                return Picture(text)
            reader.wrong(node, path, problem)
        elif ":" in text or text.startswith(("/", "\\")):
            reader.wrong(node, path, f"{text!r} is not {self.expected}")
        elif _SVG.search(text):
            reader.wrong(node, path, f"{text!r} is {_NO_SVG}")
        elif not FILE.fullmatch(text) or characters.problem(text):
            reader.wrong(node, path, f"{text!r} {_not_a_file(text)}")
        else:
            return Picture("", file=text)
        return None

    @staticmethod
    def url_problem(url: str) -> str | None:
        """What is wrong with an absolute http(s) URL as a preview's picture, if anything."""
        parts = urlsplit(url)
        if parts.scheme != "https":
            return f"{url!r} is not an https URL (link previews load over https)"
        if "@" in parts.netloc:
            return (
                "the URL holds a user name or password (before @), which every reader of the "
                "page would see: give the picture's public address"
            )
        if _SVG.search(parts.path):
            return f"{url!r} is {_NO_SVG}"
        return None

    def read_json(self, value: Any, path: str, problems: Problems) -> Picture | None:
        if isinstance(value, str) and self.web.valid(value) and urlsplit(value).scheme == "https":
            return Picture(value)
        problems.at(path, f"expected {self.json_type}, got {show(value)}")
        return None

    def write(self, value: Picture) -> str:
        return value.url

    def yaml_schema(self) -> dict[str, Any]:
        # https, with no user name or password before the host, no path ending in .svg
        web = (
            rf"{_any_case('https')}://(?![^/?#]*@)"
            rf"(?![^/?#]*/[^?#]*\.{_any_case('svg')}[zZ]?(?:[?#]\S*)?$)[^\s/?#]\S*"
        )
        return {"type": "string", "pattern": f"^(?:{web}|{FILE.pattern})$"}

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": rf"^{_any_case('https')}://[^\s/?#]\S*$"}


_SVG: Final = re.compile(r"\.svgz?$", re.IGNORECASE)
_NO_SVG: Final = (
    "an SVG picture, which link previews do not show (Facebook, LinkedIn and X take PNG, "
    "JPEG, WebP or GIF): give one of those"
)


def _not_a_file(text: str) -> str:
    """Why a value that is neither a URL nor a picture's path is none: its name, or its path."""
    kinds = ", ".join(f".{ext}" for ext in EXTENSIONS)
    folder, _, name = text.rpartition("/")
    if "." in name and FILE.fullmatch(f"{folder}/{name.rsplit('.', 1)[0]}.png".lstrip("/")):
        return (
            f"is not a PNG, JPEG, WebP or GIF file by its name, which link previews show "
            f"(expected a name ending in {kinds})"
        )
    return (
        f"is not a file under site_src/static (expected a path like vorschau.png, folders "
        f"split by /, no . or .. part, no spaces, ending in {kinds})"
    )


def _any_case(word: str) -> str:
    """A pattern matching `word` in any case (JSON Schema patterns have no flags)."""
    return "".join(f"[{ch}{ch.upper()}]" for ch in word)


class Date(Kind):
    """A calendar date, `YYYY-MM-DD`, quoted or not."""

    name, expected = "date (YYYY-MM-DD)", "a date like 2026-11-21"
    json_type = expected

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> datetime.date | None:
        text = str(node.value).strip()
        day = _date(text)
        if day is None:
            reader.wrong(node, path, f"{text!r} is not {self.expected}")
        return day

    def read_json(self, value: Any, path: str, problems: Problems) -> datetime.date | None:
        day = _date(value) if isinstance(value, str) else None
        if day is None:
            problems.at(path, f"expected {self.expected}, got {show(value)}")
        return day

    def write(self, value: datetime.date) -> str:
        return value.isoformat()

    def yaml_schema(self) -> dict[str, Any]:
        return self.json_schema()

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if DATE.fullmatch(text) else None
    except ValueError:
        return None


class Pattern(Kind):
    """A text that must match a pattern: a slug, a language tag."""

    def __init__(self, pattern: re.Pattern[str], name: str, expected: str) -> None:
        self.pattern = pattern
        self.name, self.expected, self.json_type = name, expected, expected

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> str | None:
        text = str(node.value)
        if self.pattern.fullmatch(text):
            return text
        reader.wrong(node, path, f"{text!r} is not {self.expected}")
        return None

    def read_json(self, value: Any, path: str, problems: Problems) -> str | None:
        if isinstance(value, str) and self.pattern.fullmatch(value):
            return value
        problems.at(path, f"expected {self.expected}, got {show(value)}")
        return None

    def yaml_schema(self) -> dict[str, Any]:
        schema = self.json_schema()
        if self.pattern.fullmatch("0"):  # YAML reads `id: 2024` as a number; the loader takes it
            return {"anyOf": [schema, {"type": "integer", "minimum": 0}]}
        return schema

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^{self.pattern.pattern}$"}


def Slug() -> Pattern:
    """A lowercase id that becomes an anchor: `no-reason`."""
    return Pattern(
        SLUG, "slug", "a slug like 'no-reason' (lowercase letters, digits, single hyphens)"
    )


def Lang() -> Pattern:
    """A BCP 47 language tag: `de`, `en-GB`."""
    return Pattern(TAG, "BCP 47 tag", "a language tag like de or en-GB")


class Bool(Kind):
    """true or false, and nothing YAML 1.1 also reads as one (yes, no, on, off)."""

    name, expected, json_type = "true/false", "true or false", "true or false"

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> bool | None:
        if node.tag == YAML_TAG + "bool" and str(node.value).lower() in ("true", "false"):
            return str(node.value).lower() == "true"
        reader.wrong(node, path, f"found {describe(node)}, expected {self.expected}")
        return None

    def read_json(self, value: Any, path: str, problems: Problems) -> bool | None:
        if value is True or value is False:
            return value
        problems.at(path, f"expected {self.json_type}, got {show(value)}")
        return None

    def yaml_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}

    json_schema = yaml_schema


class Int(Kind):
    """A whole number of 1 or more."""

    name, expected, json_type = "whole number ≥ 1", "a whole number of 1 or more", "an int"

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> int | None:
        if node.tag != YAML_TAG + "int" or not str(node.value).isdigit() or int(node.value) < 1:
            reader.wrong(node, path, f"found {describe(node)}, expected {self.expected}")
        elif int(node.value) > _LARGEST:
            reader.wrong(node, path, f"{node.value} is too large (at most {_LARGEST})")
        else:
            return int(node.value)
        return None

    def read_json(self, value: Any, path: str, problems: Problems) -> int | None:
        if type(value) is int and 1 <= value <= _LARGEST:
            return value
        wanted = "an int of 1 or more" if type(value) is int else self.json_type
        problems.at(path, f"expected {wanted}, got {show(value)}")
        return None

    def yaml_schema(self) -> dict[str, Any]:
        return self.json_schema()

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": 1, "maximum": _LARGEST}


class Version(Kind):
    """The format version: 1."""

    name, expected, json_type = "1", "the number 1", "1, the format this tool reads"

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> int | None:
        if node.tag == YAML_TAG + "int" and str(node.value) == "1":
            return 1
        if node.tag == YAML_TAG + "int":
            message = (
                f"format {node.value} is not known (expected 1; this Kontaktcharta reads format 1)"
            )
        else:
            message = f"found {describe(node)}, expected {self.expected}"
        reader.wrong(node, path, message)
        return None

    def read_json(self, value: Any, path: str, problems: Problems) -> int | None:
        if type(value) is int and value == 1:
            return 1
        problems.at(path, f"expected {self.json_type}, got {show(value)}")
        return None

    def yaml_schema(self) -> dict[str, Any]:
        return {"const": 1}

    json_schema = yaml_schema


class Choice(Kind):
    """One of a few words."""

    name = "one of"

    def __init__(self, *choices: str) -> None:
        self.choices = choices
        self.expected = f"one of: {', '.join(choices)}"
        self.json_type = self.expected

    def read(self, node: yaml.ScalarNode, path: str, reader: Reader) -> str | None:
        text = str(node.value)
        if text in self.choices:
            return text
        meant = closest(text, self.choices)
        hint = f"; did you mean {meant!r}?" if meant else ""
        reader.wrong(node, path, f"{text!r} is not allowed (expected {self.expected}){hint}")
        return None

    def read_json(self, value: Any, path: str, problems: Problems) -> str | None:
        if isinstance(value, str) and value in self.choices:
            return value
        problems.at(path, f"expected {self.expected}, got {show(value)}")
        return None

    def yaml_schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}

    json_schema = yaml_schema


class Scalar(Kind):
    """A bool, a number or a text, as YAML types it (a quoted value stays text)."""

    name, expected, json_type = "bool, number or text", "a single value", "a bool, number or string"

    def read(
        self, node: yaml.ScalarNode, path: str, reader: Reader
    ) -> bool | int | float | str | None:
        value = scalar(node)
        if value is None:
            reader.wrong(node, path, f"found {describe(node)}, expected {self.expected}")
        elif isinstance(value, float) and not math.isfinite(value):
            reader.wrong(node, path, f"found {node.value}, expected a finite number")
            return None
        return value

    def read_json(self, value: Any, path: str, problems: Problems) -> Any:
        if isinstance(value, bool | int | str) or (
            isinstance(value, float) and math.isfinite(value)
        ):
            return value
        problems.at(path, f"expected {self.json_type}, got {show(value)}")
        return None

    def yaml_schema(self) -> dict[str, Any]:
        return {"type": ["boolean", "number", "string"]}

    json_schema = yaml_schema


class Container(Kind):
    """A kind that holds other values: an object, a list or a map.

    `part` names the list (`accept` or `decline`) the value stands in, where it stands in one:
    keys declared `only` for the other list are left out.
    """

    max_items: int | None = None
    """The most entries a list or map may have (limits.py), where it is bounded."""
    limit = ""
    """The name of that limit, as messages and the docs give it."""

    def too_many(self, count: int) -> str | None:
        """Why `count` entries are too many, or None."""
        if self.max_items is None or count <= self.max_items:
            return None
        return f"has {count:,} entries; at most {self.max_items:,} (limit: {self.limit})"

    def children(self, part: str | None = None) -> Iterator[tuple[str, Key, str | None]]:
        """The keys inside, with their path step and the part they stand in."""
        return iter(())


class Nested(Container):
    """An object of declared keys: one of the model's classes; `fixed` are values it gets from
    where it stands (a section's name), `part` the list it makes (`accept`, `decline`)."""

    name, expected, json_type = "mapping", "a mapping of keys", "an object"

    def __init__(self, cls: type, part: str | None = None, **fixed: Any) -> None:
        self.cls = cls
        self.part = part
        self.fixed = fixed

    def keys(self, part: str | None = None) -> dict[str, Key]:
        """The declared keys of the object, in order, as they apply in its part."""
        return keys_of(self.cls, self.part or part)

    def children(self, part: str | None = None) -> Iterator[tuple[str, Key, str | None]]:
        for name, inner in self.keys(part).items():
            yield f".{name}", inner, self.part or part

    def make(self, values: dict[str, Any]) -> Any:
        """The model object from the values read."""
        return self.cls(**self.fixed, **values)


class ListOf(Container):
    """A list of values of one kind."""

    name, expected, json_type = "list", "a list", "a list"

    def __init__(
        self, item: Kind, min_items: int = 0, max_items: int | None = None, limit: str = ""
    ) -> None:
        self.item = item
        self.min_items = min_items
        self.max_items = max_items
        self.limit = limit

    def children(self, part: str | None = None) -> Iterator[tuple[str, Key, str | None]]:
        if isinstance(self.item, Container):
            for step, inner, where in self.item.children(part):
                yield f"[]{step}", inner, where


class MapOf(Container):
    """A mapping of names the author chooses to values of one kind.

    With `name` (the field of the item that holds its name), charta.json writes it as a list of
    objects that carry their name first, and the model keeps a tuple of them.
    """

    name, expected, json_type = "mapping by name", "a mapping of names", "an object"

    def __init__(
        self,
        item: Kind,
        name: str | None = None,
        names: str = "",
        max_items: int | None = None,
        limit: str = "",
    ) -> None:
        self._item = item
        self.name_field = name
        self.names = names
        """The pattern a name must match in the schemas, where there is one."""
        self.max_items = max_items
        self.limit = limit

    @property
    def item(self) -> Kind:
        """The kind of each value."""
        return self._item

    def children(self, part: str | None = None) -> Iterator[tuple[str, Key, str | None]]:
        if isinstance(self.item, Container):
            for step, inner, where in self.item.children(part):
                if step != f".{self.name_field}":
                    yield f".<name>{step}", inner, where


class Translated(Nested):
    """The texts of an object in another language: its translated keys, and the objects, lists
    and maps that hold some. A list of objects with ids is a map by id here, so that each text
    is found by the id of its object; the values read are plain mappings."""

    def __init__(self, of: Nested) -> None:
        super().__init__(of.cls, of.part)
        self.of = of

    def keys(self, part: str | None = None) -> dict[str, Key]:
        found = _TRANSLATED.get((self.cls, self.part or part))
        if found is None:
            found = {}
            for name, inner in self.of.keys(part).items():
                made = _translated(inner, self.part or part)
                if made is not None:
                    found[name] = made
            _TRANSLATED[self.cls, self.part or part] = found
        return found

    def make(self, values: dict[str, Any]) -> Any:
        return values


def _translated(declared: Key, part: str | None) -> Key | None:
    """A key as a translation has it, or None where a translation has nothing to say."""
    kind = declared.kind
    if isinstance(kind, Translations):  # a translation has no translations of its own
        return None
    if declared.translated:
        return dataclasses.replace(
            declared, required=declared.required and declared.translated is True
        )
    texts: Translated | None = None
    if isinstance(kind, Nested):
        texts = Translated(kind)
    elif isinstance(kind, ListOf | MapOf) and isinstance(kind.item, Nested):
        texts = Translated(kind.item)
    if texts is None or not texts.keys(part):
        return None
    inner: Kind = texts
    doc = declared.doc
    if isinstance(kind, ListOf):
        assert isinstance(kind.item, Nested)
        if "id" in kind.item.keys(part):
            inner, doc = MapOf(inner), "Each entry's texts, by its id."
        else:
            inner, doc = ListOf(inner), "Each entry's texts, in the same order."
    elif isinstance(kind, MapOf):
        inner = MapOf(inner, names=kind.names)
    # Required where a translation must give something in it: a required text, somewhere below.
    required = declared.required and any(k.required for k in texts.keys(part).values())
    return dataclasses.replace(
        declared, kind=inner, doc=doc, example="", translated=False, required=required
    )


class Translations(MapOf):
    """The charta in more languages, by language tag: a translation of the whole charta.

    Declared on the charta itself, which is not made yet: `root` gives it when first needed."""

    def __init__(self, root: Callable[[], Nested], max_items: int) -> None:
        self.root = root
        self.name_field = None
        self.names = f"^{TAG.pattern}$"
        self.max_items = max_items
        self.limit = "translations"

    @property
    def item(self) -> Kind:
        return Translated(self.root())


@dataclasses.dataclass(frozen=True, slots=True)
class Key:
    """One key of the format, as declared on a field of the model."""

    kind: Kind
    """How the value is read, written and described."""
    doc: str
    """One sentence for the docs, the schemas and the editor."""
    example: str | Mapping[str, str]
    """A YAML value as an author would write it; by part where the parts differ."""
    required: bool
    """Whether the key must be there."""
    absent: str
    """What an absent optional key means, for the docs; empty where it means nothing."""
    translated: bool | str
    """Whether a translation gives its own text: True, or "override" where it may."""
    only: str | None
    """The one list (`accept`, `decline`) whose criteria have this key; None: everywhere."""
    written: Callable[[Any], Any] | None
    """For the policy: the value written where the charta gives none, from the whole charta."""
    default: Any = None
    """The model's value where the key is absent: None, or a value of its own (`()`, `any`)."""
    policy: bool = True
    """Whether charta.json carries the key: not where only the build reads it (`theme`)."""
    late: bool = False
    """Whether the key came to format 1 after policies were first written: charta.json then
    leaves it out where the charta does not give it, instead of writing null at the top level,
    so that every policy written before stays valid and keeps its revision."""
    policy_doc: str = ""
    """The sentence for charta.json's schema where the key holds something else there than in
    charta.yaml (`image`: a file there, its absolute address here); empty: `doc`."""

    def example_in(self, part: str | None) -> str:
        """The example for the part (`accept`, `decline`) the key stands in."""
        if isinstance(self.example, str):
            return self.example
        return self.example.get(part or "", "")


_Field = TypeVar("_Field")


_REQUIRED: Final = object()
"""The default of `key()`'s default: none, the key is required."""


def key(
    kind: Kind,
    doc: str,
    *,
    example: str | Mapping[str, str] = "",
    default: Any = _REQUIRED,
    absent: str = "",
    translated: bool | str = False,
    only: str | None = None,
    written: Callable[[Any], Any] | None = None,
    policy: bool = True,
    late: bool = False,
    policy_doc: str = "",
) -> Any:
    """Declare a field of the model as a key of the format (see Key); a key with no default is
    required."""
    required = default is _REQUIRED
    declared = Key(
        kind,
        doc,
        example,
        required,
        absent,
        translated,
        only,
        written,
        None if required else default,
        policy,
        late,
        policy_doc,
    )
    metadata = {"key": declared}
    if required:
        return dataclasses.field(metadata=metadata)
    if isinstance(default, list | dict):
        made = type(default)
        return dataclasses.field(default_factory=made, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


_Class = TypeVar("_Class", bound=type)


@dataclass_transform(
    frozen_default=True, kw_only_default=True, field_specifiers=(key, dataclasses.field)
)
def declared(cls: _Class) -> _Class:
    """A class of the model whose fields are keys of the format: frozen, slotted, by keyword."""
    return dataclasses.dataclass(frozen=True, slots=True, kw_only=True)(cls)  # type: ignore[return-value]


_KEYS: dict[tuple[type, str | None], dict[str, Key]] = {}
"""The keys of each model class, by class and part: the declarations do not change."""
_TRANSLATED: dict[tuple[type, str | None], dict[str, Key]] = {}
"""The keys of each model class as a translation has them, by class and part."""


def keys_of(cls: type, part: str | None = None) -> dict[str, Key]:
    """The declared keys of a model class in order, leaving out those `only` for another part."""
    found = _KEYS.get((cls, part))
    if found is None:
        found = _KEYS[cls, part] = {
            field.name: field.metadata["key"]
            for field in dataclasses.fields(cls)
            if "key" in field.metadata and field.metadata["key"].only in (None, part)
        }
    return found


def walk(
    kind: Kind, prefix: str = "", part: str | None = None
) -> Iterator[tuple[str, Key, str | None]]:
    """Every key path below a kind with its Key and part, in document order."""
    if not isinstance(kind, Container):
        return
    for step, inner, where in kind.children(part):
        path = f"{prefix}{step}" if prefix else step.lstrip(".")
        yield path, inner, where
        yield from walk(inner.kind, path, where)


def scalar(node: yaml.ScalarNode) -> bool | int | float | str | None:
    """A scalar's value as YAML types it (quoted values stay text); None for null. Only true and
    false are bools: yes, no, on and off are text, as YAML 1.2 and editors read them."""
    text = str(node.value)
    if node.style in ("'", '"', "|", ">"):
        return text
    if node.tag == YAML_TAG + "bool":
        return text.lower() == "true" if text.lower() in ("true", "false") else text
    if node.tag == YAML_TAG + "int":
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:
            return text
    if node.tag == YAML_TAG + "float":
        try:
            return float(text.replace("_", ""))
        except ValueError:
            return text
    if node.tag == YAML_TAG + "null":
        return None
    return text


def describe(node: yaml.Node) -> str:
    """A node as a message names what was found: `a list`, `the number 5`, `the text 'x'`."""
    import yaml  # loaded already: only the YAML reader has nodes

    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if isinstance(value, bool):
        return f"the bool {node.value}"
    if isinstance(value, int | float):
        return f"the number {node.value}"
    return "nothing" if value is None else f"the text {str(node.value)[:40]!r}"


def show(value: Any) -> str:
    """A JSON value as a message quotes it, cut short."""
    import json

    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 40 else text[:37] + "..."


def closest(name: str, choices: Any) -> str | None:
    """The one of `choices` that `name` was most likely meant to be, if any is close."""
    import difflib  # only for a mistake: it is slow to import

    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None
