"""Page helpers shared by the demo builders."""

from django.contrib.auth.models import AbstractBaseUser
from wagtail.models import Page

from lms.services import grant_course_section


def publish(page: Page, *, editor: AbstractBaseUser) -> Page:
    """Publish the page's current state as a new revision and return it fresh from the database."""
    page.save_revision(user=editor).publish(user=editor)
    return type(page).objects.get(pk=page.pk)


def ensure_teacher_section(*, home: Page, model: type[Page], slug: str, editor: AbstractBaseUser, **fields) -> Page:
    """A published section (index page) under home that teachers may edit; created once, never overwritten."""
    index = model.objects.child_of(home).filter(slug=slug).first()
    if index is None:
        index = model(slug=slug, show_in_menus=True, live=False, owner=editor, **fields)
        home.add_child(instance=index)
        index = publish(index, editor=editor)
    grant_course_section(section=index)
    return index
