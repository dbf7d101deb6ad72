"""The one sanitiser: what survives and what never does."""

import pytest

from themes.sanitiser import sanitise_html
from themes.templatetags.themes_tags import person_name, rich_text

PAYLOADS = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<div onclick=alert(1)>hi</div>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<<script>script>alert(1)<</script>/script>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_executable_survives(payload):
    cleaned = str(sanitise_html(payload)).lower()
    for marker in ("<script", "onerror", "onload", "onclick", "javascript:", "<iframe", "<svg", "data:text", "<style"):
        assert marker not in cleaned


def test_script_content_is_dropped_not_shown_as_text():
    assert str(sanitise_html("<p>Hi<script>alert(1)</script></p>")) == "<p>Hi</p>"


def test_ordinary_formatting_and_links_survive():
    html = '<p><strong>跨境电商</strong> <a href="https://example.edu/x">link</a></p><ul><li>一</li></ul>'
    cleaned = str(sanitise_html(html))
    assert "<strong>跨境电商</strong>" in cleaned
    assert 'href="https://example.edu/x"' in cleaned
    assert 'rel="nofollow noopener"' in cleaned
    assert "<li>一</li>" in cleaned


def test_rich_text_filter_sanitises_strings():
    assert str(rich_text('<p onclick="x()">a</p>')) == "<p>a</p>"


class Person:
    def __init__(self, first, last, username="u1"):
        self.first_name, self.last_name, self.username = first, last, username

    def get_username(self):
        return self.username


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [("华", "李", "李华"), ("Hua", "Li", "Hua Li"), ("", "", "u1"), ("娜娜", "欧阳", "欧阳娜娜")],
)
def test_names_are_shown_in_their_own_order(first, last, expected):
    assert person_name(Person(first, last)) == expected
