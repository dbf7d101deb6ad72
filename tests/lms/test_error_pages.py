"""The site's 500 handler: 503 with Retry-After while the database is out of reach, else 500."""

import pytest
from django.db import InterfaceError, OperationalError

from portfolios.transcripts import selectors

pytestmark = pytest.mark.django_db

PAGE = "/transcripts/verify/ABCD-EFGH/"  # public, and looks the code up in the database


@pytest.fixture
def client(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("error", [OperationalError("connection refused"), InterfaceError("connection already closed")])
def test_a_database_out_of_reach_answers_503_asking_to_retry(client, monkeypatch, error):
    def unreachable(**kwargs):
        raise error

    monkeypatch.setattr(selectors, "verify_code", unreachable)
    response = client.get(PAGE)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "The site is briefly unavailable" in response.content.decode()
    assert "it was not saved" in response.content.decode()


def test_the_503_page_speaks_chinese_to_a_chinese_browser(client, monkeypatch):
    monkeypatch.setattr(selectors, "verify_code", lambda **kwargs: (_ for _ in ()).throw(OperationalError()))
    response = client.get(PAGE, headers={"accept-language": "zh-hans"})
    assert response.status_code == 503
    assert "网站暂时无法访问" in response.content.decode()


def test_any_other_error_is_a_500_without_retry_after(client, monkeypatch):
    def broken(**kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(selectors, "verify_code", broken)
    response = client.get(PAGE)
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    assert "Something went wrong on our side" in response.content.decode()
