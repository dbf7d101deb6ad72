from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lms"
    verbose_name = _("Kesai project")

    def ready(self) -> None:
        from courses.forms_wagtail import use_profile_picture_form

        # Wagtail has no hook or setting to replace a built-in account panel's form: swap it once, at start-up.
        use_profile_picture_form()
