"""The ``tandem`` command, run as a user runs it: a separate process on the embedded defaults."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

GOOD = """employee_id,name,email,timezone,manager_id,hire_date
E1,Ada Boss,ada@example.org,Europe/Berlin,,2015-01-05
E2,Ben Lead,ben@example.org,Europe/Berlin,E1,2019-03-01
"""
BAD = """employee_id,name,email,timezone,manager_id,hire_date
E1,Ada Boss,,Europe/Berlin,E3,2015-01-05
E2,Ben Lead,ben@example.org,Mars/Olympus,E1,2019-03-01
E3,Cleo New,cleo@example.org,Europe/Lisbon,E2,2026-10-01
"""


@pytest.fixture
def tandem(tmp_path, database_url):
    """Run ``tandem ARGS…`` in a subprocess against the test database."""
    env = {**os.environ, "TANDEM_DATA_DIR": str(tmp_path / "var"), "TANDEM_DATABASE_URL": database_url}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from tandem.plugin.cli import main; main()", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    result = run("init")
    assert result.returncode == 0, result.stderr
    return run


def test_init_says_how_to_make_a_login_and_fab_does_not_repeat_its_own_hint(tandem):
    result = tandem("init")
    assert result.returncode == 0, result.stderr
    assert "No user yet created" not in result.stdout + result.stderr
    assert "no login yet: `tandem fab create-admin`" in result.stdout


def test_init_twice_is_harmless(tandem):
    again = tandem("init")
    assert again.returncode == 0, again.stderr
    before, after = re.search(r"database: (\S+) -> (\S+)", again.stdout).groups()
    assert before == after != "empty"
    assert "new version saved" not in again.stdout


def test_import_people_reports_what_it_changed(tandem, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    first = tandem("import-people", str(path))
    assert first.returncode == 0, first.stderr
    assert "2 created, 0 updated, 0 unchanged; events: 2 employee.hired" in first.stdout
    second = tandem("import-people", str(path))
    assert "0 created, 0 updated, 2 unchanged; events: none" in second.stdout


def test_a_bad_file_exits_non_zero_names_each_error_and_writes_nothing(tandem, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    result = tandem("import-people", str(path))
    assert result.returncode != 0
    assert "bad.csv: row 2, column email: required" in result.stderr
    assert "bad.csv: row 3, column timezone: 'Mars/Olympus' is not an IANA time zone" in result.stderr
    assert "row 4, column manager_id: manager cycle: E3 → E2 → E1 → E3" in result.stderr
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    assert "2 created" in tandem("import-people", str(good)).stdout


def test_fab_commands_stay_reachable(tandem):
    result = tandem(
        "fab",
        "create-admin",
        "--username",
        "root",
        "--firstname",
        "R",
        "--lastname",
        "Oot",
        "--email",
        "root@example.org",
        "--password",
        "s3cret-enough",
    )
    assert result.returncode == 0, result.stderr
    assert "Admin User root created" in result.stdout


def test_rebuild_reports_recomputes_the_kept_report_data_and_says_how_much(tandem, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    tandem("import-people", str(path))
    result = tandem("rebuild-reports")
    assert result.returncode == 0, result.stderr
    assert "report data rebuilt: 3 reporting lines, 1 subtree sums" in result.stdout  # Ben counts under Ada


def test_names_in_every_script_import_and_an_address_no_server_can_take_is_refused_naming_row_and_column(
    tandem, tmp_path
):
    from names import PEOPLE, UNDELIVERABLE, UTF8_LOCAL, as_csv

    path = tmp_path / "people.csv"
    lines = as_csv((*PEOPLE, UTF8_LOCAL)).splitlines()
    lines.append(f"I99,Ada Lovelace,{UNDELIVERABLE[0]},Engineer,Engineering,GB,Europe/London,en,2019-05-01,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = tandem("import-people", str(path))
    assert refused.returncode == 1
    assert (
        f"people.csv: row {len(lines)}, column email: 'chloé costa@example.org' is not an e-mail address "
        "a mail server can take: The email address contains invalid characters before the @-sign: SPACE.\n"
    ) in refused.stderr
    assert refused.stderr.count("people.csv: row") == 1, "every other row in every script is fine"
    path.write_text(as_csv((*PEOPLE, UTF8_LOCAL)), encoding="utf-8")
    accepted = tandem("import-people", str(path))
    assert accepted.returncode == 0, accepted.stderr
    assert f"{len(PEOPLE) + 1} created" in accepted.stdout


def laughs() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
    return text


@pytest.mark.parametrize(
    ("command", "content", "message"),
    [
        ("workflow load", b"workflow: caf\xe9\nsteps: []\n", "not UTF-8 text"),
        ("workflow load", b"[" * 5000, "nested deeper than 50 levels"),
        ("workflow load", laughs().encode(), "aliases (*name) expand"),
        ("workflow load", b"# padding\n" * 120_000, "is more than the limit of 1,048,576"),
        ("import-people", "employee_id,name\nE1,Zoë\n".encode("latin-1"), "not UTF-8 text"),
    ],
    ids=["non-UTF-8 definition", "nested definition", "alias bomb", "too large", "non-UTF-8 directory"],
)
def test_a_bad_file_is_one_line_of_error_and_exit_1_never_a_traceback(tandem, tmp_path, command, content, message):
    path = tmp_path / "bad.file"
    path.write_bytes(content)
    result = tandem(*command.split(), str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    ours = [line for line in result.stderr.splitlines() if not line.startswith("No user yet created")]  # FAB's
    assert all(len(line) < 300 for line in ours)
    assert len(ours) <= 2, "the problem, then what was not done"
