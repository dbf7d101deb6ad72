"""Admin form for course pages (imported by the page model, so it must not import courses.models)."""

from django.db import DEFAULT_DB_ALIAS
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class CoursePageForm(WagtailAdminPageForm):
    """Refuses to drop an outcome that anything still refers to: ledger rows, assessments' alignments or, through
    Django's delete collector, records of higher layers (rubric criteria) that courses does not know by name."""

    def clean(self):
        cleaned = super().clean()
        outcomes = self.formsets.get("outcomes")
        if outcomes is None:
            return cleaned
        outcomes.is_valid()  # cleans every outcome form, so deletion marks can be read even if another is invalid
        for form in outcomes.forms:
            removing = hasattr(form, "cleaned_data") and outcomes._should_delete_form(form)
            if not removing or not form.instance.pk:
                continue
            if form.instance.evidence.exists():
                form.add_error(
                    None,
                    _(
                        "Outcome %(code)s already has evidence recorded against it, so it cannot be removed. "
                        "Edit its description instead."
                    )
                    % {"code": form.instance.code},
                )
                self.add_error(None, _("Some outcomes cannot be removed; see below."))
            elif users := _protected_users(form.instance):
                form.add_error(
                    None,
                    _("Outcome %(code)s is still used by %(users)s; remove it there first.")
                    % {"code": form.instance.code, "users": ", ".join(users)},
                )
                self.add_error(None, _("Some outcomes cannot be removed; see below."))
        return cleaned


def _protected_users(instance) -> list[str]:
    """What would stop ``instance`` being deleted (e.g. a competition criterion aligned to the outcome)."""
    try:
        Collector(using=DEFAULT_DB_ALIAS).collect([instance])
    except ProtectedError as error:
        return sorted({f"{obj._meta.verbose_name} “{obj}”" for obj in error.protected_objects})
    return []
