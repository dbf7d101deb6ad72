"""The machine-readable transcript: Open Badges 3.0 AchievementCredentials wrapped in a CLR 2.0 ClrCredential.

Everything is built from the frozen snapshot (``portfolios.transcripts.snapshot``), so a credential rebuilt from
the same snapshot, transcript id, issue time and site URL is identical, ids included. One AchievementCredential
per competency the student attained (a figure, even below mastery); competencies without a figure give none.

Identifiers: the CLR's id is ``urn:uuid:<transcript public id>``; each AchievementCredential's id and the
subject's id are UUIDv5 names under it. Achievements, rubric levels and result descriptions are UUIDv5 names
under the site, so the same competency has the same achievement id on every transcript the site issues.

The student: every subject carries a pseudonymous ``id`` (new for each transcript, so two transcripts cannot be
linked through it) and an IdentityObject with the salted SHA-256 of the student's user name (OB 3.0's
IdentityHash; the salt is printed beside it, so whoever knows the user name can confirm the match and nobody
can read it off). Only the CLR's subject also carries the student's display name: ClrSubject allows other
properties and ``name`` is a term of the VC 2.0 context, and the CLR is the document the student shares, whose
PDF shows the name anyway. The separate AchievementCredentials carry no name, e-mail or user name.
"""

import hashlib
import uuid
from datetime import UTC, datetime
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"

#: Where the issuer's profile and keys are published; the URL configuration must serve these paths, because
#: every credential names them and a credential's issuer id can never change.
ISSUER_PATH = "/transcripts/issuer/"
JWKS_PATH = "/.well-known/jwks.json"


class NothingAttained(ValueError):
    """A CLR must hold at least one credential; a snapshot without any attained competency has none to hold."""


def default_site_url() -> str:
    """The site's public base URL, as the rest of the project knows it (the ``SITE_URL`` environment variable)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def issuer_url(site_url: str) -> str:
    return site_url.rstrip("/") + ISSUER_PATH


def jwks_url(site_url: str) -> str:
    return site_url.rstrip("/") + JWKS_PATH


def issuer_document(*, site_url: str, name: str, jwk: dict) -> dict:
    """The OB 3.0 Profile published at ``ISSUER_PATH``, with the public key that verifies its credentials.

    OB 3.0's Profile has no property for keys; ``verificationMethod`` with a ``JsonWebKey`` is the W3C
    Controlled Identifiers form. The document has no ``@context``: it is a plain JSON Profile (as the OB API
    serves one), not a credential, so it claims no JSON-LD meaning for the key members.
    """
    site_url = site_url.rstrip("/")
    profile_id = issuer_url(site_url)
    method_id = f"{jwks_url(site_url)}#{jwk['kid']}"
    return {
        "id": profile_id,
        "type": ["Profile"],
        "name": name,
        "url": site_url,
        "verificationMethod": [
            {"id": method_id, "type": "JsonWebKey", "controller": profile_id, "publicKeyJwk": jwk},
        ],
        "assertionMethod": [method_id],
    }


def build_achievement_credentials(*, snapshot: dict, transcript_id: str, issued_at: datetime, site_url: str) -> list:
    """One OB 3.0 AchievementCredential per attained competency, in the snapshot's order."""
    ids = _Identifiers(transcript_id=transcript_id, site_url=site_url, framework_id=snapshot["framework"]["id"])
    with translation.override(snapshot["language"]):
        return [
            _achievement_credential(snapshot=snapshot, competency=competency, ids=ids, valid_from=_datetime(issued_at))
            for competency in snapshot["competencies"]
            if competency["value"] is not None
        ]


def build_clr(*, snapshot: dict, transcript_id: str, issued_at: datetime, site_url: str) -> dict:
    """The CLR 2.0 ClrCredential for a transcript. Raises ``NothingAttained`` if no competency has a figure."""
    credentials = build_achievement_credentials(
        snapshot=snapshot, transcript_id=transcript_id, issued_at=issued_at, site_url=site_url
    )
    if not credentials:
        raise NothingAttained("The snapshot has no attained competency to put in a CLR.")
    ids = _Identifiers(transcript_id=transcript_id, site_url=site_url, framework_id=snapshot["framework"]["id"])
    student, programme = snapshot["student"], snapshot["programme"]
    with translation.override(snapshot["language"]):
        issuer = _issuer(snapshot=snapshot, site_url=ids.site_url)
        return {
            "@context": [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT],
            "id": ids.clr,
            "type": ["VerifiableCredential", "ClrCredential"],
            "name": _("Competency transcript: %(programme)s") % {"programme": programme["name"]},
            "description": _(
                "The competencies %(student)s attained in %(programme)s (%(cohort)s), with the evidence behind "
                "each, issued by %(issuer)s on %(date)s."
            )
            % {
                "student": student["name"],
                "programme": programme["name"],
                "cohort": programme["cohort"],
                "issuer": issuer["name"],
                "date": snapshot["issued_on"],
            },
            "issuer": issuer,
            "validFrom": _datetime(issued_at),
            "credentialSubject": {
                "id": ids.subject,
                "type": ["ClrSubject"],
                "name": student["name"],
                "identifier": [_identity(student=student, salt=ids.salt)],
                "achievement": [credential["credentialSubject"]["achievement"] for credential in credentials],
                "verifiableCredential": credentials,
            },
        }


def identity_hash(*, identity: str, salt: str) -> str:
    """OB 3.0 IdentityHash: ``sha256$`` and the hex SHA-256 of the identity followed by the salt, in UTF-8."""
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


class _Identifiers:
    def __init__(self, *, transcript_id: str, site_url: str, framework_id: int) -> None:
        self.site_url = site_url.rstrip("/")
        self.transcript = uuid.UUID(str(transcript_id))
        self.site = uuid.uuid5(uuid.NAMESPACE_URL, self.site_url + "/")
        self.framework_id = framework_id
        self.clr = self.transcript.urn
        self.subject = uuid.uuid5(self.transcript, "subject").urn
        self.salt = self.transcript.hex

    def credential(self, competency_id: int) -> str:
        return uuid.uuid5(self.transcript, f"competency/{competency_id}").urn

    def achievement(self, competency_id: int) -> str:
        return uuid.uuid5(self.site, f"framework/{self.framework_id}/competency/{competency_id}").urn

    def result_description(self, competency_id: int) -> str:
        return uuid.uuid5(self.site, f"framework/{self.framework_id}/competency/{competency_id}/result").urn

    def level(self, level_id: int) -> str:
        return uuid.uuid5(self.site, f"framework/{self.framework_id}/level/{level_id}").urn

    def competency_url(self, code: str) -> str:
        """Where the competency is described; the alignment's required ``targetUrl``."""
        return f"{self.site_url}/transcripts/competencies/{self.framework_id}/{quote(code, safe='')}/"

    def evidence(self, *, url: str, competency_id: int, row_id: int) -> str:
        """The evidence's own page with a fragment naming the row, or a UUID name when it has no web page."""
        fragment = f"evidence-{competency_id}-{row_id}"
        if url:
            parts = urlsplit(urljoin(self.site_url + "/", url))
            if parts.scheme in {"http", "https"} and parts.netloc:
                return urlunsplit(parts._replace(fragment=fragment))
        return uuid.uuid5(self.site, f"evidence/{fragment}").urn


def _datetime(moment: datetime) -> str:
    """DateTimeZ in whole seconds: OB 3.0 requires a JWT's ``nbf`` to equal ``validFrom`` exactly."""
    if moment.tzinfo is None:
        raise ValueError("The issue time must carry a time zone.")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _language_tag(language: str) -> str:
    """Django's ``zh-hans`` as the BCP 47 tag ``zh-Hans``; ``en-gb`` as ``en-GB``."""
    first, *rest = language.split("-")
    return "-".join([first.lower(), *(part.title() if len(part) == 4 else part.upper() for part in rest)])


def _issuer(*, snapshot: dict, site_url: str) -> dict:
    return {
        "id": issuer_url(site_url),
        "type": ["Profile"],
        "name": snapshot["issuer"]["name"] or settings.WAGTAIL_SITE_NAME,
        "url": snapshot["issuer"]["url"] or site_url,
    }


def _identity(*, student: dict, salt: str) -> dict:
    return {
        "type": "IdentityObject",
        "hashed": True,
        "identityHash": identity_hash(identity=student["username"], salt=salt),
        "identityType": "userName",
        "salt": salt,
    }


def _achievement_credential(*, snapshot: dict, competency: dict, ids: _Identifiers, valid_from: str) -> dict:
    framework, programme = snapshot["framework"], snapshot["programme"]
    level_name = competency["level"] or _("below the first level")
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": ids.credential(competency["id"]),
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": _("%(competency)s: %(level)s") % {"competency": competency["name"], "level": level_name},
        "description": _(
            "%(level)s reached in %(competency)s (%(value)s of %(max)s points), from the evidence recorded in "
            "%(programme)s."
        )
        % {
            "level": level_name,
            "competency": competency["name"],
            "value": competency["value"],
            "max": competency["max_points"],
            "programme": programme["name"],
        },
        "issuer": _issuer(snapshot=snapshot, site_url=ids.site_url),
        "validFrom": valid_from,
        "credentialSubject": {
            "id": ids.subject,
            "type": ["AchievementSubject"],
            "identifier": [_identity(student=snapshot["student"], salt=ids.salt)],
            "achievement": _achievement(snapshot=snapshot, competency=competency, ids=ids),
            "result": [_result(competency=competency, ids=ids)],
        },
        "evidence": [
            _evidence(row=row, competency=competency, ids=ids, max_points=_max_points(framework, competency))
            for row in competency["evidence"]
        ],
    }


def _max_points(framework: dict, competency: dict) -> str:
    """The scale's top in points: the figure's own, or else the highest level's."""
    return competency["max_points"] or max((level["points"] for level in framework["scale"]["levels"]), key=float)


def _achievement(*, snapshot: dict, competency: dict, ids: _Identifiers) -> dict:
    framework = snapshot["framework"]
    levels = framework["scale"]["levels"]
    mastery = next((level for level in levels if level["mastery"]), None)
    result_description = {
        "id": ids.result_description(competency["id"]),
        "type": ["ResultDescription"],
        "name": framework["scale"]["name"],
        "resultType": "RubricCriterionLevel",
        "rubricCriterionLevel": [
            {
                "id": ids.level(level["id"]),
                "type": ["RubricCriterionLevel"],
                "name": level["name"],
                "points": level["points"],
                **({"description": _("The level that marks mastery.")} if level["mastery"] else {}),
            }
            for level in levels
        ],
        "valueMax": _max_points(framework, competency),
    }
    if mastery is not None:
        result_description["requiredLevel"] = ids.level(mastery["id"])
    return {
        "id": ids.achievement(competency["id"]),
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": competency["name"],
        "description": competency["description"] or competency["name"],
        "humanCode": competency["code"],
        "inLanguage": _language_tag(snapshot["language"]),
        "criteria": {
            "narrative": _(
                "Attainment is calculated from the evidence below, taken in the order the work was done, with "
                "the framework's calculation method: %(method)s. Mastery is %(mastery)s of %(max)s points."
            )
            % {
                "method": framework["method_label"],
                "mastery": competency["mastery_points"],
                "max": _max_points(framework, competency),
            }
        },
        "alignment": [
            {
                "type": ["Alignment"],
                "targetCode": competency["code"],
                "targetName": competency["name"],
                "targetFramework": framework["name"],
                "targetUrl": ids.competency_url(competency["code"]),
            }
        ],
        "resultDescription": [result_description],
    }


def _result(*, competency: dict, ids: _Identifiers) -> dict:
    result = {
        "type": ["Result"],
        "resultDescription": ids.result_description(competency["id"]),
        "value": competency["value"],
    }
    if competency["level_id"] is not None:
        result["achievedLevel"] = ids.level(competency["level_id"])
    return result


def _evidence(*, row: dict, competency: dict, ids: _Identifiers, max_points: str) -> dict:
    facts = {"date": row["done_on"], "score": row["score"] or "—", "max": max_points, "recorder": row["recorded_by"]}
    if row["recorded_by"]:
        description = _("Done on %(date)s; score %(score)s of %(max)s; recorded by %(recorder)s.") % facts
    else:
        description = _("Done on %(date)s; score %(score)s of %(max)s.") % facts
    return {
        "id": ids.evidence(url=row["url"], competency_id=competency["id"], row_id=row["id"]),
        "type": ["Evidence"],
        "name": row["source"],
        "description": description,
        "genre": row["source_kind_label"],
        "narrative": _("%(kind)s, counted with weight %(weight)s towards %(competency)s.")
        % {"kind": row["source_kind_label"], "weight": row["weight"], "competency": competency["name"]},
    }
