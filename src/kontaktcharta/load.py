"""`charta.yaml` → a validated Charta, with every problem located and reported at once.

The reader walks the YAML nodes by the model's declarations (model.py, keys.py): each kind reads
its own values; the reader handles objects, lists and maps, unknown and missing keys. Then the
checks that need the whole charta run (check.py), the translations are made (translate.py), and
the examples are decided (examples.py), all reporting into one collector.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

import yaml

from .errors import Place, Problems
from .keys import YAML_TAG, Cel, Kind, ListOf, MapOf, Nested, closest
from .keys import describe as _describe
from .model import CHARTA, Charta
from .yamlfile import alias_error, compose, has_alias, read_text

if TYPE_CHECKING:  # a type only: no cost at run time

    class Mark(Protocol):
        """A position as the YAML parser gives it, counted from 0."""

        line: int
        column: int


_NULL = YAML_TAG + "null"


def load_charta(path: Path, label: str | None = None) -> Charta:
    """Read and validate a charta; raise ChartaError listing every problem found.

    `label` names the file in messages as the author named it (default: its name)."""
    label = label or path.name
    text = read_text(path, label)
    root = compose(text, label)
    # An alias needs an anchor, and an anchor an `&`; only then are nodes counted.
    reader = Reader(label, text.splitlines(), count_nodes="&" in text)
    try:
        reader.meet(root)
        values = reader.values(root, "", CHARTA, None)
    except _Alias:
        raise alias_error(text, label) from None
    problems = reader.problems
    if problems and reader.met is not None and has_alias(root):
        raise alias_error(text, label)  # where the reader stopped early
    if values is None:
        _check_rules_read(reader)
    if values is not None and not problems:
        translations = values.pop("translations", {})
        charta = Charta(**values, file=label, places=problems.places)
        from .check import check_charta, check_message_limits, warn_portability  # the whole model
        from .preview import locate
        from .translate import translate

        check_charta(charta, problems)
        warn_portability(charta, problems)
        charta = locate(charta, path.parent, problems)
        charta = translate(charta, translations, problems)
        if not problems:
            from .examples import check_examples

            check_message_limits(charta, problems)
            check_examples(charta, problems)
        problems.check()
        return replace(charta, warnings=tuple(problems.warnings))
    problems.check()
    raise AssertionError("a charta that could not be read has a problem")  # pragma: no cover


def _check_rules_read(reader: Reader) -> None:
    """Where the charta cannot be made, check the rules that were read anyway, against the
    facts, so that their mistakes come in the same run as the others."""
    facts = reader.found.get("facts", () if "facts" not in reader.marks else None)
    if facts is None:
        return  # the facts have mistakes of their own: a rule's would only repeat them
    from .check import check_rule_at

    declared = {fact.name: fact.type for fact in facts}
    for path, expression in reader.found.items():
        if isinstance(expression, str):
            check_rule_at(path, expression, declared, reader.problems)


CORE_TAGS: Final = frozenset(
    YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "seq", "map")
)
"""The tags of YAML's core schema: the only ones a charta may write (`!!str 5`); a date is read
as a timestamp without a tag written."""


class _Alias(Exception):
    """The reader met a node for the second time: the file uses an alias."""


class Places(Mapping[str, Place]):
    """Where each key path stands, made into a Place only when asked for.

    A large charta has tens of thousands of keys and needs a place for a few of them.
    """

    __slots__ = ("_lines", "_marks")

    def __init__(self, marks: dict[str, Mark], lines: Sequence[str]) -> None:
        self._marks = marks
        self._lines = lines

    def __getitem__(self, path: str) -> Place:
        return _place(self._marks[path], self._lines)

    def __contains__(self, path: object) -> bool:
        return path in self._marks

    def __iter__(self) -> Iterator[str]:
        return iter(self._marks)

    def __len__(self) -> int:
        return len(self._marks)


class Reader:
    """Reads YAML nodes by their declared kinds, recording each key's place and each problem."""

    def __init__(self, file: str, lines: list[str], count_nodes: bool = True) -> None:
        self.lines = lines
        self.marks: dict[str, Mark] = {}
        self.problems = Problems(file, Places(self.marks, lines))
        self.met: set[yaml.Node] | None = set() if count_nodes else None
        """Every node read so far, where the file may have aliases."""
        self.found: dict[str, Any] = {}
        """The rules read (by path) and the facts: what is checked where the charta cannot
        be made."""

    def meet(self, node: yaml.Node) -> None:
        """Count a node as read; raise _Alias at once for one met before (not read it again)."""
        if self.met is not None:
            if node in self.met:
                raise _Alias
            self.met.add(node)

    def _tagged(self, node: yaml.Node) -> bool:
        """Whether the file writes a tag on the node (a node begins at its tag)."""
        mark = node.start_mark
        line = self.lines[mark.line] if mark.line < len(self.lines) else ""
        return line[mark.column : mark.column + 1] == "!"

    def wrong(self, node: yaml.Node, path: str, message: str) -> None:
        """Record a problem at a node."""
        self.problems.at(path, message, place=_place(node.start_mark, self.lines))

    def warn(self, node: yaml.Node, path: str, message: str) -> None:
        """Record a warning at a node."""
        self.problems.warn(path, message, place=_place(node.start_mark, self.lines))

    def value(self, node: yaml.Node, path: str, kind: Kind, part: str | None) -> Any:
        """Read one value by its kind; None (and a problem) where it is wrong."""
        self.marks[path] = node.start_mark
        if node.tag not in CORE_TAGS and self._tagged(node):
            tag = node.tag.replace(YAML_TAG, "!!")
            self.wrong(
                node,
                path,
                f"the tag {tag} is not one of YAML's core tags (a charta is plain YAML: "
                "texts, numbers, true and false, lists and mappings); leave it out",
            )
            return None
        if isinstance(kind, Nested):
            values = self.values(node, path, kind, part)
            return None if values is None else kind.make(values)
        if isinstance(kind, ListOf):
            return self.list(node, path, kind, part)
        if isinstance(kind, MapOf):
            found = self.map(node, path, kind, part)
            if path == "facts":
                self.found[path] = found
            return found
        if not isinstance(node, yaml.ScalarNode):
            self.wrong(node, path, f"found {_describe(node)}, expected {kind.expected}")
            return None
        value = kind.read(node, path, self)
        if type(kind) is Cel and value is not None:
            self.found[path] = value
        return value

    def values(
        self, node: yaml.Node, path: str, kind: Nested, part: str | None
    ) -> dict[str, Any] | None:
        """A mapping with declared keys; unknown, duplicate and missing keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.wrong(
                node, path or "(top level)", f"found {_describe(node)}, expected {kind.expected}"
            )
            return None
        keys = kind.keys(part)
        inner = kind.part or part
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
                self.wrong(key_node, key_path, f"duplicate key (first on line {seen[name]})")
                ok = False
                continue
            seen[name] = key_node.start_mark.line + 1
            declared = keys.get(name)
            if declared is None:
                message, suggested = _unknown(name, keys)
                self.wrong(key_node, key_path, message)
                seen.setdefault(suggested, seen[name])  # its missing key needs no second word
                ok = False
            elif _is_null(value_node):
                empty[name] = key_node
            else:
                value = self.value(value_node, key_path, declared.kind, inner)
                ok = ok and value is not None
                if value is not None:
                    values[name] = value
        for name, declared in keys.items():
            if not declared.required:
                continue
            where = f"{path}.{name}" if path else name
            if name not in seen:
                self.wrong(
                    node, where, f"required key is missing (expected {declared.kind.expected})"
                )
                ok = False
            elif name in empty:
                self.wrong(empty[name], where, f"is empty (expected {declared.kind.expected})")
                ok = False
        return values if ok else None

    def list(
        self, node: yaml.Node, path: str, kind: ListOf, part: str | None
    ) -> tuple[Any, ...] | None:
        """A sequence of entries of one kind."""
        if not isinstance(node, yaml.SequenceNode):
            self.wrong(node, path, f"found {_describe(node)}, expected {kind.expected}")
            return None
        if len(node.value) < kind.min_items:
            entries = "entry" if kind.min_items == 1 else "entries"
            self.wrong(node, path, f"is empty (expected at least {kind.min_items} {entries})")
            return None
        too_many = kind.too_many(len(node.value))
        if too_many:
            self.wrong(node, path, too_many)
            return None
        for item in node.value:
            self.meet(item)
        items = [
            self.value(item, f"{path}[{i}]", kind.item, part) for i, item in enumerate(node.value)
        ]
        return None if any(item is None for item in items) else tuple(items)

    def map(self, node: yaml.Node, path: str, kind: MapOf, part: str | None) -> Any:
        """A mapping of names the author chooses: facts, a request's facts, translations."""
        if not isinstance(node, yaml.MappingNode):
            self.wrong(node, path, f"found {_describe(node)}, expected {kind.expected}")
            return None
        too_many = kind.too_many(len(node.value))
        if too_many:
            self.wrong(node, path, too_many)
            return None
        values: dict[str, Any] = {}
        first: dict[str, int] = {}
        ok = True
        item = kind.item
        for key_node, value_node in node.value:
            self.meet(key_node)
            self.meet(value_node)
            name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            item_path = f"{path}.{name}"
            if name in first:
                self.wrong(key_node, item_path, f"duplicate key (first on line {first[name]})")
                ok = False
                continue
            first[name] = key_node.start_mark.line + 1
            if isinstance(item, Nested):
                read = self.values(value_node, item_path, item, part)
                if read is None:
                    ok = False
                else:
                    if kind.name_field is not None:
                        read = {kind.name_field: name, **read}
                    values[name] = item.make(read)
                self.marks[item_path] = key_node.start_mark
                continue
            value = self.value(value_node, item_path, item, part)
            if value is None:
                ok = False
            values[name] = value
        if not ok:
            return None
        return tuple(values.values()) if kind.name_field is not None else values


def _place(mark: Mark, lines: Sequence[str]) -> Place:
    """A parser's mark (counted from 0) as a Place, with its source line."""
    source = lines[mark.line] if mark.line < len(lines) else ""
    return Place(mark.line + 1, mark.column + 1, source)


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL and not node.style


def _unknown(name: str, keys: Mapping[str, Any]) -> tuple[str, str]:
    """The message for an unknown key, and the key it suggests ('' for none)."""
    suggested = closest(name, keys)
    if suggested:
        return f"unknown key (did you mean {suggested!r}?)", suggested
    return f"unknown key (expected one of: {', '.join(keys)})", ""
