"""Site branding, edited by site administrators under Settings › Branding."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hexadecimal digits."))


@register_setting(icon="site")
class BrandingSettings(BaseSiteSetting):
    school_name = models.CharField(_("school name"), max_length=160, default="Kesai University")
    school_name_zh = models.CharField(_("school name in Chinese"), max_length=160, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(_("primary colour"), max_length=7, default="#0b6e4f", validators=[hex_colour])
    transcript_footer = models.TextField(
        _("transcript footer"),
        blank=True,
        help_text=_("Printed at the foot of every transcript, for example the registrar's contact details."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("school_name"), FieldPanel("school_name_zh"), FieldPanel("logo")], _("School")),
        FieldPanel("primary_colour"),
        FieldPanel("transcript_footer"),
    ]

    class Meta:
        verbose_name = _("branding")

    def localised_school_name(self, language_code: str) -> str:
        if language_code.lower().startswith("zh") and self.school_name_zh:
            return self.school_name_zh
        return self.school_name
