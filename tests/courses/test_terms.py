"""Academic terms: autumn from August to January, spring from February to July."""

from datetime import date

import pytest

from courses.terms import Term, term_from_key, term_of, terms_between


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2025, 8, 1), "2025a"),  # autumn starts on 1 August
        (date(2025, 12, 31), "2025a"),
        (date(2026, 1, 31), "2025a"),  # January still belongs to the autumn term
        (date(2026, 2, 1), "2025s"),  # the spring of the same academic year
        (date(2026, 7, 31), "2025s"),
        (date(2026, 8, 1), "2026a"),
    ],
)
def test_term_of_a_day(day, key):
    assert term_of(day).key == key


def test_a_terms_first_and_last_day():
    autumn, spring = Term(2025, True), Term(2025, False)
    assert (autumn.starts_on, autumn.ends_on) == (date(2025, 8, 1), date(2026, 1, 31))
    assert (spring.starts_on, spring.ends_on) == (date(2026, 2, 1), date(2026, 7, 31))
    assert autumn.next() == spring and spring.next() == Term(2026, True)


def test_terms_are_labelled_like_course_pages():
    assert Term(2025, True).label == "2025–2026 autumn"
    assert Term(2025, False).label == "2025–2026 spring"


def test_terms_between_two_days_oldest_first():
    assert [t.key for t in terms_between(date(2025, 9, 1), date(2026, 11, 30))] == ["2025a", "2025s", "2026a"]


@pytest.mark.parametrize("key", ["2025x", "abcda", "2025", "", "20255a"])
def test_a_malformed_key_is_no_term(key):
    assert term_from_key(key) is None


def test_a_key_round_trips():
    assert term_from_key(Term(2024, False).key) == Term(2024, False)
