"""YAML read with bounded work: aliases, nesting and size limited before anything is built.

``yaml.safe_load`` shares the node of an alias, so "billion laughs" (ten
aliases of ten aliases of …) builds cheaply but expands to 10⁹ values the
moment anything walks, validates or prints the document. :func:`load_yaml`
counts what the document would weigh if every alias were written out (its
nodes and the characters of its scalars) while composing it, and refuses it
past a budget proportional to the text itself: a document without aliases
always fits, a few aliases fit, and an expansion bomb is refused in
milliseconds. Nesting deeper than :data:`MAX_DEPTH` is refused before Python's
recursion limit is reached. Every message is one short line: it quotes at most
:data:`EXCERPT` characters of the input.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import Node, ScalarNode

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 50
EXTRA_WEIGHT = 10_000
EXCERPT = 80


class YamlRefused(ValueError):
    """YAML that is not read: malformed, too large, too deep or expanding too far. ``where`` is a position."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where
        self.message = message


def excerpt(text: object, limit: int = EXCERPT) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _position(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader whose composer weighs the expanded document and limits nesting."""

    def __init__(self, stream: str, budget: int) -> None:
        super().__init__(stream)
        self._budget = budget
        self._weight = 0
        self._depth = 0
        self._weights: dict[int, int] = {}

    def fetch_flow_collection_start(self, token_class: Any) -> None:
        """Refuse a ``[`` or ``{`` nested too deep before scanning ahead (the scanner's look-ahead is quadratic)."""
        if self.flow_level >= MAX_DEPTH:
            raise YamlRefused(_position(self.get_mark()), f"nested deeper than {MAX_DEPTH} levels")
        super().fetch_flow_collection_start(token_class)

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        """Compose one node, refusing it when too deep or when its expansion passes the budget."""
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            node = Composer.compose_node(self, parent, index)
            if id(node) not in self._weights:
                raise YamlRefused(_position(mark), "refused: an alias (*name) inside the value it names")
            self._add(self._weights[id(node)], mark)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlRefused(_position(self.peek_event().start_mark), f"nested deeper than {MAX_DEPTH} levels")
        try:
            before = self._weight
            node = Composer.compose_node(self, parent, index)
            if isinstance(node, ScalarNode):
                self._add(1 + len(node.value), node.start_mark)
            else:
                self._add(1, node.start_mark)
            self._weights[id(node)] = self._weight - before
            return node
        finally:
            self._depth -= 1

    def _add(self, weight: int, mark: Any) -> None:
        self._weight += weight
        if self._weight > self._budget:
            raise YamlRefused(
                _position(mark),
                "refused: its aliases (*name) expand to far more than the text itself; write the values out",
            )


def load_yaml(text: str, max_bytes: int = MAX_BYTES) -> Any:
    """Parse ``text`` as YAML with bounded work; raise :class:`YamlRefused` with a one-line reason."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise YamlRefused("", f"refused: {size:,} bytes is more than the limit of {max_bytes:,}")
    loader = _BoundedLoader(text, budget=2 * len(text) + EXTRA_WEIGHT)
    try:
        return loader.get_single_data()
    except YamlRefused:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlRefused(_position(mark), f"not valid YAML: {excerpt(error.problem or error.context)}") from None
    except yaml.YAMLError as error:
        raise YamlRefused("", f"not valid YAML: {excerpt(error)}") from None
    except RecursionError:
        raise YamlRefused("", f"nested deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
