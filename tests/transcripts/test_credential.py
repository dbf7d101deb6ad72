"""The OB 3.0 / CLR 2.0 credential built from a snapshot: 1EdTech schemas, content, privacy, the issuer profile."""

import copy
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from portfolios.transcripts.credential import (
    CLR_CONTEXT,
    OB_CONTEXT,
    VC_CONTEXT,
    NothingAttained,
    build_achievement_credentials,
    build_clr,
)
from portfolios.transcripts.signing import public_jwk
from tests.transcripts import schemas
from tests.transcripts.samples import sample_snapshot

SITE = "https://kesai.example.edu.cn"
TRANSCRIPT_ID = "3f1c5a6e-2a4b-4c3d-9e8f-0a1b2c3d4e5f"
ISSUED_AT = datetime(2026, 11, 30, 1, 30, tzinfo=UTC)
LANGUAGES = ["en", "zh-hans"]


def credentials_for(snapshot: dict) -> list[dict]:
    return build_achievement_credentials(
        snapshot=snapshot, transcript_id=TRANSCRIPT_ID, issued_at=ISSUED_AT, site_url=SITE
    )


def clr_for(snapshot: dict) -> dict:
    return build_clr(snapshot=snapshot, transcript_id=TRANSCRIPT_ID, issued_at=ISSUED_AT, site_url=SITE)


# --- the 1EdTech schemas ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_achievement_credential_meets_the_achievement_credential_schema(language):
    validator = schemas.validator(schemas.ACHIEVEMENT_CREDENTIAL)
    credentials = credentials_for(sample_snapshot(language=language, competencies=5, evidence_per_competency=3))
    assert [schemas.errors(validator, credential) for credential in credentials] == [[]] * 4


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_clr_meets_the_clr_credential_schema(language):
    clr = clr_for(sample_snapshot(language=language, competencies=5, evidence_per_competency=3))
    assert schemas.errors(schemas.validator(schemas.CLR_CREDENTIAL), clr) == []


def test_each_credential_inside_the_clr_meets_the_achievement_credential_schema():
    validator = schemas.validator(schemas.ACHIEVEMENT_CREDENTIAL)
    clr = clr_for(sample_snapshot(language="zh-hans", competencies=5))
    inside = clr["credentialSubject"]["verifiableCredential"]
    assert [schemas.errors(validator, credential) for credential in inside] == [[]] * 4


def test_the_schema_check_would_catch_a_credential_without_valid_from():
    credential = credentials_for(sample_snapshot(competencies=1))[0]
    del credential["validFrom"]
    assert schemas.errors(schemas.validator(schemas.ACHIEVEMENT_CREDENTIAL), credential) == [
        ": 'validFrom' is a required property"
    ]


def test_the_schema_check_would_catch_a_time_without_time_zone():
    credential = credentials_for(sample_snapshot(competencies=1))[0]
    credential["validFrom"] = "2026-11-30T01:30:00"
    assert schemas.errors(schemas.validator(schemas.ACHIEVEMENT_CREDENTIAL), credential) == [
        "validFrom: '2026-11-30T01:30:00' is not a 'date-time'"
    ]


def test_contexts_are_vc_2_then_clr_then_open_badges():
    clr = clr_for(sample_snapshot(competencies=2))
    assert clr["@context"] == [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT]
    assert {tuple(credential["@context"]) for credential in clr["credentialSubject"]["verifiableCredential"]} == {
        (VC_CONTEXT, OB_CONTEXT)
    }


# --- what goes in ---------------------------------------------------------------------------------------------


def test_a_competency_without_a_figure_gets_no_credential():
    # The sample leaves every fifth competency without a figure: of CBE-01 … CBE-05, CBE-05 has none.
    credentials = credentials_for(sample_snapshot(competencies=5))
    codes = [credential["credentialSubject"]["achievement"]["humanCode"] for credential in credentials]
    assert codes == ["CBE-01", "CBE-02", "CBE-03", "CBE-04"]


def test_a_snapshot_with_nothing_attained_makes_no_clr():
    snapshot = sample_snapshot(competencies=2)
    for competency in snapshot["competencies"]:
        competency.update(value=None, level=None, level_id=None)
    with pytest.raises(NothingAttained):
        clr_for(snapshot)


def test_the_clr_wraps_the_achievement_credentials_and_their_achievements():
    snapshot = sample_snapshot(competencies=5)
    clr = clr_for(snapshot)
    assert clr["credentialSubject"]["verifiableCredential"] == credentials_for(snapshot)
    assert clr["credentialSubject"]["achievement"] == [
        credential["credentialSubject"]["achievement"] for credential in credentials_for(snapshot)
    ]


def test_the_result_points_at_the_rubric_level_reached_and_carries_the_figure():
    # Sample competency 1: value 1 + (1 mod 4) × 0.75 = 1.75, level id 1 mod 4 + 1 = 2, "Developing".
    subject = credentials_for(sample_snapshot(competencies=1))[0]["credentialSubject"]
    (description,) = subject["achievement"]["resultDescription"]
    (result,) = subject["result"]
    reached = [level for level in description["rubricCriterionLevel"] if level["id"] == result["achievedLevel"]]
    assert [level["name"] for level in reached] == ["Developing"]
    assert result["value"] == "1.75"
    assert result["resultDescription"] == description["id"]


def test_the_result_description_lists_the_scale_and_requires_the_mastery_level():
    (description,) = credentials_for(sample_snapshot(competencies=1))[0]["credentialSubject"]["achievement"][
        "resultDescription"
    ]
    levels = description["rubricCriterionLevel"]
    assert description["resultType"] == "RubricCriterionLevel"
    assert [(level["name"], level["points"]) for level in levels] == [
        ("Beginning", "1"),
        ("Developing", "2"),
        ("Proficient", "3"),
        ("Exemplary", "4"),
    ]
    (mastery,) = [level for level in levels if level["id"] == description["requiredLevel"]]
    assert mastery["name"] == "Proficient"


def test_the_achievement_aligns_to_the_competency_in_its_framework():
    achievement = credentials_for(sample_snapshot(competencies=2))[1]["credentialSubject"]["achievement"]
    assert achievement["alignment"] == [
        {
            "type": ["Alignment"],
            "targetCode": "CBE-02",
            "targetName": "Buyer communication",
            "targetFramework": "Cross-border E-commerce Competencies",
            "targetUrl": f"{SITE}/transcripts/competencies/1/CBE-02/",
        }
    ]
    assert achievement["achievementType"] == "Competency"


def test_the_criteria_name_the_framework_calculation_method():
    achievement = credentials_for(sample_snapshot(language="en", competencies=1))[0]["credentialSubject"]["achievement"]
    assert "Weighted latest" in achievement["criteria"]["narrative"]


def test_one_evidence_entry_per_evidence_row():
    credential = credentials_for(sample_snapshot(language="en", competencies=1, evidence_per_competency=3))[0]
    assert [entry["name"] for entry in credential["evidence"]] == [
        f"虾皮杯初赛 · 商品上架 · 丝路先锋 {row}" for row in range(3)
    ]
    # Row 0 of competency 1: id 1 × 100 + 0 = 100, done on 2026-0{1 + 0}-1{0} = 2026-01-10, score 3 of 4.
    first = credential["evidence"][0]
    assert first["id"] == f"{SITE}/competitions/shopee-cup/#evidence-1-100"
    assert first["type"] == ["Evidence"]
    assert first["description"] == "Done on 2026-01-10; score 3 of 4; recorded by 陈静."
    assert first["genre"] == "竞赛任务"


def test_evidence_without_a_web_page_gets_a_name_of_its_own():
    snapshot = sample_snapshot(competencies=1, evidence_per_competency=2)
    for row in snapshot["competencies"][0]["evidence"]:
        row["url"] = ""
    ids = [entry["id"] for entry in credentials_for(snapshot)[0]["evidence"]]
    assert all(entry_id.startswith("urn:uuid:") for entry_id in ids)
    assert len(set(ids)) == 2


def test_the_student_appears_only_as_a_salted_hash_of_the_user_name():
    clr = clr_for(sample_snapshot(competencies=3))
    salt = "3f1c5a6e2a4b4c3d9e8f0a1b2c3d4e5f"  # the transcript id's hex
    expected = "sha256$" + hashlib.sha256(("2024010101" + salt).encode("utf-8")).hexdigest()
    assert clr["credentialSubject"]["identifier"] == [
        {"type": "IdentityObject", "hashed": True, "identityHash": expected, "identityType": "userName", "salt": salt}
    ]
    assert "2024010101" not in json.dumps(clr, ensure_ascii=False)


def test_only_the_clr_subject_carries_the_student_name():
    clr = clr_for(sample_snapshot(competencies=3))
    assert clr["credentialSubject"]["name"] == "陈小红"
    for credential in clr["credentialSubject"]["verifiableCredential"]:
        assert "陈小红" not in json.dumps(credential, ensure_ascii=False)


def test_every_subject_is_the_same_pseudonym_within_one_transcript_and_another_in_the_next():
    clr = clr_for(sample_snapshot(competencies=3))
    subjects = {clr["credentialSubject"]["id"]} | {
        credential["credentialSubject"]["id"] for credential in clr["credentialSubject"]["verifiableCredential"]
    }
    next_transcript = build_clr(
        snapshot=sample_snapshot(competencies=3),
        transcript_id="9b2e7c1d-0000-4000-8000-000000000001",
        issued_at=ISSUED_AT,
        site_url=SITE,
    )
    assert len(subjects) == 1
    assert next_transcript["credentialSubject"]["id"] not in subjects


def test_the_clr_is_named_for_the_transcript_id():
    assert clr_for(sample_snapshot(competencies=1))["id"] == f"urn:uuid:{TRANSCRIPT_ID}"


def test_the_same_snapshot_builds_the_same_clr():
    snapshot = sample_snapshot(competencies=4, evidence_per_competency=2)
    assert clr_for(copy.deepcopy(snapshot)) == clr_for(snapshot)


def test_the_issuer_is_the_school_at_the_published_profile_address():
    clr = clr_for(sample_snapshot(competencies=1))
    assert clr["issuer"] == {
        "id": f"{SITE}/transcripts/issuer/",
        "type": ["Profile"],
        "name": "霍尔果斯商学院",
        "url": SITE,
    }


def test_valid_from_is_the_issue_time_in_utc_to_the_second():
    # 09:30:00.123456 at UTC+8 is 01:30:00.123456 UTC; the fraction is dropped.
    issued_at = datetime(2026, 11, 30, 9, 30, 0, 123456, tzinfo=timezone(timedelta(hours=8)))
    clr = build_clr(
        snapshot=sample_snapshot(competencies=1), transcript_id=TRANSCRIPT_ID, issued_at=issued_at, site_url=SITE
    )
    assert clr["validFrom"] == "2026-11-30T01:30:00Z"


def test_an_issue_time_without_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        build_clr(
            snapshot=sample_snapshot(competencies=1),
            transcript_id=TRANSCRIPT_ID,
            issued_at=datetime(2026, 11, 30, 1, 30),  # no time zone: the point of the test
            site_url=SITE,
        )


def test_a_chinese_transcript_keeps_its_chinese_names_and_says_its_language():
    achievement = credentials_for(sample_snapshot(language="zh-hans", competencies=1))[0]["credentialSubject"][
        "achievement"
    ]
    assert achievement["name"] == "外贸知识"
    assert achievement["inLanguage"] == "zh-Hans"


# --- the issuer profile ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls("tests.transcripts.urls_public")
def test_the_issuer_profile_meets_the_profile_schema_and_carries_the_verification_key(client):
    response = client.get("/transcripts/issuer/")
    profile = response.json()
    assert response.status_code == 200
    assert schemas.errors(schemas.definition_validator(schemas.CLR_CREDENTIAL, "Profile"), profile) == []
    (method,) = profile["verificationMethod"]
    assert method["publicKeyJwk"] == public_jwk()
    assert method["id"] == f"http://testserver/.well-known/jwks.json#{public_jwk()['kid']}"
    assert profile["assertionMethod"] == [method["id"]]


@pytest.mark.django_db
@pytest.mark.urls("tests.transcripts.urls_public")
def test_the_issuer_profile_has_the_id_credentials_name_as_their_issuer(client):
    profile = client.get("/transcripts/issuer/").json()
    clr = build_clr(
        snapshot=sample_snapshot(competencies=1),
        transcript_id=TRANSCRIPT_ID,
        issued_at=ISSUED_AT,
        site_url="http://testserver",
    )
    assert profile["id"] == clr["issuer"]["id"] == "http://testserver/transcripts/issuer/"
    assert profile["type"] == ["Profile"]
