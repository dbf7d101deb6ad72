"""Reads for competitions, one module per area: briefs, teams, judging, results."""
