"""Extension points that let higher layers add to course pages without courses importing them.

An app registers ``@hooks.register(COURSE_PAGE_SECTIONS)`` with a function ``(course, request) -> str | None``
returning rendered HTML from its own template (competitions lists the tasks that assess the course's outcomes).
"""

from django.http import HttpRequest
from django.utils.safestring import SafeString
from wagtail import hooks

COURSE_PAGE_SECTIONS = "kesai_course_page_sections"


def course_page_sections(*, course, request: HttpRequest) -> list[SafeString]:
    sections = (section(course=course, request=request) for section in hooks.get_hooks(COURSE_PAGE_SECTIONS))
    return [section for section in sections if section]
