"""What a transition asks the world to do. Plain data: the runtime applies it.

Every effect carries a ``key`` unique within its instance; the runtime turns
it into a database idempotency key, so applying a transition twice never
doubles an effect.

One mapping, :func:`handler_for`, says how each type of effect is carried out
— on the database by the runtime (``apply``), in the simulator's virtual world
(``react``) and in words on a preview's timeline (``describe``) — each side
registered with :func:`handles` by the module that knows it (the step kinds
for the simulator's side, ``workflows/appliers.py`` for the database's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Effect:
    """Base of all effects."""

    key: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready data, with the effect's kind."""
        data: dict[str, Any] = {"effect": type(self).__name__}
        for name in _field_names(type(self)):
            value = getattr(self, name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            data[name] = value
        return data


@cache
def _field_names(effect_type: type) -> tuple[str, ...]:
    """The fields of an effect type, in order (``dataclasses.fields`` is slow to call per effect)."""
    return tuple(item.name for item in fields(effect_type))


@dataclass(frozen=True)
class ScheduleTimer(Effect):
    """Wake the instance at ``due_at`` (a database timer, never a broker delay)."""

    due_at: datetime


@dataclass(frozen=True)
class SendNotification(Effect):
    """Write one outbox row; ``role`` is resolved by the runtime for ``hr`` and ``manager``."""

    role: str
    person_id: int | None
    template: str
    not_before: datetime
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestMatch(Effect):
    """Ask the matching service to fill ``role``; it answers with ``match.found`` or ``match.failed``."""

    role: str
    programme: str | None


@dataclass(frozen=True)
class OpenCheckIn(Effect):
    """Create check-in number ``sequence`` for each respondent, due at ``due_at``."""

    sequence: int
    respondent_ids: tuple[int, ...]
    due_at: datetime
    prompts: tuple[str, ...] = ()


@dataclass(frozen=True)
class MarkCheckInMissed(Effect):
    """Check-in ``sequence`` closed unanswered for these respondents."""

    sequence: int
    respondent_ids: tuple[int, ...]


@dataclass(frozen=True)
class ClosePairings(Effect):
    """End the instance's pairings (someone left, or the programme closed)."""

    reason: str


@dataclass(frozen=True)
class Note(Effect):
    """Nothing to do, and why (a superseded timer, an answered check-in): kept in the run's history."""

    text: str


@dataclass(frozen=True)
class EffectHandler:
    """How one type of effect is carried out; a missing side does nothing there.

    - ``apply(runtime, instance, state, effect)``: on the database, in the runtime's transaction;
      returns a signal to feed back to the instance (a match's answer) or ``None``;
    - ``react(world, effect)``: in the simulator's virtual world (``simulate.World``);
    - ``describe(effect, state, at, subject)``: the lines it adds to a preview's timeline
      (``timeline.Entry``).
    """

    apply: Callable[..., Any] | None = None
    react: Callable[..., None] | None = None
    describe: Callable[..., list[Any]] | None = None


_HANDLERS: dict[type[Effect], EffectHandler] = {}


def handles(
    effect_type: type[Effect],
    *,
    apply: Callable[..., Any] | None = None,
    react: Callable[..., None] | None = None,
    describe: Callable[..., list[Any]] | None = None,
) -> None:
    """Register one or more sides of how ``effect_type`` is carried out (the other sides stay as registered)."""
    sides = {"apply": apply, "react": react, "describe": describe}
    current = _HANDLERS.get(effect_type, EffectHandler())
    _HANDLERS[effect_type] = replace(current, **{side: f for side, f in sides.items() if f is not None})


def forget(effect_type: type[Effect]) -> None:
    """Forget how ``effect_type`` is carried out (a test's toy effect)."""
    _HANDLERS.pop(effect_type, None)


def handler_for(effect: Effect) -> EffectHandler:
    """How ``effect`` is carried out; a type nobody registered is a programming error, said as such."""
    try:
        return _HANDLERS[type(effect)]
    except KeyError:
        raise LookupError(f"no handler registered for the effect {type(effect).__name__}") from None
