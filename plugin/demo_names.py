"""The demo organisation's names: many scripts and naming customs, as in a real international company.

Each culture lists given names and family names as ``(as written, in Latin letters)``;
the Latin form builds the (ASCII) e-mail address. ``family_first`` cultures write
the family name first, Chinese and Korean without a space; a culture without family
names gives one-word names. Apostrophes, hyphens and accents are kept as written.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

Name = tuple[str, str]  # (as written, in Latin letters)


@dataclass(frozen=True)
class Culture:
    """How names are written in one language or region."""

    given: tuple[Name, ...]
    family: tuple[Name, ...] = ()
    family_first: bool = False
    separator: str = " "


def _latin(*names: str) -> tuple[Name, ...]:
    return tuple((name, name) for name in names)


CULTURES = (
    Culture(  # English, Irish, West African: apostrophes and hyphens
        _latin("Ada", "Ben", "Grace", "Kemi", "Amara", "Mary-Kate", "Tara", "Zoe", "Liam", "Nnamdi"),
        _latin("O'Neill", "Okafor", "Walker", "Murphy", "Adeyemi", "Mensah", "D'Arcy", "Smith-Jones", "N'Diaye"),
    ),
    Culture(  # French, Spanish, Portuguese, German, Turkish, Polish: accented Latin
        _latin("Chloé", "João", "Carmen", "François", "Inês", "Jürgen", "Zoë", "Çağla", "Łukasz", "José María"),
        _latin(
            "García",
            "Costa",
            "Müller",
            "Dubois",
            "Gonçalves",
            "Yılmaz",
            "Wójcik",
            "Núñez",
            "Lefèvre",
            "de la Fuente y Montenegro-Villalobos",
        ),
    ),
    Culture(  # Nordic
        _latin("Søren", "Åsa", "Björn", "Ingrid", "Eiríkur", "Sigrún", "Lars", "Märta"),
        _latin("Ødegård", "Lindqvist", "Bjørnstad", "Andersen", "Þórsdóttir", "Håkansson", "Larsen"),
    ),
    Culture(  # Greek
        (("Νίκος", "Nikos"), ("Ελένη", "Eleni"), ("Γιώργος", "Giorgos"), ("Σοφία", "Sofia")),
        (("Παπαδόπουλος", "Papadopoulos"), ("Οικονόμου", "Oikonomou"), ("Δημητρίου", "Dimitriou")),
    ),
    Culture(  # Russian, Ukrainian, Bulgarian
        (("Ольга", "Olga"), ("Дмитрий", "Dmitri"), ("Анна", "Anna"), ("Юрій", "Yurii"), ("Елена", "Elena")),
        (("Шевченко", "Shevchenko"), ("Бондаренко", "Bondarenko"), ("Ковальчук", "Kovalchuk"), ("Мельник", "Melnyk")),
    ),
    Culture(  # Arabic
        (("فاطمة", "Fatima"), ("عمر", "Omar"), ("ليلى", "Layla"), ("يوسف", "Yusuf"), ("حمزة", "Hamza")),
        (("الحداد", "Alhaddad"), ("إبراهيم", "Ibrahim"), ("النجار", "Alnajjar"), ("الخطيب", "Alkhatib")),
    ),
    Culture(  # Hebrew
        (("נועה", "Noa"), ("איתי", "Itai"), ("מיכל", "Michal"), ("יונתן", "Yonatan")),
        (("כהן", "Cohen"), ("לוי", "Levi"), ("מזרחי", "Mizrahi"), ("פרץ", "Peretz")),
    ),
    Culture(  # Hindi, Marathi (Devanagari)
        (("अनन्या", "Ananya"), ("निखिल", "Nikhil"), ("प्रिया", "Priya"), ("राहुल", "Rahul"), ("स्नेहा", "Sneha")),
        (("शर्मा", "Sharma"), ("पटेल", "Patel"), ("देशमुख", "Deshmukh"), ("कौर", "Kaur")),
    ),
    Culture(  # Chinese: family name first, no space
        (("芳", "Fang"), ("伟", "Wei"), ("秀英", "Xiuying"), ("静", "Jing"), ("晨", "Chen")),
        (("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("陈", "Chen"), ("欧阳", "Ouyang")),
        family_first=True,
        separator="",
    ),
    Culture(  # Japanese: family name first
        (("健", "Ken"), ("陽菜", "Hina"), ("蓮", "Ren"), ("さくら", "Sakura")),
        (("佐藤", "Sato"), ("田中", "Tanaka"), ("高橋", "Takahashi"), ("渡辺", "Watanabe")),
        family_first=True,
    ),
    Culture(  # Korean: family name first, no space
        (("민준", "Minjun"), ("서연", "Seoyeon"), ("지호", "Jiho"), ("하은", "Haeun")),
        (("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi")),
        family_first=True,
        separator="",
    ),
    Culture(  # Javanese and others: one name only
        _latin("Suharti", "Wiranto", "Sukarni", "Budiono"),
    ),
)


def draw_name(rng: random.Random) -> tuple[str, str]:
    """A full name as written and its Latin-letter form, drawn from one culture."""
    culture = rng.choice(CULTURES)
    given = rng.choice(culture.given)
    if not culture.family:
        return given
    family = rng.choice(culture.family)
    first, second = (family, given) if culture.family_first else (given, family)
    return first[0] + culture.separator + second[0], f"{first[1]} {second[1]}"


def address_part(latin: str) -> str:
    """An ASCII e-mail local part from a Latin-letter name: ``Søren Ødegård`` → ``soren.odegard``."""
    folded = unicodedata.normalize("NFKD", latin.translate(FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", ".", ascii_only.replace("'", "")).strip(".")


# Letters NFKD does not split into a base letter and an accent.
FOLD = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L", "ı": "i", "Þ": "Th", "þ": "th", "ð": "d"}
)
