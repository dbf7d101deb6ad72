"""The transcript's URL fetcher reads only our own static and public media files, and never the network.

A local HTTP server on 127.0.0.1 (a thread in this process) stands in for "the network": it serves a PNG and
redirects to file:///etc/passwd, and counts requests. Every test that names it asserts it was never asked.
Outgoing connections are also refused at the socket for the whole module, so a fetch that tried one would fail
loudly rather than quietly reach a real host.
"""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image
from pypdf import PdfReader

from portfolios.transcripts import pdf as transcript_pdf
from portfolios.transcripts.fetcher import ProjectFilesFetcher, RefusedURL
from tests.transcripts.samples import sample_snapshot

SITE = "https://kesai.example.edu.cn/"
STYLESHEET = "portfolios/css/transcript.css"


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


class Network:
    """A local web server that records every request it receives."""

    def __init__(self):
        self.requests: list[str] = []
        network = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                network.requests.append(self.path)
                if self.path.startswith("/redirect"):
                    self.send_response(302)
                    self.send_header("Location", "file:///etc/passwd")
                    self.end_headers()
                    return
                body = png_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def network():
    with Network() as server:
        yield server


@pytest.fixture(autouse=True)
def no_outgoing_connections(monkeypatch):
    """Any attempt to connect out fails the test (the local server only accepts, it never connects)."""
    attempts: list[object] = []

    def refuse(self, address):
        attempts.append(address)
        raise AssertionError(f"the fetcher tried to connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield
    assert attempts == []


def test_the_local_server_answers_when_asked_directly(network, monkeypatch):
    # The control for "the server got no request": a real fetch does reach it.
    monkeypatch.undo()
    from urllib.request import urlopen

    with urlopen(f"{network.url}x.png", timeout=5) as response:  # noqa: S310 - the local test server
        assert response.read() == png_bytes()
    assert network.requests == ["/x.png"]


@pytest.fixture
def fetcher() -> ProjectFilesFetcher:
    return ProjectFilesFetcher(base_url=SITE)


def test_file_url_is_refused(fetcher):
    with pytest.raises(RefusedURL):
        fetcher.fetch("file:///etc/passwd")


def test_loopback_http_is_refused_without_a_request(fetcher, network):
    with pytest.raises(RefusedURL):
        fetcher.fetch(network.url)
    assert network.requests == []


def test_external_https_is_refused(fetcher):
    with pytest.raises(RefusedURL):
        fetcher.fetch("https://example.com/x.png")


def test_redirecting_url_is_refused_without_a_request(fetcher, network):
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"{network.url}redirect")
    assert network.requests == []


def test_static_path_on_another_host_is_refused_without_a_request(fetcher, network):
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"{network.url}static/{STYLESHEET}")
    assert network.requests == []


def test_our_own_origin_is_read_from_disk_not_from_the_network(network):
    fetcher = ProjectFilesFetcher(base_url=network.url)
    response = fetcher.fetch(f"{network.url}static/{STYLESHEET}")
    assert response.read() == Path(finders.find(STYLESHEET)).read_bytes()
    assert network.requests == []


def test_other_paths_on_our_own_host_are_refused(fetcher):
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"{SITE}admin/")


def test_other_schemes_are_refused(fetcher):
    with pytest.raises(RefusedURL):
        fetcher.fetch("ftp://kesai.example.edu.cn/static/portfolios/css/transcript.css")


def test_data_uri_is_decoded(fetcher):
    response = fetcher.fetch("data:text/plain;base64,5L2g5aW9")
    assert response.read().decode() == "你好"
    assert response.content_type == "text/plain"


def test_static_file_is_served_as_css(fetcher):
    response = fetcher.fetch(f"{SITE}static/{STYLESHEET}")
    assert response.read() == Path(finders.find(STYLESHEET)).read_bytes()
    assert response.content_type == "text/css"


@pytest.fixture
def media_root() -> Path:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def test_public_media_file_is_served(fetcher, media_root):
    (media_root / "transcript-logo.png").write_bytes(png_bytes())
    response = fetcher.fetch(f"{SITE}media/transcript-logo.png")
    assert response.read() == png_bytes()
    assert response.content_type == "image/png"


@pytest.mark.parametrize(
    "path",
    [
        "media/../private-media/secret.txt",
        "media/%2e%2e/private-media/secret.txt",
        "media/%2E%2E%2Fprivate-media%2Fsecret.txt",
        "media//etc/passwd",
        "media/%2Fetc%2Fpasswd",
        "media/.%2Fsecret.txt",
        "media/..%5C..%5Cetc%5Cpasswd",
        "static/../../../etc/passwd",
        "static/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_paths_leading_out_of_static_and_media_are_refused(fetcher, media_root, path):
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"{SITE}{path}")


def test_symlink_out_of_media_is_refused(fetcher, media_root):
    link = media_root / "passwd-link.txt"
    link.unlink(missing_ok=True)
    link.symlink_to("/etc/passwd")
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"{SITE}media/passwd-link.txt")


def test_private_media_is_not_served(fetcher, media_root):
    private_root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    private_root.mkdir(parents=True, exist_ok=True)
    (private_root / "only-for-the-owner.txt").write_text("secret")
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"{SITE}media/only-for-the-owner.txt")


def test_missing_file_is_refused(fetcher):
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"{SITE}static/portfolios/css/no-such-file.css")


# --- Through a whole rendering -----------------------------------------------------------------------------------


class RecordingFetcher(ProjectFilesFetcher):
    """The transcript's fetcher, recording every URL it was asked for and whether it answered."""

    asked: list[tuple[str, bool]] = []

    def fetch(self, url, headers=None):
        try:
            response = super().fetch(url, headers)
        except Exception:
            self.asked.append((url, False))
            raise
        self.asked.append((url, True))
        return response


@pytest.fixture
def recording(monkeypatch) -> list[tuple[str, bool]]:
    RecordingFetcher.asked = []
    monkeypatch.setattr(transcript_pdf, "ProjectFilesFetcher", RecordingFetcher)
    return RecordingFetcher.asked


def hostile_snapshot(server_url: str) -> dict:
    """Student-provided text carrying every way HTML and CSS name a URL."""
    snapshot = sample_snapshot(language="en", competencies=2, evidence_per_competency=1)
    snapshot["student"]["name"] = f'<img src="{server_url}student.png"> 陈小红'
    snapshot["programme"]["name"] = f'" style="background: url({server_url}programme.png)'
    snapshot["competencies"][0]["name"] = f"<style>@import url({server_url}style.css);</style>"
    snapshot["competencies"][1]["name"] = '<img src="file:///etc/passwd">'
    snapshot["competencies"][0]["evidence"][0]["source"] = f'<link rel="stylesheet" href="{server_url}redirect">'
    snapshot["competencies"][0]["evidence"][0]["url"] = "file:///etc/passwd"
    snapshot["awards"][0]["title"] = f'<a rel="attachment" href="{server_url}redirect">prize</a>'
    snapshot["certificates"][0]["title"] = '<svg><image href="https://example.com/x.png"/></svg>'
    return snapshot


def image_count(pdf: bytes) -> int:
    """How many distinct raster images the PDF holds (pages may share one; the QR code is vector)."""
    reader = PdfReader(BytesIO(pdf))
    return len(
        {
            xobject.idnum
            for page in reader.pages
            for xobject in (page["/Resources"].get("/XObject") or {}).values()
            if xobject.get_object()["/Subtype"] == "/Image"
        }
    )


def render(snapshot: dict, **kwargs) -> bytes:
    return transcript_pdf.render_transcript_pdf(
        snapshot=snapshot,
        verification_url=f"{SITE}transcripts/verify/ABC/",
        verification_code="ABC",
        credential_jwt="a.b.c",
        base_url=kwargs.pop("base_url", SITE),
        **kwargs,
    )


def test_markup_in_student_content_fetches_nothing(network, recording):
    pdf = render(hostile_snapshot(network.url))
    assert network.requests == []
    assert [url for url, answered in recording if answered and not url.startswith(("data:", f"{SITE}static/"))] == []
    assert image_count(pdf) == 0


def test_markup_in_student_content_is_printed_as_text(network, recording):
    pdf = render(hostile_snapshot(network.url))
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).replace("\n", "")
    assert f'<img src="{network.url}student.png"> 陈小红' in text


def test_markup_in_student_content_is_not_even_asked_for(network, recording):
    render(hostile_snapshot(network.url))
    asked = [url for url, _ in recording]
    assert [url for url in asked if "127.0.0.1" in url or "passwd" in url or "example.com" in url] == []


def test_site_on_the_loopback_server_still_reads_from_disk(network, recording):
    # Even when the site's own address is the local server, the stylesheet is read from disk.
    render(sample_snapshot(competencies=1, evidence_per_competency=0), base_url=network.url)
    assert (f"{network.url}static/{STYLESHEET}", True) in recording
    assert network.requests == []


def test_logo_from_media_is_embedded(media_root, recording):
    # The control for "no embedded image": an image the fetcher may serve does end up in the PDF.
    (media_root / "school-logo.png").write_bytes(png_bytes())
    pdf = render(
        sample_snapshot(competencies=1, evidence_per_competency=0), branding={"logo_url": "/media/school-logo.png"}
    )
    assert image_count(pdf) == 1


@pytest.mark.parametrize("logo_url", ["file:///etc/passwd", "https://example.com/logo.png", "/media/../../etc/passwd"])
def test_logo_outside_our_files_is_left_out(recording, logo_url):
    pdf = render(sample_snapshot(competencies=1, evidence_per_competency=0), branding={"logo_url": logo_url})
    assert image_count(pdf) == 0
    assert not any(answered for url, answered in recording if "passwd" in url or "example.com" in url)
