"""Template helpers for the project's own chrome (the account links in ``base.html``)."""

from dataclasses import dataclass

from django import template
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from courses.roles import EMPLOYERS, JUDGES, MENTORS, STUDENTS, TEACHERS

register = template.Library()


@dataclass(frozen=True)
class Roles:
    """The role groups one person belongs to, read once so a page can ask about every role without a query each.

    Templates ask ``roles.student`` rather than naming groups, so the names stay in :mod:`courses.roles`."""

    names: frozenset[str]

    @property
    def student(self) -> bool:
        return STUDENTS in self.names

    @property
    def employer(self) -> bool:
        return EMPLOYERS in self.names

    @property
    def teacher(self) -> bool:
        return TEACHERS in self.names

    @property
    def mentor(self) -> bool:
        return MENTORS in self.names

    @property
    def judge(self) -> bool:
        return JUDGES in self.names


@register.simple_tag
def user_roles(user: AbstractBaseUser | AnonymousUser | None) -> Roles:
    """``{% user_roles user as roles %}``: the person's roles in one query (none for anonymous visitors)."""
    if user is None or not user.is_authenticated:
        return Roles(names=frozenset())
    return Roles(names=frozenset(user.groups.values_list("name", flat=True)))
