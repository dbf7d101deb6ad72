"""Front-end forms for teams and submissions: the shape of input only; the rules live in the services."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from competitions.models import Team
from competitions.selectors.teams import advisor_candidates, mentor_candidates
from competitions.services.submissions import SUBMISSION_KINDS
from courses.uploads import DEFAULT_MAX_BYTES, EXTENSIONS
from themes.templatetags.themes_tags import person_name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class SupervisorsForm(forms.Form):
    advisor = PersonChoiceField(
        label=_("Advisor teacher"),
        queryset=None,
        required=False,
        empty_label=_("No advisor yet"),
        help_text=_("A teacher of the school who supervises the team."),
    )
    mentor = PersonChoiceField(
        label=_("Enterprise mentor"),
        queryset=None,
        required=False,
        empty_label=_("No enterprise mentor"),
        help_text=_("Optional: a mentor from a partner company."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = advisor_candidates()
        self.fields["mentor"].queryset = mentor_candidates()


class TeamCreateForm(SupervisorsForm):
    name = forms.CharField(label=_("Team name"), max_length=Team._meta.get_field("name").max_length)

    field_order = ["name", "advisor", "mentor"]


class JoinTeamForm(forms.Form):
    invite_code = forms.CharField(
        label=_("Invitation code"),
        max_length=Team._meta.get_field("invite_code").max_length,
        help_text=_("Ask your team's captain for the code shown on the team page."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class SubmissionForm(forms.Form):
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("You may use simple HTML (paragraphs, lists, links, tables); anything else is removed."),
    )
    file = forms.FileField(label=_("File"), required=False)
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = getattr(settings, "KESAI_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
        self.fields["file"].widget.attrs["accept"] = ",".join(
            f".{extension}" for kind in sorted(SUBMISSION_KINDS) for extension in EXTENSIONS[kind]
        )
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, PowerPoint, PNG or JPEG image, ZIP or plain text; at most %(limit)s."
        ) % {"limit": filesizeformat(limit)}
