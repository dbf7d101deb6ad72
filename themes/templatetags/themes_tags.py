from django import template
from django.utils.safestring import SafeString
from wagtail.rich_text import RichText, expand_db_html

from themes.sanitiser import sanitise_html

register = template.Library()


@register.filter
def rich_text(value) -> SafeString:
    """Render Wagtail rich text or user HTML through the project's single sanitiser."""
    source = value.source if isinstance(value, RichText) else str(value or "")
    return sanitise_html(expand_db_html(source))
