"""Admin forms for reviewers: the shape of a sign-off and of a batch sign-off. The rules are in the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from courses.models import ProficiencyLevel
from portfolios.models import ReviewVerdict


class LevelChoiceField(forms.ModelChoiceField):
    """A proficiency level, named with its points and, on a scale shared by several frameworks, its scale."""

    def __init__(self, *args, show_scale: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_scale = show_scale

    def label_from_instance(self, level: ProficiencyLevel) -> str:
        label = str(level)
        if level.is_mastery:
            label = _("%(level)s · mastery") % {"level": label}
        if self.show_scale:
            label = f"{level.scale.name} · {label}"
        return label


class ReviewForm(forms.Form):
    """One reviewer's verdict on the version they read; ``version`` catches a student's change in between."""

    verdict = forms.ChoiceField(label=_("Verdict"), choices=ReviewVerdict.choices, widget=forms.RadioSelect)
    level = LevelChoiceField(
        label=_("Level"), queryset=ProficiencyLevel.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The student reads this with your verdict."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, levels: QuerySet[ProficiencyLevel], current_version_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels
        self.fields["version"].initial = current_version_id
        self.current_version_id = current_version_id

    def clean(self) -> dict:
        cleaned = super().clean()
        if "version" in cleaned and cleaned["version"] != self.current_version_id:
            raise ValidationError(
                _("The student changed this artefact after you opened it. Read the new version before signing it off.")
            )
        return cleaned


class ArtefactIdsField(forms.Field):
    """The ids of the artefacts ticked on the queue, as a list of distinct integers in the order sent."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick at least one artefact waiting for review."),
        "invalid": _("The selection was not understood; reload the page and tick the artefacts again."),
    }

    def to_python(self, value) -> list[int]:
        ids: list[int] = []
        for item in value or []:
            if not str(item).isdigit():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if int(item) not in ids:
                ids.append(int(item))
        return ids


class BulkSignOffForm(forms.Form):
    """One verdict, level and comment for several artefacts (a batch of certificates, say)."""

    artefacts = ArtefactIdsField()
    verdict = forms.ChoiceField(label=_("Verdict"), choices=ReviewVerdict.choices, widget=forms.RadioSelect)
    level = LevelChoiceField(label=_("Level"), queryset=ProficiencyLevel.objects.none())
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, levels: QuerySet[ProficiencyLevel], show_scale: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels
        self.fields["level"].show_scale = show_scale
