"""Reading `charta.yaml` into located YAML nodes, refusing what could hurt (size, aliases)."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from .errors import ChartaError, Problem

MAX_BYTES = 1024 * 1024
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader, or PyYAML's own where libyaml is missing."""


def read_text(path: Path, shown: str) -> str:
    """The file as text; a clear error for a missing, huge, empty or non-UTF-8 file."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                size = os.fstat(handle.fileno()).st_size  # 0 for a pipe, whose size is unknown
                has = (
                    f"the file has {size:,} bytes, more"
                    if size > MAX_BYTES
                    else "the file has more"
                )
                raise ChartaError.single(
                    shown,
                    f"{has} than the limit of {MAX_BYTES:,} (1 MiB); a charta is a page of text",
                )
    except FileNotFoundError:
        raise ChartaError.single(shown, "file not found (run `charta init` to start one)") from None
    except OSError as error:
        raise ChartaError.single(shown, f"cannot be read: {error.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        raise ChartaError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    "the file starts with a byte-order mark (save it as UTF-8 without BOM)",
                )
            ]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ChartaError(
            [
                Problem(
                    shown,
                    line,
                    column,
                    "",
                    f"byte 0x{data[error.start]:02x} is not UTF-8 (save the file as UTF-8)",
                    data.splitlines()[line - 1].decode("utf-8", "replace"),
                )
            ]
        ) from None
    if not text.strip():
        raise ChartaError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    "the file is empty (expected a charta; `charta init` writes a starter)",
                )
            ]
        )
    return text


def compose(text: str, shown: str) -> yaml.Node:
    """One YAML document as nodes; syntax errors become located problems.

    Aliases are left to the reader (`Reader` in load.py), which meets each node anyway: an alias
    makes a node appear twice. Where the reader stops early, `has_alias` looks at every node.
    """
    node = compose_any(text, shown)
    if node is None:
        raise ChartaError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    "",
                    "the file is empty (expected a charta; `charta init` writes a starter)",
                )
            ]
        )
    return node


def compose_any(text: str, shown: str) -> yaml.Node | None:
    """One YAML document as nodes, None where the text holds none (a theme's empty
    `theme.yaml`); syntax errors become located problems in `shown`."""
    try:
        return yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        raise _syntax_error(text, shown) from None


def _syntax_error(text: str, shown: str) -> ChartaError:
    """Re-parse with the pure-Python loader, whose messages are the same everywhere."""
    lines = text.splitlines()
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        problem = error.problem or error.context or "not valid YAML"
        at_end = "end of stream" in problem and error.context_mark is not None
        # A line without its ':' is noticed only on the next line; the key's own line is meant.
        no_colon = "simple key" in (error.context or "") and error.context_mark is not None
        mark = (
            error.context_mark if at_end or no_colon else error.problem_mark or error.context_mark
        )
        if mark is not None and mark.line >= len(lines):  # the file ended: where it began
            mark = error.context_mark or mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if line > len(lines):  # nothing began: the end of the last line
            line, column = len(lines), len(lines[-1]) + 1
        if "\\t" in problem or "\t" in problem:
            problem = "a tab character; YAML indents with spaces only"
        elif at_end and "quoted scalar" in (error.context or ""):
            problem = "this quoted text is never closed (add the closing quote)"
        elif "<stream end>" in problem and "flow" in (error.context or ""):
            problem = "the file ends before this bracket is closed (add the closing ] or })"
        elif no_colon:
            problem = "this line has no ':' (expected `key: value` or a list entry `- …`)"
        elif "another document" in problem:
            problem = "a second document begins here (a charta is one YAML document)"
        elif problem == "mapping values are not allowed here" and 0 < line <= len(lines):
            problem, column = _misaligned(lines, line - 1, column)
        elif error.context and error.problem:
            problem = f"{error.problem} ({error.context})"
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        return ChartaError([Problem(shown, line, column, "", f"YAML syntax: {problem}", source)])
    except yaml.YAMLError as error:
        return ChartaError([Problem(shown, 1, 1, "", f"YAML syntax: {error}")])
    return ChartaError([Problem(shown, 1, 1, "", "YAML syntax: the file is not valid YAML")])


def _misaligned(lines: list[str], index: int, column: int) -> tuple[str, int]:
    """What is wrong where YAML meets a `key:` it cannot take, in plain words, and the column of
    the key: usually a line indented deeper than the key before it, which has a value."""
    line = lines[index]
    indent = _indent(line)
    key, _, value = line.strip().removeprefix("- ").partition(":")
    if column - 1 > line.index(":"):  # a colon inside the value
        quote = "'" if '"' in value else '"'
        return (
            f"the value of `{key}:` has a colon followed by a space or the line's end; put the "
            f"value in quotes, like {key}: {quote}{value.strip()}{quote}",
            line.index(":") + len(value) - len(value.lstrip()) + 2,
        )
    above = next(
        (
            i
            for i in range(index - 1, -1, -1)
            if lines[i].strip() and not lines[i].lstrip().startswith("#")
        ),
        None,
    )
    if above is not None:
        before = lines[above]
        before_key, colon, before_value = before.strip().removeprefix("- ").partition(":")
        if indent > _indent(before) and colon and before_value.strip():
            return (
                f"`{key}:` is indented deeper than `{before_key}:` on line "
                f"{above + 1}, which has a value already (indent `{key}:` as far as the key "
                "it stands beside)",
                indent + 1,
            )
    return (
        f"YAML cannot take `{key}:` here: check how far this line is indented, and that the "
        "line before it is complete",
        indent + 1,
    )


def _indent(line: str) -> int:
    """How far the key of a line stands in: a list entry's `- ` counts as indentation."""
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    return indent + 2 if stripped.startswith("- ") else indent


def has_alias(root: yaml.Node) -> bool:
    """An alias makes a node appear twice; found without expanding anything."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return False


def alias_error(text: str, shown: str) -> ChartaError:
    """Every alias in the file, located."""
    lines = text.splitlines()
    problems = []
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
            mark = event.start_mark
            problems.append(
                Problem(
                    shown,
                    mark.line + 1,
                    mark.column + 1,
                    "",
                    f"YAML alias *{event.anchor} is not allowed (write the value out in full)",
                    lines[mark.line],
                )
            )
    return ChartaError(problems)
