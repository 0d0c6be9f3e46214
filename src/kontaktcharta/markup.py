"""What verify reads of a parsed page, shared by verify.py, shown.py and visitor.py: the void
elements, every element in order, and each list's criteria with their names in messages."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
SECTIONS = ("accept", "decline")
"""The ids of the two criteria lists."""
TEXT_MARK = "[data-criterion-text]"
"""The element inside a criterion's element that holds exactly the criterion's HTML."""
_CRITERION_PARTS = f"[data-criterion], [data-criterion] {TEXT_MARK}, [data-criterion] a[href]"
"""A criterion, its marked text, its links: what `CriteriaOnPage` reads of a list."""
TEXT = "-text"
"""Lexbor's tag name of a text node (comments are `-comment`)."""


def elements_of(tree: LexborHTMLParser) -> list[LexborNode]:
    """Every element of a document, in document order."""
    return list(tree.root.traverse()) if tree.root is not None else []


def label(criterion_id: str, section: str | None) -> str:
    """A criterion as messages name it: `criterion 'met' (accept)`."""
    return f"criterion {criterion_id!r} ({section})"


def shown_criteria(tree: LexborHTMLParser) -> dict[LexborNode, str]:
    """Each criterion's marked text in both lists of a page, with its name in messages."""
    shown: dict[LexborNode, str] = {}
    for name in SECTIONS:
        section = tree.css_first(f"#{name}")
        if section is not None:
            shown.update(CriteriaOnPage(name, section).shown())
    return shown


class CriteriaOnPage:
    """A list's criteria as the page has them, read in one query in document order: a marked
    text or a link belongs to the criterion before it. (A query per criterion would compile its
    selector each time: seconds for 10,000 criteria.)"""

    def __init__(self, name: str, section: LexborNode) -> None:
        self.name = name
        """The list's section: `accept` or `decline`."""
        self.ids: list[str] = []
        """Each criterion element's `data-criterion`."""
        self.anchors: list[str | None] = []
        """Each one's `id`."""
        self.texts: list[LexborNode | None] = []
        """Each one's first element marked `data-criterion-text`, if it has one."""
        self.linked: set[int] = set()
        """The criteria (by index) that hold a link to the anchor their id makes."""
        own = ""
        for node in section.css(_CRITERION_PARTS):
            attrs = node.attrs
            if "data-criterion" in attrs:
                criterion_id = attrs.get("data-criterion") or ""
                self.ids.append(criterion_id)
                self.anchors.append(attrs.get("id"))
                self.texts.append(None)
                own = f"#{name}-{criterion_id}"
            elif not self.ids:
                continue
            elif "data-criterion-text" in attrs:
                if self.texts[-1] is None:
                    self.texts[-1] = node
            elif attrs.get("href") == own:
                self.linked.add(len(self.ids) - 1)

    def shown(self) -> dict[LexborNode, str]:
        """Each criterion's marked text with its name in messages (see `label`)."""
        return {
            marked: label(criterion_id, self.name)
            for criterion_id, marked in zip(self.ids, self.texts, strict=True)
            if marked is not None
        }
