"""Admin form for course pages (imported by the page model, so it must not import courses.models)."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class CoursePageForm(WagtailAdminPageForm):
    """Refuses to drop an outcome that evidence has been recorded against: the ledger must keep its target."""

    def clean(self):
        cleaned = super().clean()
        outcomes = self.formsets.get("outcomes")
        if outcomes is None:
            return cleaned
        outcomes.is_valid()  # cleans every outcome form, so deletion marks can be read even if another is invalid
        for form in outcomes.forms:
            removing = hasattr(form, "cleaned_data") and outcomes._should_delete_form(form)
            if removing and form.instance.pk and form.instance.evidence.exists():
                form.add_error(
                    None,
                    _(
                        "Outcome %(code)s already has evidence recorded against it, so it cannot be removed. "
                        "Edit its description instead."
                    )
                    % {"code": form.instance.code},
                )
                self.add_error(None, _("Some outcomes cannot be removed; see below."))
        return cleaned
