"""The round page shows public results; its queries do not grow with the number of teams."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competitions.models import RoundFinalisation, RoundResult
from tests.competitions.judging_fixtures import build_round, make_team

pytestmark = pytest.mark.django_db


def finalised_round(teams: int):
    setup = build_round()
    setup.round_page.results_visibility = "public"
    setup.round_page.save_revision().publish()
    finalisation = RoundFinalisation.objects.create(round=setup.round_page, finalised_by=setup.organiser)
    for rank in range(1, teams + 1):
        team = make_team(setup, name=f"Team {rank:03d}")
        RoundResult.objects.create(finalisation=finalisation, team=team, total=Decimal(100 - rank), rank=rank)
    return setup


def test_public_results_are_listed_in_rank_order(client):
    setup = finalised_round(3)
    body = client.get(setup.round_page.url).content.decode()
    assert body.index("Team 001") < body.index("Team 002") < body.index("Team 003")
    assert "99.00" in body


def test_round_page_queries_equal_at_5_and_50_teams(client, django_assert_num_queries):
    small, large = finalised_round(5), finalised_round(50)
    client.get(small.round_page.url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(small.round_page.url).status_code == 200
    with django_assert_num_queries(len(few)):
        assert client.get(large.round_page.url).status_code == 200
