"""State changes for competitions, one module per area: teams, submissions, judging, results, imports."""
