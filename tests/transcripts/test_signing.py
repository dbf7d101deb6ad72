"""Transcript signing: the VC-JWT round trip, tampering, wrong keys, third-party verification, keys and settings."""

import base64
import hashlib
import io
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PrivateKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings as override

from portfolios.transcripts.credential import build_clr
from portfolios.transcripts.signing import (
    BadSignature,
    ClaimsMismatch,
    InvalidCredential,
    MalformedCredential,
    NotYetValid,
    UnknownSigningKey,
    UnsupportedAlgorithm,
    generate_private_key_pem,
    key_id,
    load_signing_key,
    public_jwk,
    public_key_pem,
    sign_vc_jwt,
    verification_keys,
    verify_vc_jwt,
)
from tests.transcripts.samples import sample_snapshot

SITE = "https://kesai.example.edu.cn"
TRANSCRIPT_ID = "3f1c5a6e-2a4b-4c3d-9e8f-0a1b2c3d4e5f"
ISSUED_AT = datetime(2026, 11, 30, 1, 30, tzinfo=UTC)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def json_segment(value: dict) -> str:
    return b64(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def handmade_token(*, header: dict, payload_segment: str, key: Ed25519PrivateKey) -> str:
    """A compact JWS signed by ``key`` over whatever header and payload a test wants to try."""
    signing_input = f"{json_segment(header)}.{payload_segment}"
    return f"{signing_input}.{b64(key.sign(signing_input.encode('ascii')))}"


def with_one_character_changed(token: str, position: int) -> str:
    replacement = "A" if token[position] != "A" else "B"
    return token[:position] + replacement + token[position + 1 :]


@pytest.fixture
def credential() -> dict:
    snapshot = sample_snapshot(language="en", competencies=2, evidence_per_competency=1)
    return build_clr(snapshot=snapshot, transcript_id=TRANSCRIPT_ID, issued_at=ISSUED_AT, site_url=SITE)


@pytest.fixture
def token(credential) -> str:
    return sign_vc_jwt(credential)


@pytest.fixture
def other_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def claims_for(credential: dict) -> dict:
    return {
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": 1796002200,
        "sub": credential["credentialSubject"]["id"],
    }


# --- round trip and format ---------------------------------------------------------------------------------


def test_verifying_a_signed_credential_gives_back_the_credential(credential, token):
    assert verify_vc_jwt(token) == credential


def test_header_names_eddsa_jwt_and_the_issuer_key(token):
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "typ": "JWT", "kid": key_id()}


def test_payload_is_the_credential_beside_the_registered_claims_ob3_requires(credential, token):
    payload = jwt.decode(token, options={"verify_signature": False})
    # nbf is validFrom 2026-11-30T01:30:00Z as seconds since 1970: 2026-01-01 is 1767225600, 30 November is
    # 333 days later (333 × 86 400 = 28 771 200) and 01:30 is 5 400 more: 1767225600 + 28771200 + 5400.
    assert payload == {**credential, **claims_for(credential)}


# --- tampering -----------------------------------------------------------------------------------------------


def test_every_one_character_change_to_the_signature_is_rejected(token):
    signature_start = token.rindex(".") + 1
    for position in range(signature_start, len(token)):
        with pytest.raises(InvalidCredential):
            verify_vc_jwt(with_one_character_changed(token, position))


def test_every_one_character_change_to_the_payload_is_rejected(token):
    payload_start, payload_end = token.index(".") + 1, token.rindex(".")
    for position in range(payload_start, payload_end):
        with pytest.raises(InvalidCredential):
            verify_vc_jwt(with_one_character_changed(token, position))


def test_every_one_character_change_to_the_header_is_rejected(token):
    for position in range(token.index(".")):
        with pytest.raises(InvalidCredential):
            verify_vc_jwt(with_one_character_changed(token, position))


def test_a_changed_grade_signed_again_by_another_key_is_rejected_even_naming_our_key(credential, other_key):
    credential["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["result"][0]["value"] = "4"
    forged = handmade_token(
        header={"alg": "EdDSA", "typ": "JWT", "kid": key_id()},
        payload_segment=json_segment({**credential, **claims_for(credential)}),
        key=other_key,
    )
    with pytest.raises(BadSignature):
        verify_vc_jwt(forged)


def test_a_token_signed_by_a_key_the_issuer_does_not_hold_is_rejected(credential, other_key):
    with pytest.raises(UnknownSigningKey):
        verify_vc_jwt(sign_vc_jwt(credential, private_key=other_key))


def test_an_unsigned_alg_none_token_is_rejected(credential):
    unsigned = (
        f"{json_segment({'alg': 'none', 'typ': 'JWT'})}.{json_segment({**credential, **claims_for(credential)})}."
    )
    with pytest.raises(UnsupportedAlgorithm):
        verify_vc_jwt(unsigned)


def test_an_hmac_token_keyed_with_the_public_key_is_rejected(credential):
    public_bytes = (
        load_signing_key()
        .public_key()
        .public_bytes(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
    )
    hmac_token = jwt.encode({**credential, **claims_for(credential)}, public_bytes, algorithm="HS256")
    with pytest.raises(UnsupportedAlgorithm):
        verify_vc_jwt(hmac_token)


@pytest.mark.parametrize(
    "malformed",
    ["", "abc", "a.b", "a.b.c.d", "***.***.***", "eyJhbGciOiJFZERTQSJ9.e30", "bm90IGpzb24.e30.AAAA"],
)
def test_malformed_tokens_are_rejected(malformed):
    with pytest.raises(InvalidCredential):
        verify_vc_jwt(malformed)


def test_claims_that_disagree_with_the_credential_are_rejected(credential):
    wrong_issuer = {**claims_for(credential), "iss": "https://elsewhere.example/issuer/"}
    token = handmade_token(
        header={"alg": "EdDSA", "typ": "JWT", "kid": key_id()},
        payload_segment=json_segment({**credential, **wrong_issuer}),
        key=load_signing_key(),
    )
    with pytest.raises(ClaimsMismatch):
        verify_vc_jwt(token)


def test_a_payload_repeating_a_member_name_is_rejected(credential):
    payload = json.dumps({**credential, **claims_for(credential)}, separators=(",", ":"))
    repeated = payload[:-1] + ',"jti":"urn:uuid:00000000-0000-0000-0000-000000000000"}'
    token = handmade_token(
        header={"alg": "EdDSA", "typ": "JWT", "kid": key_id()},
        payload_segment=b64(repeated.encode("utf-8")),
        key=load_signing_key(),
    )
    with pytest.raises(MalformedCredential):
        verify_vc_jwt(token)


def test_a_credential_is_not_valid_before_its_valid_from(token):
    with pytest.raises(NotYetValid):
        verify_vc_jwt(token, now=ISSUED_AT - timedelta(days=1))


# --- a third party, offline, with a public library -----------------------------------------------------------


def test_pyjwt_verifies_the_token_with_nothing_but_the_published_jwk(credential, token):
    published = json.loads(json.dumps({"keys": [public_jwk()]}))  # as a verifier would have saved the JWKS
    (jwk,) = [key for key in published["keys"] if key["kid"] == jwt.get_unverified_header(token)["kid"]]
    payload = jwt.decode(
        token,
        key=jwt.PyJWK(jwk).key,
        algorithms=["EdDSA"],
        issuer=f"{SITE}/transcripts/issuer/",
        options={"require": ["iss", "jti", "nbf", "sub"]},
    )
    assert {name: value for name, value in payload.items() if name not in claims_for(credential)} == credential


def test_pyjwt_rejects_the_token_with_another_key(token, other_key):
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, key=other_key.public_key(), algorithms=["EdDSA"])


# --- keys ----------------------------------------------------------------------------------------------------


def test_key_id_is_the_rfc7638_thumbprint_of_the_jwk():
    # RFC 8037 appendix A: private key d, its public key x, and (A.3) the RFC 7638 thumbprint of that JWK.
    private = Ed25519PrivateKey.from_private_bytes(
        base64.urlsafe_b64decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")
    )
    assert public_jwk(private.public_key())["x"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    assert key_id(private.public_key()) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_key_id_is_the_same_whether_the_key_comes_from_the_file_or_the_environment(tmp_path):
    pem = generate_private_key_pem()
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(pem)
    with override(KESAI_SIGNING_KEY="", KESAI_SIGNING_KEY_FILE=key_file):
        from_file = key_id()
    with override(KESAI_SIGNING_KEY=pem.decode("ascii"), KESAI_SIGNING_KEY_FILE=tmp_path / "absent.pem"):
        from_environment = key_id()
    assert from_file == from_environment


def test_a_pem_pasted_on_one_line_with_escaped_newlines_is_read(tmp_path):
    pem = generate_private_key_pem()
    with override(KESAI_SIGNING_KEY=pem.decode("ascii").replace("\n", "\\n")):
        one_line = key_id()
    with override(KESAI_SIGNING_KEY=pem.decode("ascii")):
        assert key_id() == one_line


def test_the_key_in_the_environment_wins_over_the_key_file(tmp_path):
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(generate_private_key_pem())
    environment_pem = generate_private_key_pem()
    expected = key_id(serialization.load_pem_private_key(environment_pem, password=None).public_key())
    with override(KESAI_SIGNING_KEY=environment_pem.decode("ascii"), KESAI_SIGNING_KEY_FILE=key_file):
        assert key_id() == expected


def test_a_missing_key_file_is_created_on_first_use_readable_by_its_owner_only(tmp_path):
    key_file = tmp_path / "var" / "signing-key.pem"
    with override(KESAI_SIGNING_KEY="", KESAI_SIGNING_KEY_FILE=key_file, KESAI_SIGNING_KEY_AUTOCREATE=True):
        first = key_id()
        assert key_id() == first  # created once, then read
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_missing_key_file_is_a_configuration_error_where_keys_are_not_created(tmp_path):
    with (
        override(KESAI_SIGNING_KEY="", KESAI_SIGNING_KEY_FILE=tmp_path / "no.pem", KESAI_SIGNING_KEY_AUTOCREATE=False),
        pytest.raises(ImproperlyConfigured),
    ):
        load_signing_key()


def test_the_test_settings_keep_the_key_in_this_process_folder():
    load_signing_key()
    assert settings.KESAI_SIGNING_KEY_FILE.parent == settings.TEST_FILES_ROOT
    assert settings.KESAI_SIGNING_KEY_FILE.is_file()


# --- create_signing_key ----------------------------------------------------------------------------------------


def test_create_signing_key_writes_a_pem_readable_by_its_owner_only(tmp_path):
    key_file = tmp_path / "keys" / "signing-key.pem"
    with override(KESAI_SIGNING_KEY="", KESAI_SIGNING_KEY_FILE=key_file):
        call_command("create_signing_key", stdout=io.StringIO())
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_create_signing_key_refuses_to_replace_a_key(tmp_path):
    key_file = tmp_path / "signing-key.pem"
    key_file.write_bytes(generate_private_key_pem())
    before = hashlib.sha256(key_file.read_bytes()).hexdigest()
    with override(KESAI_SIGNING_KEY="", KESAI_SIGNING_KEY_FILE=key_file), pytest.raises(CommandError):
        call_command("create_signing_key")
    assert hashlib.sha256(key_file.read_bytes()).hexdigest() == before


def test_create_signing_key_with_force_replaces_the_key(tmp_path):
    key_file = tmp_path / "signing-key.pem"
    with override(KESAI_SIGNING_KEY="", KESAI_SIGNING_KEY_FILE=key_file):
        call_command("create_signing_key", stdout=io.StringIO())
        old = key_id()
        call_command("create_signing_key", "--force", stdout=io.StringIO())
        assert key_id() != old
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


# --- production settings ----------------------------------------------------------------------------------------


def import_production_settings(**environment: str) -> subprocess.CompletedProcess:
    """Import ``lms.settings.production`` in a fresh interpreter, with only the given signing variables set."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("KESAI_SIGNING")}
    env.update(SECRET_KEY="s" * 60, ALLOWED_HOSTS="kesai.example.edu.cn", **environment)
    return subprocess.run(
        [sys.executable, "-c", "import lms.settings.production"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_signing_key(tmp_path):
    result = import_production_settings(KESAI_SIGNING_KEY_FILE=str(tmp_path / "absent.pem"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "KESAI_SIGNING_KEY" in result.stderr


def test_production_settings_start_with_a_signing_key_in_the_environment(tmp_path):
    result = import_production_settings(
        KESAI_SIGNING_KEY=generate_private_key_pem().decode("ascii"),
        KESAI_SIGNING_KEY_FILE=str(tmp_path / "absent.pem"),
    )
    assert result.returncode == 0, result.stderr


# --- the published key -------------------------------------------------------------------------------------------


@pytest.mark.urls("tests.transcripts.urls_public")
def test_jwks_publishes_the_public_key_and_nothing_private(client):
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {"keys": [public_jwk()]}
    (published,) = response.json()["keys"]
    assert published["kid"] == key_id()
    assert {"kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA"}.items() <= published.items()
    assert "d" not in published


# --- rotating the key --------------------------------------------------------------------------------------------


@pytest.fixture
def rotated(tmp_path, settings):
    """The key in use is retired to a file with ``create_signing_key --retire-to`` and a new one replaces it.
    Returns the old key and the file of retired public keys (not yet named in the settings)."""
    old = load_signing_key()
    retired_file = tmp_path / "retired-signing-keys.pem"
    call_command("create_signing_key", force=True, retire_to=retired_file, stdout=io.StringIO())
    assert key_id(load_signing_key().public_key()) != key_id(old.public_key())
    return old, retired_file


def test_after_a_rotation_what_the_retired_key_signed_still_verifies(credential, rotated, settings):
    old, retired_file = rotated
    signed_before = sign_vc_jwt(credential, private_key=old)
    settings.KESAI_RETIRED_PUBLIC_KEYS_FILE = str(retired_file)
    assert verify_vc_jwt(signed_before) == credential
    assert verify_vc_jwt(sign_vc_jwt(credential)) == credential  # the new key signs from now on


def test_a_replaced_key_not_listed_as_retired_verifies_nothing_it_signed(credential, rotated):
    """What to do when a key leaked: replace it and do not list it, so its signatures no longer count."""
    old, _ = rotated
    with pytest.raises(UnknownSigningKey):
        verify_vc_jwt(sign_vc_jwt(credential, private_key=old))


def test_a_retired_key_does_not_lend_its_id_to_another_signature(credential, rotated, settings, other_key):
    old, retired_file = rotated
    settings.KESAI_RETIRED_PUBLIC_KEYS_FILE = str(retired_file)
    forged = handmade_token(
        header={"alg": "EdDSA", "typ": "JWT", "kid": key_id(old.public_key())},
        payload_segment=json_segment({**credential, **claims_for(credential)}),
        key=other_key,
    )
    with pytest.raises(BadSignature):
        verify_vc_jwt(forged)


@pytest.mark.urls("tests.transcripts.urls_public")
def test_jwks_publishes_the_current_key_first_then_the_retired_ones(client, rotated, settings):
    old, retired_file = rotated
    call_command("create_signing_key", force=True, retire_to=retired_file, stdout=io.StringIO())  # a second rotation
    settings.KESAI_RETIRED_PUBLIC_KEYS_FILE = str(retired_file)
    kids = [key["kid"] for key in client.get("/.well-known/jwks.json").json()["keys"]]
    assert len(kids) == 3
    assert kids[0] == key_id()
    assert kids[1] == key_id(old.public_key())
    assert all("d" not in key for key in client.get("/.well-known/jwks.json").json()["keys"])


@pytest.mark.parametrize(
    "content",
    [
        public_key_pem(Ed448PrivateKey.generate().public_key()),
        b"-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n",
    ],
    ids=["an Ed448 key", "not a key"],
)
def test_a_retired_keys_file_that_holds_no_ed25519_public_key_is_refused(tmp_path, settings, content):
    retired_file = tmp_path / "retired.pem"
    retired_file.write_bytes(content)
    settings.KESAI_RETIRED_PUBLIC_KEYS_FILE = str(retired_file)
    with pytest.raises(ImproperlyConfigured, match=r"Retired signing keys must be Ed25519|not a readable PEM"):
        verification_keys()


@pytest.mark.parametrize("kid", [[], {"a": 1}, 7, None])
def test_a_key_id_that_is_no_text_names_no_key(credential, kid):
    token = handmade_token(
        header={"alg": "EdDSA", "typ": "JWT", "kid": kid},
        payload_segment=json_segment({**credential, **claims_for(credential)}),
        key=load_signing_key(),
    )
    with pytest.raises(UnknownSigningKey):
        verify_vc_jwt(token)
