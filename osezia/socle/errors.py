"""Errors the platform raises for a request it refuses, with a message meant for the person."""

from django.core.exceptions import BadRequest


class RequeteRefusee(BadRequest):
    """A bad request whose message is French and safe to show (HTTP 400)."""
