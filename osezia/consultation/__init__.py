"""Consultation citoyenne: proposals, votes, the next proposals to show, results with zones of
consensus and controversy, and opinion groups found from the votes."""
