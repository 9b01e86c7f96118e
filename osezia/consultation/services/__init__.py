"""The consultation's use cases, one module per concern: `participation` (participants,
proposals, votes, reports, moderation), `resultats` (the results computed after votes),
`donnees` (open data exports and conversations brought from Pol.is)."""
