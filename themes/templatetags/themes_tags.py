import re
from dataclasses import dataclass

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from wagtail.models import Page, Site
from wagtail.rich_text import RichText, expand_db_html

from themes.models import BrandingSettings
from themes.sanitiser import sanitise_html

register = template.Library()


@register.filter
def rich_text(value) -> SafeString:
    """Render Wagtail rich text or user HTML through the project's single sanitiser."""
    source = value.source if isinstance(value, RichText) else str(value or "")
    return sanitise_html(expand_db_html(source))


# --- Site chrome: school name, navigation and brand colours -------------------------------------------------

DEFAULT_BRAND_COLOUR = "#0b6e4f"
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_DARK_INK = "#111418"
_LIGHT_INK = "#ffffff"


@dataclass(frozen=True)
class MenuItem:
    page: Page
    is_home: bool
    aria_current: str  # "page" on the page itself, "true" on an ancestor section, "" otherwise


@register.simple_tag(takes_context=True)
def school_name(context) -> str:
    """The school's name from Settings › Branding, in Chinese for a Chinese interface when one is set."""
    request = context.get("request")
    if request is None:
        return ""
    language_code = context.get("LANGUAGE_CODE") or get_language() or ""
    try:
        branding = BrandingSettings.for_request(request)
    except BrandingSettings.DoesNotExist:  # no Wagtail site answers to this host name, and none is the default
        return ""
    return branding.localised_school_name(language_code)


@register.simple_tag(takes_context=True)
def site_menu(context) -> list[MenuItem]:
    """The site's home page and its live, public children marked "show in menus" (the course indexes)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []
    home = site.root_page
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    items = [MenuItem(home, True, "page" if current_path == home.path else "")]
    for child in home.get_children().live().public().in_menu():
        if current_path == child.path:
            state = "page"
        elif current_path.startswith(child.path):
            state = "true"
        else:
            state = ""
        items.append(MenuItem(child, False, state))
    return items


def _relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #RRGGBB colour."""
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@register.filter
def brand_colour(value) -> str:
    """The branding colour if it is a #RRGGBB value, else the default (it is emitted into a <style> block)."""
    value = str(value or "")
    return value.lower() if _HEX_COLOUR.match(value) else DEFAULT_BRAND_COLOUR


@register.filter
def ink_on(value) -> str:
    """Near-black or white, whichever reads better as text on the colour ``value``."""
    background = brand_colour(value)
    return _LIGHT_INK if _contrast(background, _LIGHT_INK) >= _contrast(background, _DARK_INK) else _DARK_INK


@register.filter
def readable_on_white(value) -> str:
    """``value`` darkened just enough to reach WCAG AA contrast (4.5:1) as text on white, for links."""
    colour = brand_colour(value)
    red, green, blue = (int(colour[start : start + 2], 16) for start in (1, 3, 5))
    for step in range(21):
        factor = 1 - step / 20
        candidate = f"#{round(red * factor):02x}{round(green * factor):02x}{round(blue * factor):02x}"
        if _contrast(candidate, _LIGHT_INK) >= 4.5:
            return candidate
    return _DARK_INK


# --- People ------------------------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@register.filter
def person_name(user) -> str:
    """A person's name as they write it: 李华 (family name first, no space) or "Hua Li"."""
    family, given = (user.last_name or "").strip(), (user.first_name or "").strip()
    if not family and not given:
        return user.get_username()
    if _CJK.search(family + given):
        return f"{family}{given}"
    return f"{given} {family}".strip()
