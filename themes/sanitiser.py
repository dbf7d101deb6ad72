"""The one place user HTML becomes safe to render.

Every piece of HTML a person typed (Wagtail rich text, submissions, artefacts, comments) reaches a page or a
PDF only through :func:`sanitise_html`, whose single allow-list is below. Templates use the ``rich_text``
filter from ``themes_tags``; nothing else calls ``mark_safe`` on user text.
"""

import re

import bleach
from bleach.css_sanitizer import CSSSanitizer
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "li", "ol", "p",
        "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    css_sanitizer=CSSSanitizer(allowed_css_properties=[]),
    filters=[lambda source: bleach.linkifier.LinkifyFilter(source, callbacks=[_nofollow], skip_tags=["pre"])],
)


def _nofollow(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


#: Elements whose content is code, not text: dropped whole before cleaning, so no script text is shown.
_CODE_ELEMENTS = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def sanitise_html(html: str) -> SafeString:
    """Return ``html`` reduced to the allow-list, marked safe for templates."""
    without_code = _CODE_ELEMENTS.sub("", str(html or ""))
    return mark_safe(_cleaner.clean(without_code))  # noqa: S308 — this is the sanitiser
