"""Jinja2's sandbox with a budget: render time and output size bounded, growth refused early.

Jinja2's :class:`SandboxedEnvironment` limits what a template may touch, not
how long it runs or how much it makes. :class:`BoundedSandbox` adds both:

* a render runs under a :class:`Budget` (:func:`render_bounded`): a deadline
  checked on every call, attribute lookup, operator, filter and loop turn
  (loops are wrapped when a template is compiled), and a limit on the
  characters it yields;
* operators and filters that grow a value (``*``, ``**``, ``%``, ``+``, ``~``,
  ``center``, ``indent``, ``format``, ``replace`` …) are refused *before*
  they would build a value larger than the output limit;
* ``lipsum`` and ``range`` are capped.

Exceeding a bound raises :class:`RenderLimit`, a :class:`SecurityError`, so
every caller that already refuses unsafe templates refuses these too.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from jinja2 import Template, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import generate_lorem_ipsum

RENDER_SECONDS = 1.0
MAX_OUTPUT = 200_000
MAX_RANGE = 10_000
MAX_EXPONENT_BITS = 4_096
GUARD_ITER = "tandem_guard_iter"
GUARD_VALUE = "tandem_guard_value"
_WIDE_FORMAT = re.compile(r"%[^a-zA-Z%]*?(\*|\d{5,})")


class RenderLimit(SecurityError):
    """A render that ran too long or would make too much."""


@dataclass
class Budget:
    """What one render may still spend."""

    seconds: float = RENDER_SECONDS
    max_output: int = MAX_OUTPUT
    deadline: float = field(init=False)
    written: int = 0

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def tick(self) -> None:
        """Raise :class:`RenderLimit` once the deadline has passed."""
        if time.monotonic() > self.deadline:
            unit = "second" if self.seconds == 1 else "seconds"
            raise RenderLimit(f"takes longer than {self.seconds:g} {unit} to render")

    def size(self, value: Any) -> Any:
        """Return ``value``, or raise when it is a string or collection larger than the output limit."""
        if isinstance(value, str | list | tuple | dict | set) and len(value) > self.max_output:
            raise RenderLimit(f"makes a value of more than {self.max_output:,} characters")
        return value

    def write(self, chunk: str) -> str:
        """Count ``chunk`` against the output limit."""
        self.written += len(chunk)
        if self.written > self.max_output:
            raise RenderLimit(f"renders more than {self.max_output:,} characters")
        self.tick()
        return chunk


_BUDGET: ContextVar[Budget | None] = ContextVar("tandem_render_budget", default=None)


def budget() -> Budget:
    """The budget of the render in progress; outside :func:`render_bounded`, a fresh default one per check."""
    return _BUDGET.get() or Budget()


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def _check_binop(op: str, left: Any, right: Any) -> None:
    limit = budget().max_output
    numbers = (int, float)
    if op == "**" and isinstance(left, numbers) and isinstance(right, numbers):
        bits = max(abs(int(left)).bit_length(), 1) * abs(int(right)) if isinstance(right, int) else 0
        if bits > MAX_EXPONENT_BITS:
            raise RenderLimit("makes a number too large to print")
    elif op == "*":
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_EXPONENT_BITS:
                raise RenderLimit("makes a number too large to print")
        elif isinstance(left, int | bool) or isinstance(right, int | bool):
            count = left if isinstance(left, int) else right
            if max(_length(left), _length(right)) * max(count, 0) > limit:
                raise RenderLimit(f"makes a value of more than {limit:,} characters")
    elif op == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
        raise RenderLimit("uses a format width of 10,000 or more")
    elif op == "+" and _length(left) + _length(right) > limit:
        raise RenderLimit(f"makes a value of more than {limit:,} characters")


def _capped_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Jinja2's ``lipsum``, at most 5 paragraphs of at most 100 words."""
    paragraphs = sorted((1, int(n), 5))[1]
    most = sorted((2, int(max), 100))[1]
    least = sorted((1, int(min), most - 1))[1]
    return generate_lorem_ipsum(n=paragraphs, html=html, min=least, max=most)


def _capped_range(*args: int) -> range:
    """``range``, at most :data:`MAX_RANGE` items."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise RenderLimit(f"asks for a range of more than {MAX_RANGE:,} numbers")
    return numbers


def _guard_iter(iterable: Any) -> Iterator[Any]:
    """Each turn of a ``{% for %}`` loop checks the deadline."""
    current = budget()
    for item in iterable:
        current.tick()
        yield item


def _guard_value(value: Any) -> Any:
    """The result of ``a ~ b``, refused when too large."""
    return budget().size(value)


def _width_args(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
    """The arguments of a filter that set how wide its result gets."""
    if name in ("center", "indent", "wordwrap", "truncate"):
        return [*args[:1], *(kwargs.get(key) for key in ("width", "length"))]
    return []


def _guard_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with the deadline checked, growing arguments refused, and its result size-checked."""

    @wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        current = budget()
        current.tick()
        # Filters may take the environment or context first (pass_environment / pass_context).
        values = [a for a in args if not isinstance(a, SandboxedEnvironment) and not hasattr(a, "environment")]
        value, rest = (values[0], tuple(values[1:])) if values else (None, ())
        for width in _width_args(name, rest, kwargs):
            if isinstance(width, int) and width > current.max_output:
                raise RenderLimit(f"asks {name} for a width of more than {current.max_output:,}")
        if name == "format" and isinstance(value, str) and _WIDE_FORMAT.search(value):
            raise RenderLimit("uses a format width of 10,000 or more")
        if name == "replace" and isinstance(value, str) and len(rest) >= 2:
            old, new = str(rest[0]), str(rest[1])
            grows = (value.count(old) if old else len(value) + 1) * len(new)
            if len(value) + grows > current.max_output:
                raise RenderLimit(f"makes a value of more than {current.max_output:,} characters")
        return current.size(function(*args, **kwargs))

    return guarded


def _guarded(node: nodes.Expr, guard: str) -> nodes.Filter:
    return nodes.Filter(node, guard, [], [], None, None, lineno=node.lineno)


def _guard_tree(tree: nodes.Template) -> nodes.Template:
    """Rewrite a parsed template (in one pass) so every loop turn and every ``~`` result passes a guard."""
    everything = [tree, *tree.find_all(nodes.Node)]
    for node in everything:
        if isinstance(node, nodes.For):
            node.iter = _guarded(node.iter, GUARD_ITER)
        for name in node.fields:
            value = getattr(node, name, None)
            if isinstance(value, nodes.Concat):
                setattr(node, name, _guarded(value, GUARD_VALUE))
            elif isinstance(value, list) and any(isinstance(item, nodes.Concat) for item in value):
                setattr(node, name, [_guarded(i, GUARD_VALUE) if isinstance(i, nodes.Concat) else i for i in value])
    return tree


class BoundedSandbox(SandboxedEnvironment):
    """A sandbox whose renders are bounded in time and size (use :func:`render_bounded`)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["lipsum"] = _capped_lipsum
        self.globals["range"] = _capped_range
        self.filters = {name: _guard_filter(name, function) for name, function in self.filters.items()}
        self.filters[GUARD_ITER] = _guard_iter
        self.filters[GUARD_VALUE] = _guard_value

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _guard_tree(super()._parse(source, name, filename))

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        """Apply an intercepted operator once its result is known to stay small."""
        budget().tick()
        _check_binop(operator_name, left, right)
        result = super().call_binop(context, operator_name, left, right)
        return budget().size(result)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call with the deadline checked before and the result size-checked after."""
        budget().tick()
        return budget().size(super().call(context, obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Attribute lookup with the deadline checked."""
        budget().tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Item lookup with the deadline checked."""
        budget().tick()
        return super().getitem(obj, argument)


def render_bounded(template: Template, context: dict[str, Any], within: Budget | None = None) -> str:
    """Render ``template`` chunk by chunk under ``within`` (default: :data:`RENDER_SECONDS`, :data:`MAX_OUTPUT`).

    Raises :class:`RenderLimit` as soon as the render passes either bound.
    """
    current = within or Budget()
    token = _BUDGET.set(current)
    try:
        return "".join(current.write(chunk) for chunk in _chunks(template, context))
    finally:
        _BUDGET.reset(token)


def _chunks(template: Template, context: dict[str, Any]) -> Iterable[str]:
    return template.generate(context)


__all__ = ["BoundedSandbox", "Budget", "RenderLimit", "render_bounded"]
