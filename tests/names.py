"""People in many scripts and languages, for tests that carry names end to end.

Each person has a name, a title and a department in their own script, and an
e-mail address. Most addresses are ASCII (as most organisations' are); some
have an internationalised domain (IDNA, any server takes them once encoded),
and one has a non-ASCII local part (only a server offering SMTPUTF8 takes it).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class Named:
    """One person of the fixture."""

    employee_id: str
    name: str
    email: str
    title: str
    department: str
    country: str
    timezone: str
    languages: str = "en"


LONG_NAME = "Maria da Conceição Aparecida dos Santos Oliveira Pereira de Albuquerque e Vasconcelos Bragança"

PEOPLE = (
    Named("I01", "Chloé Costa", "chloe.costa@example.org", "Ingénieure logicielle", "Ingénierie", "FR", "Europe/Paris"),
    Named("I02", "João Murphy", "joao.murphy@example.org", "Engenheiro de dados", "Engenharia", "PT", "Europe/Lisbon"),
    Named("I03", "Carmen García", "carmen.garcia@exämple.de", "Jefa de ventas", "Ventas", "ES", "Europe/Madrid"),
    Named("I04", "Søren Åberg", "soren.aberg@example.org", "Økonomichef", "Økonomi", "DK", "Europe/Copenhagen"),
    Named("I05", "Νίκος Παπαδόπουλος", "nikos@example.org", "Μηχανικός", "Μηχανική", "GR", "Europe/Athens"),
    Named("I06", "Анна Иванова", "anna.ivanova@example.org", "Аналитик", "Аналитика", "BG", "Europe/Sofia"),
    Named("I07", "فاطمة الزهراء", "fatima@example.org", "مديرة المنتج", "المنتجات", "AE", "Asia/Dubai", "ar;en"),
    Named("I08", "דוד כהן", "david.cohen@example.org", "מהנדס תוכנה", "הנדסה", "IL", "Asia/Jerusalem", "he;en"),
    Named("I09", "प्रिया शर्मा", "priya@example.org", "डेटा वैज्ञानिक", "विज्ञान", "IN", "Asia/Kolkata", "hi;en"),
    Named("I10", "王芳", "wang.fang@例子.中国", "产品经理", "产品部", "SG", "Asia/Singapore", "zh;en"),
    Named("I11", "佐藤花子", "hanako.sato@example.org", "デザイナー", "デザイン部", "JP", "Asia/Tokyo", "ja;en"),
    Named("I12", "김민준", "minjun.kim@example.org", "개발자", "개발팀", "KR", "Asia/Seoul", "ko;en"),
    Named("I13", "Siobhán O'Brien", "siobhan.obrien@example.org", "Head of People", "People", "IE", "Europe/Dublin"),
    Named("I14", "Anne-Marie Lefèvre-Dubois", "am.lefevre@example.org", "Avocate", "Droit", "BE", "Europe/Brussels"),
    Named("I15", "Madonna", "madonna@example.org", "Recruiter", "People", "US", "America/New_York"),
    Named("I16", LONG_NAME, "maria.braganca@example.org", "Coordenadora", "Operações", "BR", "America/Sao_Paulo"),
)

# Only a server offering SMTPUTF8 can deliver to this one; import accepts it.
UTF8_LOCAL = Named("I17", "Zoë Ünal", "zoë.ünal@exämple.de", "Mühendis", "Mühendislik", "TR", "Europe/Istanbul")

# No server can take these: import refuses them, naming row and column.
UNDELIVERABLE = (
    "chloé costa@example.org",  # a space
    "anna@-example.org",  # a hyphen at the start of a label
    "joão@@example.org",  # two @-signs
    "x" * 65 + "@example.org",  # a local part over 64 octets
    "user@exa mple.de",  # a space in the domain
    "ada@example",  # no dot in the domain
)

HEADER = (
    "employee_id",
    "name",
    "email",
    "title",
    "department",
    "country",
    "timezone",
    "languages",
    "hire_date",
    "manager_id",
)


def as_csv(people: tuple[Named, ...] = PEOPLE, hire_date: str = "2019-05-01", managers: dict | None = None) -> str:
    """The people as a directory CSV (``tandem import-people``), written by :mod:`csv` (quotes where needed).

    ``managers`` maps an employee id to their manager's.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for person in people:
        writer.writerow(
            [
                person.employee_id,
                person.name,
                person.email,
                person.title,
                person.department,
                person.country,
                person.timezone,
                person.languages,
                hire_date,
                (managers or {}).get(person.employee_id, ""),
            ]
        )
    return out.getvalue()
