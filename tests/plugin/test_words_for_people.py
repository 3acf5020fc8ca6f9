"""Words for people: every page each role can reach shows no database error, repr, key, id-like token or raw time.

The demo organisation is seeded, then each demo login crawls its menu and the
links on the pages it reaches (same-origin GETs through the test client,
bounded by a page budget and two pages per URL shape). What people read — the
text of the page, outside the source code HR edits in ``<textarea>``,
``<pre>`` and ``<code>`` — must not contain any of the patterns below.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from organisation import login

from tandem.plugin.demo import seed_demo
from tandem.plugin.models import EVENT_TYPES
from tandem.workflows.templating import shipped_names

PASSWORD = "demo-password"
ROLES = ("admin", "hr", "manager", "staff")
PAGE_BUDGET = 160  # per role
PER_SHAPE = 2  # pages per URL shape (/mentoring/people/show/N): one is an accident, two a pattern
# Tandem's own pages; FAB's security screens (users, roles, statistics) are the host's.
OURS = re.compile(r"^/($|\?|mentoring/|tandem/)")
# Links that change something, leave the site, download a file or sign out.
SKIP = re.compile(r"/logout|/lang/|/delete|/action|/answer/|/api/|/static/|/swagger|download|export|_csv|\.csv")

PATTERNS = {
    "a database error": re.compile(r"IntegrityError|OperationalError|\[SQL:|Traceback|sqlite3\.|psycopg"),
    "a Python dict or list": re.compile(r"\{'|\['|\{\"|\[\""),
    "a Python object": re.compile(r"<tandem\.|datetime\.|Decimal\("),
    "a raw timestamp": re.compile(r"\d{2}:\d{2}:\d{2}\.\d+|\d{2}:\d{2}(:\d{2})?\+00:00|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"),
    "an idempotency key": re.compile(r"\bwf:\d+:|\bdigest:\d+:|\bdemo:[a-z]+:\d+|\bv\d+\.[a-z_-]+\.\w+"),
    "a template id as a title": re.compile("|".join(re.escape(name) for name in shipped_names() if "/" in name)),
    "an engine event name": re.compile(
        "|".join(re.escape(name) for name in [*EVENT_TYPES, "match.found", "match.failed"]) + r"|\boccurrence \d"
    ),
}
EXEMPT = re.compile(r"<(script|style|textarea|pre|code)\b.*?</\1>", re.S | re.I)


def visible_text(page: str) -> list[str]:
    """The text nodes of ``page`` a person reads (source code blocks left out), unescaped."""
    return [html.unescape(node).strip() for node in re.split(r"<[^>]+>", EXEMPT.sub(" ", page)) if node.strip()]


def problems_in(page: str) -> list[str]:
    """What a person should never read on ``page``."""
    nodes = visible_text(page)
    text = " ".join(nodes)
    found = [
        f"{name}: …{text[max(0, m.start() - 60) : m.end() + 40]}…"
        for name, p in PATTERNS.items()
        if (m := p.search(text))
    ]
    if "None" in nodes:
        found.append("None as a value")
    return found


def shape(url: str) -> str:
    """A URL with its ids, orderings and page numbers taken out: pages of one shape show the same kind of thing."""
    parts = urlsplit(url)
    filters = sorted({re.sub(r"\d+", "N", key) for key, _ in parse_qsl(parts.query) if key.startswith("_flt_")})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(filters)


def links(page: str, base: str) -> list[str]:
    """Same-origin links of ``page`` worth following."""
    found = []
    for href in re.findall(r'href="([^"#]+)"', page):
        target = urlsplit(urljoin(f"http://localhost{base}", html.unescape(href)))
        path = target.path + (f"?{target.query}" if target.query else "")
        if target.netloc == "localhost" and OURS.match(path) and not SKIP.search(path):
            found.append(path)
    return found


def crawl(client, budget: int = PAGE_BUDGET) -> tuple[dict[str, list[str]], list[str], int]:
    """Follow links from the home page; returns the problems by URL, the server errors and the pages read."""
    queue, seen, shapes = ["/"], set(), Counter()
    problems: dict[str, list[str]] = {}
    errors: list[str] = []
    while queue and len(seen) < budget:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500 or response.status_code in (403, 404):  # a link shown must lead somewhere
            errors.append(f"{url}: {response.status_code}")
        if response.status_code in (301, 302) and url == "/":  # HR's home page is "Today"
            queue += links(f'<a href="{response.headers["Location"]}">', url)
        if response.status_code != 200 or "html" not in (response.content_type or ""):
            continue
        page = response.get_data(as_text=True)
        if found := problems_in(page):
            problems[url] = found
        for link in links(page, url):
            if link not in seen and shapes[shape(link)] < PER_SHAPE:
                shapes[shape(link)] += 1
                queue.append(link)
    return problems, errors, len(seen)


def rate_cells(page: str) -> list[str]:
    """The cells under every "… rate" heading of a report page."""
    cells = []
    for table in re.findall(r"<table.*?</table>", page, re.S):
        headings = re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table)
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
            values = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
            cells += [v for h, v in zip(headings, values, strict=False) if h.endswith("rate")]
    return cells


def report_rates(demo) -> list[str]:
    """Every rate cell of HR's programme report and the manager's report."""
    cells = []
    for role, url in (("hr", "/mentoring/reports/programmes"), ("manager", "/mentoring/reports/manager")):
        client = demo.test_client()
        login(client, role, PASSWORD)
        cells += rate_cells(client.get(url).get_data(as_text=True))
    return cells


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo(app.appbuilder, PASSWORD)
    return app


def test_no_page_any_role_reaches_shows_internals_and_rates_read_as_percentages(demo):
    report, pages = [], {}
    for role in ROLES:
        client = demo.test_client()
        login(client, role, PASSWORD)
        problems, errors, pages[role] = crawl(client)
        report += [f"{role} {error}" for error in errors]
        report += [f"{role} {url}: {problem}" for url, found in problems.items() for problem in found]
    assert min(pages.values()) >= 20, f"the crawl reached too little to prove anything: {pages}"
    assert not report, "\n".join(report)
    rates = report_rates(demo)  # in the same test: seeding the demo is the slow part
    assert rates and all(re.fullmatch(r"\d+%|fewer than \d+|—", cell) for cell in rates), rates


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        ("<td>(sqlite3.IntegrityError) UNIQUE constraint failed</td>", "a database error"),
        ("<span>{'goals_vs_skills': 0.3}</span>", "a Python dict or list"),
        ("<td>['find my feet']</td>", "a Python dict or list"),
        ("<td>2026-12-01 09:49:28.682572</td>", "a raw timestamp"),
        ("<td>2026-12-01T09:49:28+00:00</td>", "a raw timestamp"),
        ("<td>wf:37:v2.notify.newcomer:55</td>", "an idempotency key"),
        ("<strong>checkin/prompt</strong>", "a template id as a title"),
        ("<td>campaign.acknowledged</td>", "an engine event name"),
        ("<p>Your pairing, occurrence 2.</p>", "an engine event name"),
        ("<td>None</td>", "None as a value"),
    ],
)
def test_the_crawl_recognises_each_kind_of_internal(page, problem):
    assert any(found.startswith(problem) for found in problems_in(page))


def test_the_crawl_leaves_source_code_alone_and_reads_ordinary_words():
    page = "<pre>trigger: employee.hired</pre><textarea>{{ x }}</textarea><p>Nonetheless, check-in 2 is open.</p>"
    assert problems_in(page) == []
