"""Score aggregation: pure arithmetic on plain numbers, no database.

Every function takes and returns :class:`~decimal.Decimal` and keeps full precision (28 significant digits);
only :func:`round_points` rounds, to 2 places with ROUND_HALF_UP, and callers apply it once, at the end.

Per criterion, for one team's entry, with the current scores ``s_1 … s_n`` of its ``n`` active judges:

- **mean**: ``(s_1 + … + s_n) / n``.
- **trimmed mean**: with ``n ≥ 3``, drop one highest and one lowest score and take the mean of the rest;
  with ``n < 3``, the mean.
- **z-score** (per-judge normalisation, computed over all teams of the round for that criterion):
  for judge ``j`` with scores ``s_jt`` over the teams ``t`` they scored,
  ``μ_j`` = mean of ``s_jt``, ``σ_j`` = population standard deviation of ``s_jt``
  (``sqrt(Σ (s_jt − μ_j)² / m_j)`` over the ``m_j`` teams), and ``z_jt = (s_jt − μ_j) / σ_j``;
  when ``σ_j = 0`` or ``m_j < 2``, ``z_jt = 0``.
  Per team, ``z̄_t`` = mean of ``z_jt`` over the judges who scored it.
  With ``μ`` and ``σ`` the mean and population standard deviation of **all** raw scores on the criterion
  (every judge, every team), ``p_t = clamp(μ + z̄_t · σ, 0, max_points)``; when ``σ = 0``, ``p_t = μ``.

Per task, with aggregated criterion points ``p_c``, weights ``w_c`` and maxima ``max_c``
(a criterion nobody scored counts as ``p_c = 0``)::

    task_score = Σ_c w_c · (p_c / max_c) / Σ_c w_c × task_max

A late submission's penalty then applies to the task score: ``score × (1 − percent / 100)``.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext

TWO_PLACES = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


def round_points(value: Decimal) -> Decimal:
    """2 decimal places, half up (2.345 → 2.35): the only rounding step, applied to final figures."""
    return _decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _as_decimals(values: Iterable) -> list[Decimal]:
    return [_decimal(value) for value in values]


def mean(scores: Sequence[Decimal]) -> Decimal:
    """Arithmetic mean. Raises ``ValueError`` for no scores: an entry nobody scored has no mean."""
    values = _as_decimals(scores)
    if not values:
        raise ValueError("mean() of no scores")
    return sum(values, ZERO) / len(values)


def trimmed_mean(scores: Sequence[Decimal]) -> Decimal:
    """Mean after dropping one highest and one lowest score, when there are at least three; else the mean."""
    values = sorted(_as_decimals(scores))
    if len(values) >= 3:
        values = values[1:-1]
    return mean(values)


def population_sd(scores: Sequence[Decimal]) -> Decimal:
    """sqrt(Σ (s − μ)² / n): the population (not sample) standard deviation."""
    values = _as_decimals(scores)
    centre = mean(values)
    return (sum(((value - centre) ** 2 for value in values), ZERO) / len(values)).sqrt()


def z_scores(
    scores_by_judge: Mapping[Hashable, Mapping[Hashable, Decimal]], *, max_points: Decimal
) -> dict[Hashable, Decimal]:
    """Per-judge z-score normalisation for ONE criterion, rescaled to its points (see the module docstring).

    ``scores_by_judge[judge][team]`` is judge's raw score for team on this criterion. Returns the points of
    every team that at least one judge scored, unrounded, between 0 and ``max_points``.
    """
    max_points = _decimal(max_points)
    with localcontext() as context:
        context.prec = 28
        z_by_team: dict[Hashable, list[Decimal]] = {}
        everything: list[Decimal] = []
        for by_team in scores_by_judge.values():
            raw = {team: _decimal(value) for team, value in by_team.items()}
            if not raw:
                continue
            everything.extend(raw.values())
            judge_mean = mean(list(raw.values()))
            judge_sd = population_sd(list(raw.values()))
            for team, value in raw.items():
                z = ZERO if len(raw) < 2 or judge_sd == 0 else (value - judge_mean) / judge_sd
                z_by_team.setdefault(team, []).append(z)
        if not everything:
            return {}
        overall_mean = mean(everything)
        overall_sd = population_sd(everything)
        points: dict[Hashable, Decimal] = {}
        for team, zs in z_by_team.items():
            if overall_sd == 0:
                points[team] = overall_mean
            else:
                points[team] = min(max(overall_mean + mean(zs) * overall_sd, ZERO), max_points)
        return points


def task_score(
    criterion_points: Mapping[Hashable, Decimal],
    criteria: Sequence[tuple[Hashable, Decimal, Decimal]],
    task_max: Decimal,
) -> Decimal:
    """Σ w_c·(p_c / max_c) / Σ w_c × task_max over ``criteria`` = [(id, weight, max_points), …].

    A criterion missing from ``criterion_points`` counts as 0. A task without criteria scores 0.
    """
    weights = ZERO
    weighted = ZERO
    for criterion_id, weight, max_points in criteria:
        weight, max_points = _decimal(weight), _decimal(max_points)
        earned = _decimal(criterion_points.get(criterion_id, ZERO))
        weights += weight
        weighted += weight * (earned / max_points)
    if weights == 0:
        return ZERO
    return weighted / weights * _decimal(task_max)


def apply_penalty(total: Decimal, percent: Decimal) -> Decimal:
    """``total × (1 − percent / 100)``, with the percentage held between 0 and 100."""
    percent = min(max(_decimal(percent), ZERO), HUNDRED)
    return _decimal(total) * (1 - percent / HUNDRED)
