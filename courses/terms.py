"""Academic terms, for comparing a class's attainment between them.

Kesai's programmes run two terms a year: the autumn term from August to January and the spring term from
February to July (the summer's practice placements count with spring). A term is named like course pages name
theirs, "2025–2026 autumn". Attainment "at the end of a term" counts the work done up to its last day.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

AUTUMN_STARTS = 8  # August
SPRING_STARTS = 2  # February


@dataclass(frozen=True)
class Term:
    first_year: int  # the academic year 2025–2026 has first_year 2025
    autumn: bool

    @property
    def starts_on(self) -> date:
        return date(self.first_year, AUTUMN_STARTS, 1) if self.autumn else date(self.first_year + 1, SPRING_STARTS, 1)

    @property
    def ends_on(self) -> date:
        following = self.next()
        return date.fromordinal(following.starts_on.toordinal() - 1)

    @property
    def key(self) -> str:
        """Stable, for URLs: "2025a" or "2025s"."""
        return f"{self.first_year}{'a' if self.autumn else 's'}"

    @property
    def label(self) -> str:
        years = f"{self.first_year}–{self.first_year + 1}"
        return _("%(years)s autumn") % {"years": years} if self.autumn else _("%(years)s spring") % {"years": years}

    def next(self) -> "Term":
        return Term(self.first_year, False) if self.autumn else Term(self.first_year + 1, True)

    def __str__(self) -> str:
        return self.label


def term_of(day: date) -> Term:
    if day.month >= AUTUMN_STARTS:
        return Term(day.year, True)
    if day.month >= SPRING_STARTS:
        return Term(day.year - 1, False)
    return Term(day.year - 1, True)


def terms_between(first_day: date, last_day: date) -> list[Term]:
    """Every term that overlaps the two days, oldest first."""
    terms, term = [], term_of(first_day)
    while term.starts_on <= last_day:
        terms.append(term)
        term = term.next()
    return terms


def term_from_key(key: str) -> Term | None:
    if len(key) != 5 or not key[:4].isdigit() or key[4] not in "as":
        return None
    return Term(int(key[:4]), key[4] == "a")
