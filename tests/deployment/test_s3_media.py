"""Media on S3-compatible storage, as production runs it (docs/deployment.md, section 6).

The web process starts with production's settings (tests/production_settings.py) and AWS_STORAGE_BUCKET_NAME,
AWS_PRIVATE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY pointing at moto's S3
server on 127.0.0.1; lms/settings/base.py's S3 block builds STORAGES from them, and the models bind their storages
at import as they do on a server. What it proves, with the student's upload form, the download views, Wagtail's
images and the transcript services:

- a portfolio artefact's file is stored in the private bucket under ``private/``, never in the media bucket, and
  its owner downloads the same bytes through the application;
- a name that exists is never overwritten (``file_overwrite`` off), in either bucket;
- Wagtail images and their renditions are stored in the media bucket; their URLs are signed and expire
  (``querystring_auth``); no object carries a public ACL, so an unsigned request for any of them is refused;
- a rendered transcript PDF is stored privately, shows the school's logo read back from the media bucket, and its
  owner downloads exactly the stored bytes;
- with AWS_PRIVATE_BUCKET_NAME unset, private files go to the media bucket, still under ``private/``;
- nothing falls back to the local MEDIA_ROOT or PRIVATE_MEDIA_ROOT.
"""

import hashlib
import io
import shutil
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.deployment.harness import Deployment, clone_test_database, database_name, drop_database, files_under
from tests.deployment.steps import LOGO_COLOURS, LOGO_SIZE

# The deployment's processes need committed data: the first test copies the migrated test database for them.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.xdist_group("deployment-s3"),  # one worker runs the module's scenario, under --dist loadgroup
]

#: Two uploads, both named "Business plan.pdf" by the browser.
ARTEFACT_FILES = ["%PDF-1.4\n% first business plan\n%%EOF\n", "%PDF-1.4\n% second business plan\n%%EOF\n"]
ONE_DAY = 24 * 60 * 60
RED, BLUE = LOGO_COLOURS


@pytest.fixture
def deployment(once, s3, tmp_path_factory) -> Deployment:
    def install() -> Deployment:
        folder = tmp_path_factory.mktemp("s3-deployment")
        once.cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
        database_url = clone_test_database(database_name("_b"), folder)
        once.cleanup(lambda: drop_database(database_url))
        (folder / "media").mkdir()
        (folder / "private-media").mkdir()
        return Deployment(
            database_url=database_url,
            media_root=folder / "media",
            private_media_root=folder / "private-media",
            AWS_STORAGE_BUCKET_NAME=s3.media_bucket,
            AWS_PRIVATE_BUCKET_NAME=s3.private_bucket,
            AWS_S3_ENDPOINT_URL=s3.endpoint,
            AWS_ACCESS_KEY_ID=s3.access_key_id,
            AWS_SECRET_ACCESS_KEY=s3.secret_access_key,
        )

    return once("deployment", install)


@pytest.fixture
def flows(once, deployment) -> dict:
    return once("flows", lambda: deployment.run("media_flows", artefact_files=ARTEFACT_FILES))


def sha256(content: bytes | str) -> str:
    return hashlib.sha256(content.encode() if isinstance(content, str) else content).hexdigest()


def test_an_artefact_file_is_stored_under_private_in_the_private_bucket(flows, s3):
    private_keys, media_keys = s3.keys(s3.private_bucket), s3.keys(s3.media_bucket)
    assert len(flows["artefacts"]) == 2
    for artefact, content in zip(flows["artefacts"], ARTEFACT_FILES, strict=True):
        assert artefact["storage"] == "S3Storage"
        assert artefact["name"].startswith("portfolios/"), artefact
        assert f"private/{artefact['name']}" in private_keys
        assert not [key for key in media_keys if key.endswith(artefact["name"])]
        assert s3.read(s3.private_bucket, f"private/{artefact['name']}") == content.encode()


def test_two_uploads_with_the_same_file_name_get_their_own_keys(flows):
    first, second = flows["artefacts"]
    assert first["original_filename"] == second["original_filename"] == "Business plan.pdf"
    assert first["name"] != second["name"]


def test_the_owner_downloads_an_artefact_file_through_the_application(flows):
    assert [artefact["downloaded_sha256"] for artefact in flows["artefacts"]] == [sha256(f) for f in ARTEFACT_FILES]


@pytest.mark.parametrize(("alias", "bucket", "prefix"), [("default", "media", ""), ("private", "private", "private/")])
def test_saving_under_a_name_that_exists_never_overwrites_it(flows, s3, alias, bucket, prefix):
    bucket = {"media": s3.media_bucket, "private": s3.private_bucket}[bucket]
    first, second = flows["same_name"][alias]
    assert first == "deployment/same-name.txt"
    assert second != first
    assert second.startswith("deployment/same-name")
    assert s3.read(bucket, prefix + first) == b"first"
    assert s3.read(bucket, prefix + second) == b"second"


def test_wagtail_images_and_their_renditions_are_stored_in_the_media_bucket(flows, s3):
    media_keys, private_keys = s3.keys(s3.media_bucket), s3.keys(s3.private_bucket)
    images, rendition = flows["images"], flows["rendition"]
    names = [image["name"] for image in images] + [rendition["name"]]
    assert names[0].startswith("original_images/kesai-logo") and names[1].startswith("original_images/kesai-logo")
    assert names[2].startswith("images/kesai-logo")
    assert names[0] != names[1]  # the same upload name twice: two objects
    for name in names:
        assert name in media_keys
        assert not [key for key in private_keys if key.endswith(name)]
    colours = [Image.open(io.BytesIO(s3.read(s3.media_bucket, name))).convert("RGB").getpixel((0, 0)) for name in names]
    assert colours == [RED, BLUE, RED]  # the first logo was not overwritten by the second


def test_media_urls_are_signed_expiring_links_to_the_bucket(flows, s3):
    endpoint = urlsplit(s3.endpoint)
    for signature in flows["signatures"]:
        assert signature["version"] == "AWS4-HMAC-SHA256", signature  # SigV4: newer AWS regions refuse SigV2
        assert signature["signed"], signature
        assert 0 < signature["expires_in"] <= ONE_DAY, signature  # django-storages' default: an hour
    for shown in (flows["images"][0], flows["rendition"]):
        name, url = shown["name"], shown["url"]
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == (endpoint.scheme, endpoint.netloc)
        assert parts.path.endswith(f"/{s3.media_bucket}/{name}"), url
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (moto on 127.0.0.1)
            assert response.read() == s3.read(s3.media_bucket, name)
        # Without its signature the same address is refused: the object is not public.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(parts._replace(query="").geturl(), timeout=10)  # noqa: S310
        assert refused.value.code == 403


def test_no_stored_object_is_public(flows, s3):
    objects = [(bucket, key) for bucket in (s3.media_bucket, s3.private_bucket) for key in s3.keys(bucket)]
    assert len(objects) >= 10  # 2 artefacts, 4 same-name saves, 2 images, 1 rendition, 1 transcript
    assert {(bucket, key): s3.public_grants(bucket, key) for bucket, key in objects} == {
        (bucket, key): [] for bucket, key in objects
    }
    refusals = {}
    for bucket, key in objects:
        try:
            urllib.request.urlopen(f"{s3.endpoint}/{bucket}/{key}", timeout=10).close()  # noqa: S310 (unsigned)
        except urllib.error.HTTPError as error:
            refusals[bucket, key] = error.code
    assert refusals == dict.fromkeys(objects, 403)


def test_a_rendered_transcript_is_stored_privately_and_its_owner_downloads_the_same_bytes(flows, s3):
    transcript = flows["transcript"]
    assert transcript["render_status"] == "done"
    assert transcript["name"].startswith("transcripts/"), transcript
    assert f"private/{transcript['name']}" in s3.keys(s3.private_bucket)
    assert not [key for key in s3.keys(s3.media_bucket) if key.endswith(transcript["name"])]
    stored = s3.read(s3.private_bucket, f"private/{transcript['name']}")
    assert stored.startswith(b"%PDF-")
    assert sha256(stored) == transcript["pdf_sha256"]
    assert transcript["status"] == 200
    assert transcript["content_disposition"].startswith("attachment")
    assert transcript["downloaded_bytes"] == len(stored)
    assert transcript["downloaded_sha256"] == sha256(stored)


def test_the_transcript_shows_the_logo_read_from_the_media_bucket(flows, s3):
    pdf = PdfReader(io.BytesIO(s3.read(s3.private_bucket, f"private/{flows['transcript']['name']}")))
    sizes = {image.image.size for page in pdf.pages for image in page.images}
    assert LOGO_SIZE in sizes, sizes


def test_private_files_go_to_the_media_bucket_when_no_private_bucket_is_named(deployment, s3):
    found = deployment.without("AWS_PRIVATE_BUCKET_NAME").run("private_file_without_private_bucket")
    assert found["bucket"] == s3.media_bucket
    assert f"private/{found['name']}" in s3.keys(s3.media_bucket)
    assert s3.read(s3.media_bucket, f"private/{found['name']}") == b"private"


def test_nothing_is_written_to_the_local_media_folders(flows, deployment):
    assert files_under(deployment.media_root) == []
    assert files_under(deployment.private_media_root) == []
