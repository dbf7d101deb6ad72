"""Forms of the transcript pages: input shape only; the rules are in ``portfolios.transcripts.services``.

Granting to an employer uses the portfolio's ``ShareForm`` (an employer's user name or e-mail address).
"""

import json
from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portfolios.models.transcripts import CODE_ALPHABET
from portfolios.transcripts import services

#: The largest file the verification page reads (a transcript PDF is well under a megabyte).
DEFAULT_VERIFY_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_LINK_DAYS = 30
IMPORTANCE_CHOICES = [
    (1, _("1 · not needed")),
    (2, _("2 · useful")),
    (3, _("3 · important")),
    (4, _("4 · very important")),
    (5, _("5 · essential")),
]


def verify_max_bytes() -> int:
    return getattr(settings, "KESAI_VERIFY_MAX_BYTES", DEFAULT_VERIFY_MAX_BYTES)


class IssueForm(forms.Form):
    """The student's own transcript: which language it is written in (the PDF, and the snapshot's labels)."""

    language = forms.ChoiceField(
        label=_("Language of the transcript"),
        help_text=_("The PDF is printed in this language."),
        required=False,  # a request without it gets the service's default: the student's account language
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language in its own name, so a student finds theirs whatever language the page is in.
        self.fields["language"].choices = [
            (code, translation.get_language_info(code)["name_local"]) for code, _name in services.transcript_languages()
        ]
        self.fields["language"].initial = page_language(self.fields["language"].choices)


def page_language(choices: list[tuple[str, str]]) -> str:
    """The language of the page being shown, as one of ``choices`` (the site's default when it is none)."""
    codes = [code for code, _name in choices]
    try:
        current = translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        current = settings.LANGUAGE_CODE
    return current if current in codes else (codes[0] if codes else "")


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept with the transcript and shown to the student; the public verification page says only "
            "that it was revoked, and when."
        ),
    )


class LinkForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=120,
        required=False,
        help_text=_("Who you give the link to, so you can recognise it in the access log."),
    )
    expires_at = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The link stops working at the end of this day. At most a year from today."),
    )

    @staticmethod
    def default_expiry() -> str:
        return (timezone.localdate() + timedelta(days=DEFAULT_LINK_DAYS)).isoformat()

    def expiry_moment(self) -> datetime:
        """The end of the chosen day, in the site's time zone."""
        return timezone.make_aware(datetime.combine(self.cleaned_data["expires_at"], time.max))


class FeedbackForm(forms.Form):
    competency = forms.TypedChoiceField(label=_("Competency"), coerce=int)
    importance = forms.TypedChoiceField(
        label=_("How much it matters to you"), coerce=int, choices=IMPORTANCE_CHOICES, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you saw of this competency, or what you would like graduates to bring."),
    )

    def __init__(self, *args, competencies: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [
            (competency["id"], f"{competency['code']} · {competency['name']}") for competency in competencies
        ]


# --- Verification --------------------------------------------------------------------------------------------


def normalise_code(value: str) -> str:
    """As printed ("ABCD-EFGH-JKMN"), typed in lower case or with spaces: the stored form."""
    return "".join(character for character in value.upper() if character.isalnum())


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
        help_text=_("The code printed beside the QR code on the transcript."),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code or any(character not in CODE_ALPHABET for character in code):
            raise ValidationError(_("A verification code has only capital letters and digits."), code="invalid")
        return code


class _UploadForm(forms.Form):
    def read(self, upload) -> bytes:
        if upload.size > verify_max_bytes():
            raise ValidationError(
                _("The file is too large: at most %(mb)s MB is read.") % {"mb": verify_max_bytes() // (1024 * 1024)},
                code="too_large",
            )
        return upload.read()


class VerifyPdfForm(_UploadForm):
    pdf = forms.FileField(label=_("Transcript PDF"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}))

    def clean_pdf(self) -> bytes:
        content = self.read(self.cleaned_data["pdf"])
        if not content.startswith(b"%PDF-"):
            raise ValidationError(_("This file is not a PDF."), code="not_pdf")
        return content


class VerifyCredentialForm(_UploadForm):
    credential_file = forms.FileField(
        label=_("Credential file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jwt,.txt"}),
        help_text=_("The credential.json downloaded with the transcript, or the credential.jwt attached to its PDF."),
    )
    credential_text = forms.CharField(
        label=_("Or paste the credential"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, text = cleaned.get("credential_file"), (cleaned.get("credential_text") or "").strip()
        if upload and text:
            raise ValidationError(_("Upload a file or paste the credential, not both."), code="both")
        if upload:
            # Whatever a file holds is checked, never refused as missing: bytes that are not UTF-8 text (with
            # replacement characters) or a blank file fail verification, the same answer as any other forgery.
            cleaned["token"] = credential_token(self.read(upload).decode("utf-8", errors="replace"))
            return cleaned
        if not text and not self.errors:
            raise ValidationError(_("Upload the credential file or paste the credential."), code="missing")
        cleaned["token"] = credential_token(text)
        return cleaned


def credential_token(text: str) -> str:
    """The compact JWS in what a verifier gives us: the token itself, a JSON string of it, or our
    ``credential.json`` (``{"jwt": "..."}``). Anything else is returned as it is and fails verification."""
    text = text.strip().lstrip("\ufeff")
    if not text.startswith(("{", '"')):
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if isinstance(value, dict):
        value = value.get("jwt", "")
    return value.strip() if isinstance(value, str) else ""
