"""System checks for what transcript PDFs need from the machine, so a missing package fails at start-up.

- HarfBuzz's subsetter (Debian's libharfbuzz-subset0): without it WeasyPrint subsets fonts in pure Python,
  and one page of Chinese in Noto Sans CJK takes seconds instead of a tenth of one.
- A Chinese font (Debian's fonts-noto-cjk): without one, every Chinese character prints as an empty box.

Errors when DEBUG is off (a worker would render broken or slow transcripts), warnings on a developer's machine.
Registered in ``PortfoliosConfig.ready``.
"""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

#: The family the transcript stylesheet asks for first (portfolios/static/portfolios/css/transcript.css).
TRANSCRIPT_FONT = "Noto Sans CJK SC"

_FONTCONFIG_CDEF = """
    typedef struct _FcPattern FcPattern;
    typedef struct _FcObjectSet FcObjectSet;
    typedef struct _FcConfig FcConfig;
    typedef unsigned char FcChar8;
    typedef int FcBool;
    typedef struct _FcFontSet { int nfont; int sfont; FcPattern **fonts; } FcFontSet;
    typedef enum _FcResult {
        FcResultMatch, FcResultNoMatch, FcResultTypeMismatch, FcResultNoId, FcResultOutOfMemory
    } FcResult;
    FcPattern * FcNameParse (const FcChar8 *name);
    void FcPatternDestroy (FcPattern *p);
    FcObjectSet * FcObjectSetCreate (void);
    FcBool FcObjectSetAdd (FcObjectSet *os, const char *object);
    void FcObjectSetDestroy (FcObjectSet *os);
    FcFontSet * FcFontList (FcConfig *config, FcPattern *p, FcObjectSet *os);
    void FcFontSetDestroy (FcFontSet *s);
    FcResult FcPatternGetString (const FcPattern *p, const char *object, int n, FcChar8 **s);
"""


def harfbuzz_subsetting_available() -> bool:
    """Whether WeasyPrint will subset fonts with HarfBuzz (its own test, in ``weasyprint.pdf.fonts``)."""
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))


def font_families_for_language(language: str) -> list[str]:
    """The installed font families that cover ``language`` (what ``fc-list :lang=<language> family`` lists)."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(_FONTCONFIG_CDEF)
    fontconfig = ffi.dlopen("libfontconfig.so.1")
    pattern = fontconfig.FcNameParse(f":lang={language}".encode())
    objects = fontconfig.FcObjectSetCreate()
    fontconfig.FcObjectSetAdd(objects, b"family")
    fonts = fontconfig.FcFontList(ffi.NULL, pattern, objects)
    families = set()
    try:
        value = ffi.new("FcChar8 **")
        for index in range(fonts.nfont if fonts != ffi.NULL else 0):
            if fontconfig.FcPatternGetString(fonts.fonts[index], b"family", 0, value) == 0:
                families.add(ffi.string(value[0]).decode("utf-8", "replace"))
    finally:
        if fonts != ffi.NULL:
            fontconfig.FcFontSetDestroy(fonts)
        fontconfig.FcObjectSetDestroy(objects)
        fontconfig.FcPatternDestroy(pattern)
    return sorted(families)


def _problem(message: str, *, hint: str, code: int) -> CheckMessage:
    if settings.DEBUG:
        return Warning(message, hint=hint, id=f"portfolios.W{code:03d}")
    return Error(message, hint=hint, id=f"portfolios.E{code:03d}")


def check_harfbuzz_subsetting(app_configs=None, **kwargs) -> list[CheckMessage]:
    """portfolios.E001 / W001: WeasyPrint cannot load, or would subset fonts without HarfBuzz."""
    try:
        available = harfbuzz_subsetting_available()
    except (ImportError, OSError) as error:
        return [
            _problem(
                f"WeasyPrint cannot load, so transcripts cannot be rendered: {error}",
                hint="Install WeasyPrint's system libraries (Debian: libpango-1.0-0 libpangoft2-1.0-0 "
                "libharfbuzz-subset0).",
                code=1,
            )
        ]
    if available:
        return []
    return [
        _problem(
            "WeasyPrint has no HarfBuzz subsetting (libharfbuzz-subset 4.1 or later): it would subset the "
            "Chinese fonts of every transcript in pure Python, taking seconds per page.",
            hint="Install libharfbuzz-subset0 (Debian) and restart.",
            code=1,
        )
    ]


def check_chinese_font(app_configs=None, **kwargs) -> list[CheckMessage]:
    """portfolios.E002 / W002: no installed font covers Chinese; W003: the transcript's own font is missing."""
    try:
        families = font_families_for_language("zh-cn")
    except OSError as error:
        families, reason = [], f" (fontconfig could not be loaded: {error})"
    else:
        reason = ""
    if not families:
        return [
            _problem(
                f"No installed font covers Chinese{reason}: Chinese text in transcripts would print as empty boxes.",
                hint="Install fonts-noto-cjk (Debian) and restart.",
                code=2,
            )
        ]
    if TRANSCRIPT_FONT not in families:
        return [
            Warning(
                f"The transcript font {TRANSCRIPT_FONT!r} is not installed; transcripts will use "
                f"{families[0]!r} for Chinese, and may need more space or look different.",
                hint="Install fonts-noto-cjk (Debian).",
                id="portfolios.W003",
            )
        ]
    return []
