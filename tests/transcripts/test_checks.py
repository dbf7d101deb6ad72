"""System checks that fail loudly when the machine cannot render transcripts well."""

from django.core import checks
from django.core.checks import Error, Warning

from portfolios import checks as transcript_checks


class OldHarfBuzz:
    @staticmethod
    def hb_version_atleast(major: int, minor: int, micro: int) -> bool:
        return False


def test_this_machine_passes_both_checks():
    assert transcript_checks.check_harfbuzz_subsetting() == []
    assert transcript_checks.check_chinese_font() == []


def test_both_checks_run_with_djangos_checks():
    registered = checks.registry.registry.get_checks()
    assert transcript_checks.check_harfbuzz_subsetting in registered
    assert transcript_checks.check_chinese_font in registered


def test_missing_harfbuzz_subset_is_an_error_in_production(monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.setattr("weasyprint.text.ffi.harfbuzz_subset", None)
    (message,) = transcript_checks.check_harfbuzz_subsetting()
    assert isinstance(message, Error)
    assert message.id == "portfolios.E001"
    assert "libharfbuzz-subset0" in message.hint


def test_missing_harfbuzz_subset_is_a_warning_in_development(monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setattr("weasyprint.text.ffi.harfbuzz_subset", None)
    (message,) = transcript_checks.check_harfbuzz_subsetting()
    assert isinstance(message, Warning)
    assert message.id == "portfolios.W001"


def test_harfbuzz_older_than_4_1_counts_as_missing(monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.setattr("weasyprint.text.ffi.harfbuzz", OldHarfBuzz)
    (message,) = transcript_checks.check_harfbuzz_subsetting()
    assert message.id == "portfolios.E001"


def test_weasyprint_that_cannot_load_is_an_error(monkeypatch, settings):
    settings.DEBUG = False

    def cannot_load():
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(transcript_checks, "harfbuzz_subsetting_available", cannot_load)
    (message,) = transcript_checks.check_harfbuzz_subsetting()
    assert message.id == "portfolios.E001"
    assert "libpango-1.0-0" in message.msg


def test_no_chinese_font_is_an_error_in_production(monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.setattr(transcript_checks, "font_families_for_language", lambda language: [])
    (message,) = transcript_checks.check_chinese_font()
    assert isinstance(message, Error)
    assert message.id == "portfolios.E002"
    assert "fonts-noto-cjk" in message.hint


def test_no_chinese_font_is_a_warning_in_development(monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setattr(transcript_checks, "font_families_for_language", lambda language: [])
    (message,) = transcript_checks.check_chinese_font()
    assert isinstance(message, Warning)
    assert message.id == "portfolios.W002"


def test_fontconfig_that_cannot_load_counts_as_no_chinese_font(monkeypatch, settings):
    settings.DEBUG = False

    def cannot_load(language):
        raise OSError("cannot load library 'libfontconfig.so.1'")

    monkeypatch.setattr(transcript_checks, "font_families_for_language", cannot_load)
    (message,) = transcript_checks.check_chinese_font()
    assert message.id == "portfolios.E002"
    assert "libfontconfig.so.1" in message.msg


def test_another_chinese_font_is_only_a_warning(monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.setattr(transcript_checks, "font_families_for_language", lambda language: ["WenQuanYi Zen Hei"])
    (message,) = transcript_checks.check_chinese_font()
    assert isinstance(message, Warning)
    assert message.id == "portfolios.W003"


def test_fontconfig_lists_the_transcript_font_for_chinese():
    assert "Noto Sans CJK SC" in transcript_checks.font_families_for_language("zh-cn")


def test_fontconfig_lists_fonts_by_the_languages_they_cover():
    # The query is per language, not "every font": fontconfig always has a Latin/Cyrillic font without Chinese
    # (Debian's fontconfig depends on DejaVu or one of its alternatives), which only the Russian list names.
    chinese = set(transcript_checks.font_families_for_language("zh-cn"))
    russian = set(transcript_checks.font_families_for_language("ru"))
    assert "Noto Sans CJK SC" in chinese & russian  # Noto CJK covers Cyrillic too
    assert russian - chinese
