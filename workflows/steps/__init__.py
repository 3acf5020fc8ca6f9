"""Step kinds, one module each, known to the definition loader and the transition function through this registry.

A step kind module (``notify.py``, ``check_in.py`` …) declares one
:class:`StepKind`: its name, its part of the JSON schema (merged into the
shipped schema's ``$defs`` under its name), its handler on entering the step,
what its own timers and events do, and its description in words (a few words and a sentence); then it
:func:`register`\\ s it. The same module registers how the simulator carries
out and words the effects it causes (:func:`tandem.workflows.effects.handles`);
the runtime registers their database side (``workflows/appliers.py``). So a new
step kind is one new module plus its tests: the definition loader, the editor's
preview, ``advance`` and the simulator all read the registry.

Handlers receive the transition in progress (``machine.Run``): they change its
state and add effects, and stay pure like ``advance`` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..definition import Definition
    from ..machine import CheckInFacts, Happened, Run
    from ..stepwords import Labels


def _move_on(run: Run, purpose: str, base: str, facts: CheckInFacts | None) -> None:
    run.enter(run.next_index())


@dataclass(frozen=True)
class StepKind:
    """One kind of step.

    - ``schema``: the JSON schema of the step's body (``$defs/<name>`` of the merged schema);
    - ``enter(run, options)``: what entering the step does; returns the index of the step to
      run at once, or ``None`` when the step waits (a timer, an event) or ended the run;
    - ``on_timer(run, purpose, base, facts)``: one of the step's own timers came due
      (default: go on to the next step);
    - ``on_event(run, signal)``: an event while the run is at this step; returns whether the
      step took it (default: it takes none);
    - ``on_late_timer(run, base, facts)``: a timer this kind left behind fires after the run
      moved on or finished; returns whether it was one of its own;
    - ``describe(options)``: the step in a few words (``check-in between newcomer and buddy``);
    - ``sentence(options, definition, labels)``: the step as a sentence for HR beside its YAML
      (``Opens a check-in for newcomer and buddy every 1 week, 6 times.``), built with the helpers
      of ``workflows/stepwords.py`` (default: its few words);
    - ``options(body)``: the step's options from its body as written (default: the mapping itself);
    - ``targets(options)``: step ids it may jump to; ``fills(options)``: roles it fills.
    """

    name: str
    schema: dict[str, Any]
    enter: Callable[[Run, dict[str, Any]], int | None]
    on_timer: Callable[[Run, str, str, CheckInFacts | None], None] = _move_on
    on_event: Callable[[Run, Happened], bool] | None = None
    on_late_timer: Callable[[Run, str, CheckInFacts | None], bool] | None = None
    describe: Callable[[dict[str, Any]], str] | None = None
    sentence: Callable[[dict[str, Any], Definition, Labels], str] | None = None
    options: Callable[[Any], dict[str, Any]] | None = None
    targets: Callable[[dict[str, Any]], list[str]] | None = None
    fills: Callable[[dict[str, Any]], set[str]] | None = None

    def words(self, options: dict[str, Any]) -> str:
        """The step in words (its name when the kind says nothing more)."""
        return self.describe(options) if self.describe else self.name

    def options_of(self, body: Any) -> dict[str, Any]:
        """The step's options from its body as written."""
        return self.options(body) if self.options else (body or {})

    def targets_of(self, options: dict[str, Any]) -> list[str]:
        """The step ids this step may jump to."""
        return self.targets(options) if self.targets else []

    def fills_of(self, options: dict[str, Any]) -> set[str]:
        """The roles this step fills."""
        return self.fills(options) if self.fills else set()


_REGISTRY: dict[str, StepKind] = {}


def register(kind: StepKind) -> StepKind:
    """Make ``kind`` known to definitions, ``advance`` and the simulator (replacing one of the same name)."""
    _REGISTRY[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Forget the step kind ``name`` (a test's toy kind)."""
    _REGISTRY.pop(name, None)


def step_kind(name: str) -> StepKind:
    """The registered step kind ``name`` (``KeyError`` when none is)."""
    return _REGISTRY[name]


def step_kinds() -> tuple[StepKind, ...]:
    """Every registered step kind, in registration order."""
    return tuple(_REGISTRY.values())


def kind_names() -> tuple[str, ...]:
    """The names of every registered step kind, in registration order."""
    return tuple(_REGISTRY)


# The built-in kinds, in the order the definition error lists them; then the effects every step can cause.
from . import notify, wait, match, check_in, wait_for, branch, goto, campaign_item, close, common  # noqa: E402, F401, I001
