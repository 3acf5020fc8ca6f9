"""``check_in``: recurring check-ins between roles, with a reminder and an escalation for each occurrence.

Each occurrence opens check-ins for the respondents and prompts them; the next
prompt closes the previous occurrence (what is unanswered is missed). A
reminder or escalation decides at fire time from the check-in's rows
(``facts``): an answered or closed check-in gets nothing more. An escalation
still goes out when the run has moved on or finished meanwhile.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..effects import MarkCheckInMissed, OpenCheckIn, handles
from ..state import InstanceState, Participant
from ..stepwords import Labels, people
from ..timeline import Entry
from . import StepKind, register

if TYPE_CHECKING:
    from ..definition import Definition
    from ..machine import CheckInFacts, Happened, Run

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["between", "every", "times"],
    "x-expected": "a mapping with between, every, times and optionally remind_after, escalate_to, escalate_after,"
    " template",
    "properties": {
        "between": {"$ref": "#/$defs/roles"},
        "every": {"$ref": "#/$defs/duration"},
        "times": {"type": "integer", "minimum": 1, "maximum": 104, "x-expected": "a whole number from 1 to 104"},
        "remind_after": {"$ref": "#/$defs/duration"},
        "escalate_to": {"$ref": "#/$defs/role"},
        "escalate_after": {"$ref": "#/$defs/duration"},
        "template": {"$ref": "#/$defs/template"},
    },
}


def enter(run: Run, options: dict[str, Any]) -> None:
    """The first prompt, one cadence from now."""
    schedule_prompt(run, 1, run.now)


def schedule_prompt(run: Run, sequence: int, previous: datetime) -> None:
    """The timer of prompt ``sequence`` (or, after the last, of the step's end)."""
    every = run.step.duration("every")
    due = run.calendar().add(previous, every)
    if every.delta >= timedelta(days=1):
        due = run.calendar().morning_of(due)  # daily or slower cadences: at the start of the working day
    if sequence > run.step.options["times"]:
        run.wake("end", "end", due)
    else:
        run.wake(f"prompt.{sequence}", f"prompt:{sequence}", due)


def respondents(run: Run) -> list[Participant]:
    """The people the check-in is between (roles not yet filled left out)."""
    people = (run.state.participant(role) for role in run.step.options["between"])
    return [person for person in people if person is not None]


def unanswered(run: Run, sequence: int, facts: CheckInFacts | None = None) -> list[Participant]:
    """The respondents who have not answered occurrence ``sequence`` (by the run's state and the rows' facts)."""
    done = set(run.state.answered.get(str(sequence), [])) | (facts.answered if facts else set())
    return [person for person in respondents(run) if person.id not in done]


def close_occurrence(run: Run, sequence: int) -> None:
    """Occurrence ``sequence`` is over: whoever did not answer missed it."""
    missing = unanswered(run, sequence)
    if missing:
        run.effects.append(MarkCheckInMissed(run.key(f"missed.{sequence}"), sequence, tuple(p.id for p in missing)))


def on_timer(run: Run, purpose: str, base: str, facts: CheckInFacts | None) -> None:
    """A prompt, a reminder, an escalation or the step's end came due."""
    kind, _, number = purpose.partition(":")
    options = run.step.options
    if kind == "end":
        close_occurrence(run, options["times"])
        run.enter(run.next_index())
        return
    sequence = int(number)
    if kind == "prompt":
        if sequence > 1:
            close_occurrence(run, sequence - 1)
        prompts, run.state.discuss = tuple(run.state.discuss), []
        ids = tuple(person.id for person in respondents(run))
        run.effects.append(OpenCheckIn(run.key(f"checkin.{sequence}"), sequence, ids, run.now, prompts))
        run.notify(
            options["between"],
            options.get("template", "checkin/prompt"),
            f"prompt.{sequence}",
            sequence=sequence,
            prompts=list(prompts),
        )
        if "remind_after" in options:
            run.wake(
                f"remind.{sequence}",
                f"remind:{sequence}",
                run.calendar().add(run.now, run.step.duration("remind_after")),
            )
        if "escalate_after" in options:
            run.wake(
                f"escalate.{sequence}",
                f"escalate:{sequence}",
                run.calendar().add(run.now, run.step.duration("escalate_after")),
            )
            run.state.escalations[run.key(f"escalate.{sequence}")] = {"step": run.state.step, "sequence": sequence}
        schedule_prompt(run, sequence + 1, run.now)
    elif kind == "remind":
        waiting = [
            person
            for person in unanswered(run, sequence, facts)
            if facts is None or person.id in facts.open  # a missed (closed) check-in is not reminded of
        ]
        roles = [role for role in options["between"] if run.state.participant(role) in waiting]
        if roles:
            run.notify(roles, "checkin/reminder", f"remind.{sequence}", sequence=sequence)
        else:
            run.note(f"no reminder: check-in {sequence} is answered or closed for everyone")
    elif kind == "escalate":
        run.state.escalations.pop(base, None)
        escalate(run, options, base, sequence, facts)


def escalate(run: Run, options: dict[str, Any], base: str, sequence: int, facts: CheckInFacts | None) -> None:
    """Tell ``escalate_to`` that nobody answered check-in ``sequence`` (keyed by the timer, wherever the run is)."""
    if len(unanswered(run, sequence, facts)) == len(respondents(run)):
        run.notify([options.get("escalate_to", "hr")], "checkin/escalation", "", base=base, sequence=sequence)
    else:
        run.note(f"no escalation: check-in {sequence} was answered")


def late_escalation(run: Run, base: str, facts: CheckInFacts | None) -> bool:
    """An escalation whose step the run has left (or finished): it still goes out for a missed check-in."""
    pending = run.state.escalations.pop(base, None)
    if pending is None:
        return False
    steps = run.definition.steps
    step = steps[pending["step"]] if pending["step"] < len(steps) else None
    if step is None or step.kind != "check_in":
        run.note(f"no escalation: step {pending['step']} is no longer a check-in")
        return True
    people = [p for p in (run.state.participant(r) for r in step.options["between"]) if p is not None]
    done = set(run.state.answered.get(str(pending["sequence"]), [])) | (facts.answered if facts else set())
    if any(person.id in done for person in people):
        run.note(f"no escalation: check-in {pending['sequence']} was answered")
    else:
        run.notify(
            [step.options.get("escalate_to", "hr")],
            "checkin/escalation",
            "",
            base=base,
            sequence=pending["sequence"],
        )
    return True


def on_event(run: Run, signal: Happened) -> bool:
    """``checkin.completed``: the answer (and its rating, for a later branch) joins the run's state."""
    if signal.type != "checkin.completed":
        return False
    payload = signal.payload
    done = run.state.answered.setdefault(str(payload["sequence"]), [])
    if payload["person_id"] not in done:
        done.append(payload["person_id"])
    if payload.get("rating") is not None:
        run.state.answers["rating"] = payload["rating"]
    return True


# ---- the simulator's side of its effects ----------------------------------------------------------


def react_open(world: Any, effect: OpenCheckIn) -> None:
    """The simulated check-ins open; unless the run is quiet, every respondent answers at once (rating 4)."""
    world.checkins.mark(effect.key, effect.sequence, effect.respondent_ids, "open" if world.quiet else "completed")
    if not world.quiet:
        for person_id in effect.respondent_ids:
            world.answer(
                world.now, "checkin.completed", {"sequence": effect.sequence, "person_id": person_id, "rating": 4}
            )


def react_missed(world: Any, effect: MarkCheckInMissed) -> None:
    """The simulated check-ins close unanswered."""
    world.checkins.mark(effect.key, effect.sequence, effect.respondent_ids, "missed")


def describe_open(effect: OpenCheckIn, state: InstanceState, at: datetime, subject: Participant) -> list[Entry]:
    """``check-in 1 opens for Ada, Wen``."""
    names = {data["id"]: data["name"] for data in state.roles.values()}
    people = ", ".join(names.get(i, str(i)) for i in effect.respondent_ids)
    return [Entry(at, subject.timezone, f"check-in {effect.sequence} opens for {people}")]


def describe_missed(effect: MarkCheckInMissed, state: InstanceState, at: datetime, subject: Participant) -> list[Entry]:
    """``check-in 1 missed``."""
    return [Entry(at, subject.timezone, f"check-in {effect.sequence} missed")]


def sentence(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    """``Opens a check-in for newcomer and buddy every 1 week, 6 times.`` and its reminder, escalation, prompt."""
    times = options["times"]
    text = (
        f"Opens a check-in for {people(options['between'], labels)} every {options['every']}, "
        f"{times} time{'s' if times != 1 else ''}."
    )
    if "remind_after" in options:
        text += f" Sends a reminder when nobody answered after {options['remind_after']}."
    if "escalate_to" in options:
        after = f" after {options['escalate_after']}" if "escalate_after" in options else ""
        text += f" Tells {labels.role(options['escalate_to'])} when a check-in is still unanswered{after}."
    if "template" in options:
        text += f" The prompt is the message “{labels.template(options['template'])}”."
    return text


KIND = register(
    StepKind(
        "check_in",
        SCHEMA,
        enter,
        on_timer=on_timer,
        on_event=on_event,
        on_late_timer=late_escalation,
        describe=lambda options: f"check-in between {' and '.join(options['between'])}",
        sentence=sentence,
    )
)
handles(OpenCheckIn, react=react_open, describe=describe_open)
handles(MarkCheckInMissed, react=react_missed, describe=describe_missed)
