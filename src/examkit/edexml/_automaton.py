"""Content models compiled to deterministic automata over child element names.

Each element declaration in a content model is a *position*; the automaton's
states are "nothing read yet" (0) and "position p was the last element read"
(the Glushkov construction). XML Schema requires content models to be
deterministic (the unique particle attribution rule), so from any state a
child's name selects at most one next position; :func:`compile_content`
checks that and raises when a table breaks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

from examkit.edexml._schema import ElementDecl, Particle

__all__ = ["ContentModel", "compile_content"]


@attrs.frozen
class ContentModel:
    """A compiled content model.

    ``transitions[state][name]`` is the next state; ``declarations[state]``
    the element declaration read to reach *state* (``None`` for state 0);
    ``expected[state]`` the names allowed next, in the standard's order;
    ``repeatable`` the names that may occur more than once.
    """

    transitions: tuple[Mapping[str, int], ...]
    declarations: tuple[ElementDecl | None, ...]
    accepting: frozenset[int]
    expected: tuple[tuple[str, ...], ...]
    repeatable: frozenset[str]


@attrs.define
class _Parts:
    nullable: bool
    first: list[int]
    last: list[int]


class _Builder:
    def __init__(self) -> None:
        self.positions: list[ElementDecl] = []
        self.follow: list[list[int]] = []

    def _add_follow(self, sources: list[int], targets: list[int]) -> None:
        for source in sources:
            for target in targets:
                if target not in self.follow[source]:
                    self.follow[source].append(target)

    def _choice(self, items: tuple[Particle, ...]) -> _Parts:
        parts = _Parts(False, [], [])
        for item in items:
            sub = self.visit(item)
            parts.nullable = parts.nullable or sub.nullable
            parts.first += sub.first
            parts.last += sub.last
        return parts

    def _sequence(self, items: tuple[Particle, ...]) -> _Parts:
        subs = [self.visit(item) for item in items]
        parts = _Parts(all(sub.nullable for sub in subs), [], [])
        for sub in subs:
            parts.first += sub.first
            if not sub.nullable:
                break
        for sub in reversed(subs):
            parts.last += sub.last
            if not sub.nullable:
                break
        for index, sub in enumerate(subs):
            following: list[int] = []
            for later in subs[index + 1 :]:
                following += later.first
                if not later.nullable:
                    break
            self._add_follow(sub.last, following)
        return parts

    def visit(self, particle: Particle) -> _Parts:
        if particle.min not in {0, 1} or particle.max not in {1, None}:
            raise AssertionError(f"only ?, * and + repetitions are supported: {particle!r}")
        if isinstance(particle, ElementDecl):
            position = len(self.positions)
            self.positions.append(particle)
            self.follow.append([])
            parts = _Parts(False, [position], [position])
        elif particle.kind == "choice":
            parts = self._choice(particle.items)
        else:
            parts = self._sequence(particle.items)
        if particle.max is None:
            self._add_follow(parts.last, parts.first)
        if particle.min == 0:
            parts.nullable = True
        return parts


def _names(builder: _Builder, positions: list[int], where: str) -> tuple[dict[str, int], list[str]]:
    transitions: dict[str, int] = {}
    order: list[str] = []
    for position in positions:
        name = builder.positions[position].name
        if name in transitions:
            raise AssertionError(f"{where}: content model is not deterministic at <{name}>")
        transitions[name] = position + 1
        order.append(name)
    return transitions, order


def compile_content(particle: Particle | None, where: str = "") -> ContentModel:
    """Return the automaton of *particle* (``None``: empty content).

    Raises:
        AssertionError: the content model is not deterministic (a table error).
    """
    if particle is None:
        return ContentModel(({},), (None,), frozenset({0}), ((),), frozenset())
    builder = _Builder()
    root = builder.visit(particle)
    start, start_order = _names(builder, root.first, where)
    transitions = [MappingProxyType(start)]
    expected = [tuple(start_order)]
    for position in range(len(builder.positions)):
        following, order = _names(builder, builder.follow[position], where)
        transitions.append(MappingProxyType(following))
        expected.append(tuple(order))
    accepting = {position + 1 for position in root.last}
    if root.nullable:
        accepting.add(0)
    repeatable: set[str] = set()
    for position, declaration in enumerate(builder.positions):
        seen: set[int] = set()
        pending = list(builder.follow[position])
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            if builder.positions[current].name == declaration.name:
                repeatable.add(declaration.name)
                break
            pending += builder.follow[current]
    return ContentModel(
        transitions=tuple(transitions),
        declarations=(None, *builder.positions),
        accepting=frozenset(accepting),
        expected=tuple(expected),
        repeatable=frozenset(repeatable),
    )
