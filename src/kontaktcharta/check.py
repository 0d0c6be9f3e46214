"""Checks that need the whole charta: unique ids, declared platforms and facts, rules, templates."""

from __future__ import annotations

import re
from collections.abc import Mapping

from . import limits
from .errors import Problems
from .messages import DeclineMessages, MessageTooLong
from .model import FACT_NAME, Charta, Criterion, Fact

IDENTIFIER = re.compile(FACT_NAME)
CEL_RESERVED = frozenset(
    [
        "true",
        "false",
        "null",
        "in",
        "as",
        "break",
        "const",
        "continue",
        "else",
        "for",
        "function",
        "if",
        "import",
        "let",
        "loop",
        "package",
        "namespace",
        "return",
        "var",
        "void",
        "while",
        "platform",
        "__proto__",
        "prototype",
    ]
)
"""Names no fact may have: CEL's reserved words, the request's `platform`, and the names
JavaScript readers (cel-js) cannot declare."""
_A_TYPE = {"bool": "a bool", "int": "an int", "double": "a double", "string": "a string"}
_PYTHON_TYPE = {"bool": (bool,), "int": (int,), "double": (int, float), "string": (str,)}


def check_charta(charta: Charta, problems: Problems) -> None:
    """Report every cross-reference problem of an otherwise well-formed charta."""
    found = Found(charta, problems)
    found.unique_platforms()
    found.facts()
    found.criteria()


class Found:
    """Checks one charta, reporting by the key paths the loader recorded."""

    def __init__(self, charta: Charta, problems: Problems) -> None:
        self.charta = charta
        self.problems = problems
        self.at = problems.at

    def unique_platforms(self) -> None:
        first: dict[str, int] = {}
        for i, platform in enumerate(self.charta.platforms):
            if platform.id in first:
                self.at(
                    f"platforms[{i}].id",
                    f"duplicate platform id {platform.id!r} "
                    f"(first at platforms[{first[platform.id]}])",
                )
            first.setdefault(platform.id, i)

    def facts(self) -> None:
        for fact in self.charta.facts:
            path = f"facts.{fact.name}"
            if fact.name in CEL_RESERVED:
                self.at(
                    path,
                    f"{fact.name!r} cannot name a fact (CEL, the request or JavaScript "
                    "reserves it; choose another name)",
                )
            elif not IDENTIFIER.fullmatch(fact.name):
                self.at(
                    path,
                    f"{fact.name!r} cannot name a fact (expected letters, digits and "
                    "_, starting with a letter or _)",
                )
            self.fact_values(fact, path)

    def fact_values(self, fact: Fact, path: str) -> None:
        for i, value in enumerate(fact.values or ()):
            allowed = _PYTHON_TYPE[fact.type]
            if (isinstance(value, bool) and bool not in allowed) or not isinstance(value, allowed):
                self.at(
                    f"{path}.values[{i}]",
                    f"{value!r} is not {_A_TYPE[fact.type]} (the fact's type)",
                )
            elif isinstance(value, str) and len(value) > limits.FACT_TEXT:
                self.at(
                    f"{path}.values[{i}]",
                    f"has {len(value):,} characters; a request gives at most "
                    f"{limits.FACT_TEXT:,} (limit: fact text)",
                )
            elif isinstance(value, int) and not -(2**63) <= value < 2**63:
                self.at(f"{path}.values[{i}]", "expected an int from -2^63 to 2^63-1")

    def rule_steps(self, path: str, expression: str, facts: Mapping[str, str], steps: int) -> int:
        """The steps of the rules so far with this one; reported where they pass the limit."""
        from .rules import rule_cost  # the CEL runtime, only for a charta with rules

        total = steps + rule_cost(expression, facts)
        if steps <= limits.COST < total:
            self.at(
                path,
                f"with this rule, the rules may take {total:,} steps for one request; "
                f"at most {limits.COST:,} together (limit: policy cost)",
            )
        return total

    def criteria(self) -> None:
        platforms = {p.id for p in self.charta.platforms}
        facts = {f.name: f.type for f in self.charta.facts}
        first: dict[str, str] = {}
        fallbacks: list[str] = []
        steps = 0
        for section in (self.charta.accept, self.charta.decline):
            for i, criterion in enumerate(section.criteria):
                path = f"{section.name}.criteria[{i}]"
                if criterion.id in first:
                    self.at(
                        f"{path}.id",
                        f"duplicate id {criterion.id!r} (first at "
                        f"{first[criterion.id]}; ids are unique in the whole charta)",
                    )
                first.setdefault(criterion.id, path)
                for j, platform in enumerate(criterion.platforms or ()):
                    if platform not in platforms:
                        known = ", ".join(sorted(platforms)) or "none declared"
                        self.at(
                            f"{path}.platforms[{j}]",
                            f"platform {platform!r} is not "
                            f"declared in platforms (declared: {known})",
                        )
                if criterion.question is not None and (criterion.when or criterion.otherwise):
                    decided = "its rule (when)" if criterion.when else "itself (otherwise)"
                    self.at(
                        f"{path}.question",
                        f"a question is asked only for a criterion without when, which a "
                        f"person judges; this one is decided by {decided}",
                    )
                if criterion.otherwise:
                    fallbacks.append(path)
                    if criterion.when is not None:
                        self.at(
                            f"{path}.when",
                            "an otherwise criterion takes no when (it holds "
                            "when no accept criterion does)",
                        )
                elif criterion.when is not None:
                    check_rule_at(f"{path}.when", criterion.when, facts, self.problems)
                    steps = self.rule_steps(f"{path}.when", criterion.when, facts, steps)
        for path in fallbacks[1:]:
            self.at(
                f"{path}.otherwise",
                f"a second otherwise criterion (the first is {fallbacks[0]}; at most one)",
            )


def warn_portability(charta: Charta, problems: Problems) -> None:
    """The build's warnings at each rule that compiles, of what JavaScript readers refuse or run
    differently. Only the build says them: a policy reader has no one to tell, so it does not
    look."""
    facts = {f.name: f.type for f in charta.facts}
    for section in (charta.accept, charta.decline):
        for i, criterion in enumerate(section.criteria):
            if criterion.when is not None and not criterion.otherwise:
                for message in portability_warnings(criterion.when, facts):
                    problems.warn(f"{section.name}.criteria[{i}].when", message)


def portability_warnings(expression: str, facts: Mapping[str, str]) -> list[str]:
    """What the build says of a rule that compiles: each pattern of its `matches` outside the
    portable subset (portable.py), then each part JavaScript readers refuse or run differently
    (portable_rules.py)."""
    from .portable import portable, warning
    from .rules import rule_constructs, rule_patterns  # the CEL runtime

    constructs = [portable(pattern) for pattern in rule_patterns(expression, facts)]
    found = [warning(construct) for construct in constructs if construct is not None]
    return found + [construct.warning() for construct in rule_constructs(expression, facts)]


def check_rule_at(path: str, expression: str, facts: Mapping[str, str], problems: Problems) -> None:
    """Compile a rule against the declared facts; report its first problem, the caret at the
    spot in the expression where the expression stands on one line."""
    from .rules import check_rule  # the CEL runtime, only for a charta with rules

    problem = check_rule(expression, facts)
    if problem is None:
        return
    place = problems.places.get(path)
    offset = 0
    if place is None:
        problems.at(path, problem.message)
        return
    written = place.source[place.column - 1 :]
    if problem.line == 1 and written.lstrip("'\"").startswith(expression[:20]):
        offset = problem.column - 1 + (written[:1] in ("'", '"'))
    problems.at(path, problem.message, offset)


def check_message_limits(charta: Charta, problems: Problems) -> None:
    """Every single decline reason, and under `match: all` every single unmet accept
    criterion, must make a message that fits each platform's limit with the platform's
    template, in every language."""
    if all(platform.message_limit is None for platform in charta.platforms):
        return
    versions = (charta, *charta.translations)
    prepared = [(version, DeclineMessages.of(version)) for version in versions]
    fallback = charta.fallback
    for i, platform in enumerate(charta.platforms):
        if platform.message_limit is None:
            continue
        for version, messages in prepared:
            declines: list[tuple[Criterion, tuple[str, ...], tuple[str, ...]]] = [
                (c, (c.id,), ()) for c in version.decline.criteria if c.reply is not False
            ]
            if version.accept.match == "all" and messages.answered(fallback):
                declines += [(c, fallback, (c.id,)) for c in version.accept.criteria]
            for criterion, reasons, unmet in declines:
                bound = criterion.platforms is not None and not criterion.otherwise
                if bound and platform.id not in (criterion.platforms or ()):  # fallback: everywhere
                    continue
                try:
                    messages.render(reasons, None, platform.id, unmet)
                except MessageTooLong as error:
                    problems.at(
                        f"platforms[{i}].message_limit",
                        f"declining for {criterion.id!r} ({version.lang}): {error}",
                    )
                    break
