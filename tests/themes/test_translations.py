"""Chinese is a first-class language: every msgid of the project's own catalogues has a zh-Hans translation."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("zh_Hans/LC_MESSAGES/*.po"))


def test_there_is_a_zh_hans_catalogue():
    assert CATALOGUES, "locale/zh_Hans/LC_MESSAGES/django.po is missing"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_every_message_is_translated(path):
    catalogue = polib.pofile(str(path))
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert not missing, f"untranslated in {path}: {missing[:20]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:20]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_placeholders_survive_translation(path):
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    for entry in polib.pofile(str(path)):
        if entry.translated() and not entry.msgid_plural:
            assert sorted(placeholder.findall(entry.msgid)) == sorted(placeholder.findall(entry.msgstr)), entry.msgid


@override_settings(LANGUAGE_CODE="en")
def test_compiled_catalogue_is_used_at_run_time():
    with translation.override("zh-hans"):
        assert translation.gettext("Evidence ledger") != "Evidence ledger"
