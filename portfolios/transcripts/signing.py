"""The issuer's Ed25519 key, and transcript credentials signed with it as VC-JWT (compact JWS, ``alg`` EdDSA).

Format chosen: the JSON Web Token proof format of Open Badges 3.0 / CLR 2.0 (section "JSON Web Token Proof
Format", which profiles VC-JOSE-COSE for the VC Data Model 2.0). The JWS payload is the credential JSON itself,
with the registered claims OB 3.0 requires added beside it: ``iss`` (issuer.id), ``jti`` (id), ``nbf``
(validFrom as NumericDate), ``sub`` (credentialSubject.id) and ``exp`` if there is a validUntil. The JOSE header
is ``{"alg": "EdDSA", "typ": "JWT", "kid": <key id>}``: ``typ`` is "JWT" because OB 3.0 says it MUST be "JWT" if
present and allows no other headers (VC-JOSE-COSE's "vc+jwt" would break that). The key id is the RFC 7638
thumbprint of the public JWK, the same ``kid`` the issuer publishes in its JWKS.

Why not a Data Integrity proof (eddsa-rdfc-2022): it needs JSON-LD expansion and RDF canonicalisation with every
context document at hand, which few libraries do and none offline without extra set-up; a compact JWS with EdDSA
is checked by any JOSE library (PyJWT, jose, Nimbus, go-jose) with nothing but the public key, offline. The
price: 1EdTech's public validator checks only RS256 JWT proofs, so it validates our JSON against the schemas but
cannot check this signature.

Keys: ``KESAI_SIGNING_KEY`` (the PEM text, from the environment) wins over ``KESAI_SIGNING_KEY_FILE``. With
``KESAI_SIGNING_KEY_AUTOCREATE`` (dev and tests) a missing key file is created on first use. Replacing the key
makes every transcript signed with the old one fail verification; keep it for the life of the site.
"""

import base64
import binascii
import hashlib
import json
import os
import re
import secrets
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "EdDSA"
HEADER_TYPE = "JWT"
ALLOWED_HEADERS = frozenset({"alg", "kid", "typ"})
#: Clock skew tolerated when checking ``nbf`` and ``exp``.
LEEWAY_SECONDS = 60

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


class InvalidCredential(ValueError):
    """The token is not a credential this issuer signed, unchanged. Subclasses say why."""


class MalformedCredential(InvalidCredential):
    pass


class UnsupportedAlgorithm(InvalidCredential):
    pass


class UnknownSigningKey(InvalidCredential):
    pass


class BadSignature(InvalidCredential):
    pass


class ClaimsMismatch(InvalidCredential):
    pass


class NotYetValid(InvalidCredential):
    pass


class Expired(InvalidCredential):
    pass


# --- keys --------------------------------------------------------------------------------------------------


def generate_private_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def write_signing_key(*, path: Path, force: bool = False) -> Ed25519PrivateKey:
    """Write a new key to ``path`` (mode 0600) and return it.

    Raises ``FileExistsError`` if a key is there already and ``force`` is false. The file appears whole or not at
    all: it is written beside its final name and then linked (or, with ``force``, renamed) into place, so a
    process reading the key never sees half a file and two processes creating it at once end up with one key.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = generate_private_key_pem()
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        if force:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return _parse_private_key(pem)


def load_signing_key() -> Ed25519PrivateKey:
    """The issuer's private key, from ``KESAI_SIGNING_KEY`` or else ``KESAI_SIGNING_KEY_FILE``."""
    pem_text = settings.KESAI_SIGNING_KEY
    if pem_text:
        if "\\n" in pem_text and "\n" not in pem_text:
            pem_text = pem_text.replace("\\n", "\n")  # a PEM pasted into a one-line environment file
        return _parse_private_key(pem_text.strip().encode("ascii") + b"\n")
    path = Path(settings.KESAI_SIGNING_KEY_FILE)
    try:
        return _parse_private_key(path.read_bytes())
    except FileNotFoundError:
        if not settings.KESAI_SIGNING_KEY_AUTOCREATE:
            raise ImproperlyConfigured(
                f"No transcript signing key: set KESAI_SIGNING_KEY, or create {path} with "
                "`manage.py create_signing_key`."
            ) from None
    try:
        return write_signing_key(path=path)
    except FileExistsError:  # another process created it first
        return _parse_private_key(path.read_bytes())


def retired_public_keys() -> list[Ed25519PublicKey]:
    """The public keys of earlier signing keys (``KESAI_RETIRED_PUBLIC_KEYS_FILE``, PEM blocks one after another).

    Transcripts signed with them still verify, and the JWKS publishes them, so a key can be replaced without
    breaking what it signed. A key that leaked must not be listed: everything it signed then fails verification.
    """
    path = settings.KESAI_RETIRED_PUBLIC_KEYS_FILE
    return list(_parse_public_keys(Path(path).read_bytes())) if path else []


@lru_cache(maxsize=8)
def _parse_public_keys(pem_blocks: bytes) -> tuple[Ed25519PublicKey, ...]:
    keys = []
    for block in re.findall(rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", pem_blocks, flags=re.S):
        try:
            key = serialization.load_pem_public_key(block + b"\n")
        except ValueError as error:
            raise ImproperlyConfigured(f"A retired signing key is not a readable PEM public key: {error}") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ImproperlyConfigured("Retired signing keys must be Ed25519 public keys.")
        keys.append(key)
    return tuple(keys)


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        encoding=serialization.Encoding.PEM, format=serialization.PublicFormat.SubjectPublicKeyInfo
    )


def verification_keys() -> dict[str, Ed25519PublicKey]:
    """Every key this issuer's transcripts may be signed with, by key id: the current one first, then retired ones."""
    current = load_signing_key().public_key()
    return {key_id(key): key for key in (current, *retired_public_keys())}


@lru_cache(maxsize=8)
def _parse_private_key(pem: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"The transcript signing key is not a readable PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("The transcript signing key must be an Ed25519 key.")
    return key


def _public(public_key: Ed25519PublicKey | None) -> Ed25519PublicKey:
    return public_key if public_key is not None else load_signing_key().public_key()


def _raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey | None = None) -> str:
    """RFC 7638 thumbprint: base64url(SHA-256) of the JWK's required members, sorted, without whitespace."""
    members = {"crv": "Ed25519", "kty": "OKP", "x": _b64encode(_raw_public_bytes(_public(public_key)))}
    canonical = json.dumps(members, sort_keys=True, separators=(",", ":")).encode("ascii")
    return _b64encode(hashlib.sha256(canonical).digest())


def public_jwk(public_key: Ed25519PublicKey | None = None) -> dict:
    """The public key as a JWK (RFC 8037), as published in the issuer's JWKS. Never contains ``d``."""
    public_key = _public(public_key)
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": _b64encode(_raw_public_bytes(public_key)),
        "kid": key_id(public_key),
        "use": "sig",
        "alg": ALGORITHM,
    }


# --- signing and verifying ---------------------------------------------------------------------------------


def sign_vc_jwt(credential: dict, *, private_key: Ed25519PrivateKey | None = None) -> str:
    """The credential as a compact JWS: payload = the credential plus its registered JWT claims."""
    private_key = private_key if private_key is not None else load_signing_key()
    header = {"alg": ALGORITHM, "typ": HEADER_TYPE, "kid": key_id(private_key.public_key())}
    payload = {**credential, **_registered_claims(credential)}
    signing_input = f"{_b64encode(_json_bytes(header))}.{_b64encode(_json_bytes(payload))}"
    signature = private_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{_b64encode(signature)}"


def verify_vc_jwt(
    token: str | bytes, *, public_key: Ed25519PublicKey | None = None, now: datetime | None = None
) -> dict:
    """The credential a token carries, if this issuer signed it and nothing changed; else ``InvalidCredential``.

    Checks, in order: three canonical base64url segments; a header of only ``alg`` EdDSA, ``typ`` JWT and our
    ``kid``; the Ed25519 signature; registered claims equal to the credential's own fields (OB 3.0's rule);
    ``nbf`` reached and ``exp`` not passed. Returns the credential without the registered claims.

    Without ``public_key``, the key is the one the header's ``kid`` names among :func:`verification_keys` (the
    current key and the retired ones).
    """
    if isinstance(token, bytes):
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError:
            raise MalformedCredential("The token is not ASCII text.") from None
    segments = token.strip().split(".")
    if len(segments) != 3:
        raise MalformedCredential("A compact JWS has three dot-separated parts.")
    header_segment, payload_segment, signature_segment = segments
    header = _json_object(_b64decode(header_segment), part="header")
    if header.get("alg") != ALGORITHM:
        raise UnsupportedAlgorithm(f"Only {ALGORITHM} is accepted, not {header.get('alg')!r}.")
    if set(header) - ALLOWED_HEADERS:
        raise MalformedCredential(f"Unexpected JOSE headers: {sorted(set(header) - ALLOWED_HEADERS)}.")
    if header.get("typ", HEADER_TYPE) != HEADER_TYPE:
        raise MalformedCredential(f"The token type must be {HEADER_TYPE!r}.")
    public_key = _key_named(header, public_key)
    if public_key is None:
        raise UnknownSigningKey("The token names a key this issuer does not hold.")
    try:
        public_key.verify(_b64decode(signature_segment), f"{header_segment}.{payload_segment}".encode("ascii"))
    except InvalidSignature:
        raise BadSignature("The signature does not match the content.") from None
    payload = _json_object(_b64decode(payload_segment), part="payload")
    credential = {name: value for name, value in payload.items() if name not in _CLAIM_NAMES}
    try:
        expected = _registered_claims(credential)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ClaimsMismatch("The credential lacks the fields its claims are taken from.") from None
    signed = {name: payload[name] for name in _CLAIM_NAMES if name in payload}
    if signed != expected:
        raise ClaimsMismatch("The JWT claims disagree with the credential.")
    moment = int((now or datetime.now(UTC)).timestamp())
    if moment + LEEWAY_SECONDS < expected["nbf"]:
        raise NotYetValid("The credential is not valid yet.")
    if "exp" in expected and moment - LEEWAY_SECONDS >= expected["exp"]:
        raise Expired("The credential has expired.")
    return credential


def _key_named(header: dict, public_key: Ed25519PublicKey | None) -> Ed25519PublicKey | None:
    """The key to check a token with: the one its ``kid`` names among ours (or ``public_key``, if given), the
    current key when it names none; ``None`` when it names a key we do not hold (or is not text)."""
    if "kid" not in header:
        return public_key or load_signing_key().public_key()
    kid = header["kid"]
    if not isinstance(kid, str):
        return None
    if public_key is not None:
        return public_key if kid == key_id(public_key) else None
    return verification_keys().get(kid)


_CLAIM_NAMES = ("iss", "jti", "nbf", "sub", "exp")


def _registered_claims(credential: dict) -> dict:
    issuer = credential["issuer"]
    claims = {
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": credential["id"],
        "nbf": _numeric_date(credential["validFrom"]),
    }
    subject = credential.get("credentialSubject")
    if isinstance(subject, dict) and "id" in subject:
        claims["sub"] = subject["id"]
    if "validUntil" in credential:
        claims["exp"] = _numeric_date(credential["validUntil"])
    return claims


def _numeric_date(value: str) -> int:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("Credential dates must carry a time zone.")
    return int(moment.timestamp())


# --- encoding ----------------------------------------------------------------------------------------------


def _json_bytes(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(segment: str) -> bytes:
    """Strict base64url: no padding, no stray characters, and only the one encoding of each byte string.

    The last character of a segment carries unused bits; without the round-trip check, changing them would
    leave the decoded signature, and so its verification, unchanged.
    """
    if not _BASE64URL.fullmatch(segment):
        raise MalformedCredential("A token part is not base64url.")
    try:
        data = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise MalformedCredential("A token part is not base64url.") from None
    if _b64encode(data) != segment:
        raise MalformedCredential("A token part is not canonical base64url.")
    return data


def _json_object(data: bytes, *, part: str) -> dict:
    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=_without_duplicates, parse_constant=_refuse)
    except (UnicodeDecodeError, ValueError):
        raise MalformedCredential(f"The {part} is not JSON.") from None
    if not isinstance(value, dict):
        raise MalformedCredential(f"The {part} is not a JSON object.")
    return value


def _without_duplicates(pairs: list[tuple[str, object]]) -> dict:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise ValueError("duplicate member name")
    return value


def _refuse(constant: str) -> float:
    raise ValueError(f"{constant} is not JSON")
