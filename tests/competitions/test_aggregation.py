"""Aggregation formulas against hand-computed numbers (the same example as docs/judging.md)."""

from decimal import Decimal

import pytest

from competitions.services.aggregation import (
    apply_penalty,
    mean,
    population_sd,
    round_points,
    task_score,
    trimmed_mean,
    z_scores,
)

D = Decimal


def test_mean_of_three_judges():
    # (7 + 8 + 8) / 3 = 23 / 3 = 7.666… → 7.67
    assert round_points(mean([D("7"), D("8"), D("8")])) == D("7.67")


def test_rounding_is_half_up_and_only_at_the_end():
    # (2.34 + 2.35) / 2 = 2.345 exactly → 2.35 (half up; banker's rounding would give 2.34)
    assert mean([D("2.34"), D("2.35")]) == D("2.345")
    assert round_points(mean([D("2.34"), D("2.35")])) == D("2.35")


def test_mean_of_no_scores_is_an_error():
    with pytest.raises(ValueError):
        mean([])


def test_trimmed_mean_with_three_judges_drops_highest_and_lowest():
    # sorted 4, 7, 9 → drop 4 and 9 → 7
    assert trimmed_mean([D("9"), D("4"), D("7")]) == D("7")


def test_trimmed_mean_with_four_judges():
    # sorted 3, 5, 8, 10 → drop 3 and 10 → (5 + 8) / 2 = 6.5
    assert trimmed_mean([D("10"), D("3"), D("8"), D("5")]) == D("6.5")


def test_trimmed_mean_with_two_judges_is_the_mean():
    # fewer than 3: (6 + 9) / 2 = 7.5
    assert trimmed_mean([D("6"), D("9")]) == D("7.5")


def test_population_standard_deviation():
    # 2, 4, 4, 4, 5, 5, 7, 9: μ = 5; Σ(s − μ)² = 9+1+1+1+0+0+4+16 = 32; 32 / 8 = 4; √4 = 2
    assert population_sd([D(v) for v in (2, 4, 4, 4, 5, 5, 7, 9)]) == D("2")


def test_z_score_two_judges_three_teams_worked_example():
    """Criterion out of 20. Judge A is lenient (11, 14, 17), judge B strict (8, 2, 14).

    A: μ_A = 14, σ_A = √((9 + 0 + 9) / 3) = √6;   z_A = (−3/√6, 0, 3/√6) = (−√1.5, 0, √1.5)
    B: μ_B = 8,  σ_B = √((0 + 36 + 36) / 3) = √24; z_B = (0, −6/√24, 6/√24) = (0, −√1.5, √1.5)
    z̄: T1 = −√1.5 / 2, T2 = −√1.5 / 2, T3 = √1.5
    All six scores 11, 14, 17, 8, 2, 14: μ = 66 / 6 = 11; Σ(s − μ)² = 0 + 9 + 36 + 9 + 81 + 9 = 144;
    σ = √(144 / 6) = √24;  σ·√1.5 = √36 = 6
    p_T1 = 11 − 6/2 = 8;  p_T2 = 11 − 6/2 = 8;  p_T3 = 11 + 6 = 17
    (The plain mean would give T1 = 9.5, T2 = 8, T3 = 15.5: T1 profited from the lenient judge.)
    """
    points = z_scores({"A": {"T1": D(11), "T2": D(14), "T3": D(17)}, "B": {"T1": D(8), "T2": D(2), "T3": D(14)}},
                      max_points=D(20))  # fmt: skip
    assert {team: round_points(value) for team, value in points.items()} == {
        "T1": D("8.00"),
        "T2": D("8.00"),
        "T3": D("17.00"),
    }


def test_z_score_judge_without_spread_pulls_towards_the_middle():
    """Out of 10. A: T1 = 0, T2 = 10 → μ_A = 5, σ_A = 5, z_A = (−1, 1). B: T1 = 10, T2 = 10 → σ_B = 0 → z_B = 0.
    z̄: T1 = (−1 + 0)/2 = −0.5, T2 = (1 + 0)/2 = 0.5. All scores 0, 10, 10, 10: μ = 7.5;
    Σ(s − μ)² = 56.25 + 3·6.25 = 75; σ = √(75/4) = √18.75 = 4.330127…
    p_T1 = 7.5 − 0.5·4.330127 = 5.334936… → 5.33;  p_T2 = 7.5 + 2.165064 = 9.665064… → 9.67
    """
    points = z_scores({"A": {"T1": D(0), "T2": D(10)}, "B": {"T1": D(10), "T2": D(10)}}, max_points=D(10))
    assert round_points(points["T1"]) == D("5.33")
    assert round_points(points["T2"]) == D("9.67")


def test_z_score_above_the_criterion_points_is_clamped():
    """Out of 10. A: T1 = 0, T2 = 10 → z_A = (−1, 1). B: T1 = 9, T2 = 10 → μ_B = 9.5, σ_B = 0.5, z_B = (−1, 1).
    z̄: T1 = −1, T2 = 1. All scores 0, 10, 9, 10: μ = 29/4 = 7.25;
    Σ(s − μ)² = 52.5625 + 7.5625 + 3.0625 + 7.5625 = 70.75; σ = √(70.75/4) = √17.6875 = 4.205651…
    p_T1 = 7.25 − 4.205651 = 3.044349… → 3.04;  p_T2 = 7.25 + 4.205651 = 11.455651… → clamped to 10
    """
    points = z_scores({"A": {"T1": D(0), "T2": D(10)}, "B": {"T1": D(9), "T2": D(10)}}, max_points=D(10))
    assert round_points(points["T1"]) == D("3.04")
    assert points["T2"] == D(10)


def test_z_score_with_a_single_judge_returns_the_raw_scores():
    # one judge: μ_j = μ and σ_j = σ, so μ + z·σ = s: 0, 0, 10 stay 0, 0, 10
    points = z_scores({"A": {"T1": D(0), "T2": D(0), "T3": D(10)}}, max_points=D(10))
    assert {team: round_points(value) for team, value in points.items()} == {
        "T1": D("0.00"),
        "T2": D("0.00"),
        "T3": D("10.00"),
    }


def test_z_score_judge_with_one_team_or_equal_scores_contributes_zero():
    """A scored only T1 (fewer than 2 teams → z = 0); B gave 6 to both (σ_B = 0 → z = 0).
    All scores 9, 6, 6: μ = 7, σ = √((4 + 1 + 1)/3) = √2; z̄ = 0 for both teams → p = μ = 7 for both."""
    points = z_scores({"A": {"T1": D(9)}, "B": {"T1": D(6), "T2": D(6)}}, max_points=D(10))
    assert points == {"T1": D(7), "T2": D(7)}


def test_z_score_when_all_scores_are_equal_gives_their_value():
    # σ = 0 → p_t = μ = 4
    assert z_scores({"A": {"T1": D(4), "T2": D(4)}, "B": {"T1": D(4)}}, max_points=D(10)) == {"T1": D(4), "T2": D(4)}


def test_task_score_weights_criteria_by_their_share_of_points():
    # Quality: weight 2, 8 of 10 → 0.8; Pricing: weight 1, 10 of 20 → 0.5
    # (2·0.8 + 1·0.5) / (2 + 1) × 100 = 2.1 / 3 × 100 = 70
    criteria = [("quality", D(2), D(10)), ("pricing", D(1), D(20))]
    assert round_points(task_score({"quality": D(8), "pricing": D(10)}, criteria, D(100))) == D("70.00")


def test_task_score_counts_an_unscored_criterion_as_zero():
    # (2·0.8 + 1·0) / 3 × 100 = 53.333… → 53.33
    criteria = [("quality", D(2), D(10)), ("pricing", D(1), D(20))]
    assert round_points(task_score({"quality": D(8)}, criteria, D(100))) == D("53.33")


def test_late_penalty_is_a_percentage_of_the_task_score():
    # 70 × (1 − 10/100) = 63
    assert round_points(apply_penalty(D(70), D(10))) == D("63.00")
    # 85.55 × (1 − 15/100) = 85.55 × 0.85 = 72.7175 → 72.72
    assert round_points(apply_penalty(D("85.55"), D(15))) == D("72.72")


def test_late_penalty_is_held_between_0_and_100_percent():
    assert apply_penalty(D(50), D(150)) == D(0)
    assert apply_penalty(D(50), D(-5)) == D(50)
