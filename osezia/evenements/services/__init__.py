"""The business meetings' use cases (one transaction per write); see docs/evenements.md."""
