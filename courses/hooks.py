"""Extension points that let higher layers add to course pages without courses importing them.

An app registers ``@hooks.register(COURSE_PAGE_SECTIONS)`` with a function ``(course, request) -> str | None``
returning rendered HTML from its own template (competitions lists the tasks that assess the course's outcomes).
``STUDENT_WORKS`` lets portfolios link to work kept elsewhere (competition entries) without importing it.
"""

from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest
from django.utils.safestring import SafeString
from wagtail import hooks

COURSE_PAGE_SECTIONS = "kesai_course_page_sections"


def course_page_sections(*, course, request: HttpRequest) -> list[SafeString]:
    sections = (section(course=course, request=request) for section in hooks.get_hooks(COURSE_PAGE_SECTIONS))
    return [section for section in sections if section]


STUDENT_WORKS = "kesai_student_works"


@dataclass(frozen=True)
class StudentWork:
    """A piece of a student's work kept by another app (a competition entry), which a portfolio can link to.

    ``key`` is stable across calls; ``reviewer_ids`` are the people who may verify a portfolio artefact built
    on it (a team's advisor and mentor).
    """

    key: str
    title: str
    url: str
    done_on: date
    reviewer_ids: tuple[int, ...] = ()


def student_works(*, student) -> list[StudentWork]:
    """Every linkable work of ``student`` from apps that register ``@hooks.register(STUDENT_WORKS)``.

    Each hook is a function ``(student) -> Iterable[StudentWork]``.
    """
    return [work for source in hooks.get_hooks(STUDENT_WORKS) for work in source(student=student)]
