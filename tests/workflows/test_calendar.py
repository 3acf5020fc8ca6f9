"""Prompts land in working hours, in the person's own time zone, skipping weekends and holidays."""

from datetime import UTC, datetime, time

from tandem.workflows.calendar import WorkCalendar
from tandem.workflows.durations import parse_duration

BERLIN = WorkCalendar("Europe/Berlin", "DE")
SINGAPORE = WorkCalendar("Asia/Singapore", "SG")
NEW_YORK = WorkCalendar("America/New_York", "US")


def test_business_days_skip_the_weekend():
    friday = datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert BERLIN.add(friday, parse_duration("1 business day")).date().isoformat() == "2026-11-23"


def test_business_days_skip_the_countrys_public_holidays():
    christmas_eve = datetime(2026, 12, 24, 10, tzinfo=UTC)
    # 25 Dec (Fri) and 26 Dec (Sat) are German holidays / weekend: the next working day is Mon 28 Dec.
    assert BERLIN.add(christmas_eve, parse_duration("1 business day")).date().isoformat() == "2026-12-28"


def test_calendar_days_do_not_skip_anything():
    friday = datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert BERLIN.add(friday, parse_duration("1 day")) == datetime(2026, 11, 21, 10, tzinfo=UTC)


def test_an_evening_moment_moves_to_the_next_working_morning_in_the_persons_zone():
    saturday_evening_berlin = datetime(2026, 11, 21, 19, tzinfo=UTC)
    placed = BERLIN.next_working_moment(saturday_evening_berlin)
    assert placed == datetime(2026, 11, 23, 8, tzinfo=UTC)  # Monday 09:00 in Berlin (UTC+1)


def test_a_moment_inside_working_hours_stays_where_it_is():
    tuesday_noon = datetime(2026, 11, 24, 11, tzinfo=UTC)
    assert BERLIN.next_working_moment(tuesday_noon) == tuesday_noon


def test_the_same_instant_is_placed_differently_for_people_in_different_zones():
    monday_0930_utc = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert BERLIN.next_working_moment(monday_0930_utc) == monday_0930_utc  # 10:30 in Berlin
    # 17:30 in Singapore, after hours: Tuesday 09:00 there.
    assert SINGAPORE.next_working_moment(monday_0930_utc) == datetime(2026, 11, 24, 1, tzinfo=UTC)


def test_the_next_monday_at_nine_is_found_in_the_persons_own_zone():
    wednesday = datetime(2026, 11, 18, 12, tzinfo=UTC)
    assert BERLIN.next_weekday_at(wednesday, 0, time(9, 0)) == datetime(2026, 11, 23, 8, tzinfo=UTC)
    assert NEW_YORK.next_weekday_at(wednesday, 0, time(9, 0)) == datetime(2026, 11, 23, 14, tzinfo=UTC)


def test_a_monday_before_nine_waits_until_nine_that_day_and_at_nine_for_the_next_week():
    early = datetime(2026, 11, 23, 7, tzinfo=UTC)  # 08:00 in Berlin
    assert BERLIN.next_weekday_at(early, 0, time(9, 0)) == datetime(2026, 11, 23, 8, tzinfo=UTC)
    nine = datetime(2026, 11, 23, 8, tzinfo=UTC)
    assert BERLIN.next_weekday_at(nine, 0, time(9, 0)) == datetime(2026, 11, 30, 8, tzinfo=UTC)


def test_the_next_monday_at_nine_stays_at_nine_local_across_a_dst_change():
    # Berlin leaves summer time on Sunday 25 October 2026: 09:00 is 07:00 UTC before, 08:00 UTC after.
    before = datetime(2026, 10, 20, 12, tzinfo=UTC)
    assert BERLIN.next_weekday_at(before, 0, time(9, 0)) == datetime(2026, 10, 26, 8, tzinfo=UTC)
    assert BERLIN.next_weekday_at(datetime(2026, 10, 14, 12, tzinfo=UTC), 0, time(9, 0)) == datetime(
        2026, 10, 19, 7, tzinfo=UTC
    )
