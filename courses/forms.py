"""Forms: the shape of input only; the rules they enforce live in models and services."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.models import CoursePage
from courses.permissions import cohorts_for_teacher


class ProficiencyScaleForm(WagtailAdminModelForm):
    """Checks the levels as a whole: exactly one mastery level (the formset already refuses equal points)."""

    def clean(self):
        cleaned = super().clean()
        levels = self.formsets.get("levels")
        if levels is None or not levels.is_valid():
            return cleaned
        kept = [
            form.cleaned_data
            for form in levels.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        mastery = sum(1 for level in kept if level.get("is_mastery"))
        if mastery != 1:
            raise forms.ValidationError(_("Exactly one level must mark mastery; %(count)s do.") % {"count": mastery})
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"), help_text=_("The first row names the columns."))

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"] = forms.ModelChoiceField(label=_("Cohort"), queryset=cohorts_for_teacher(user))
        self.order_fields(["cohort", "file"])


class RosterImportForm(ImportUploadForm):
    enrolled_on = forms.DateField(
        label=_("Enrolled on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )


class ResultImportForm(ImportUploadForm):
    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.none())

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.order_by("code")


class ConfirmImportForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
