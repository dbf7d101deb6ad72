"""The page chrome (school name, menu) when no Wagtail site answers to the host name and none is the default."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import Site

from themes.models import BrandingSettings

pytestmark = pytest.mark.django_db

CHROME = Template("{% load themes_tags %}[{% school_name %}]{% site_menu as items %}{{ items|length }}")


def render_for(host: str) -> str:
    request = RequestFactory().get("/", HTTP_HOST=host)
    return CHROME.render(Context({"request": request}))


def test_the_school_name_comes_from_the_branding_of_the_site_that_answers():
    site = Site.objects.get(is_default_site=True)
    BrandingSettings.objects.update_or_create(site=site, defaults={"school_name": "Horgos Business School"})
    assert render_for("localhost") == "[Horgos Business School]1"


def test_a_host_no_site_answers_gets_pages_without_the_name_instead_of_an_error(settings):
    settings.ALLOWED_HOSTS = ["kesai.example.edu"]
    Site.objects.update(is_default_site=False)
    assert render_for("kesai.example.edu") == "[]0"
