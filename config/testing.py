"""The undefined-variable guard of the test settings (`OSEZIA_ENV=test`)."""

import sys
from pathlib import Path

PROJECT_TEMPLATES = Path(__file__).resolve().parent.parent / "osezia"


class UndefinedTemplateVariable(Exception):
    pass


class FailOnUndefinedVariable(str):
    """`string_if_invalid` of the test settings: rendering `{{ missing }}` in one of the
    project's templates raises. Django only formats this value when it renders a variable
    (never for `{% if %}`, `{% for %}` or `{% firstof %}`, which resolve with failures ignored);
    templates of third-party packages (admin, allauth, django-dsfr) keep Django's empty output.
    Django skips the filters of an invalid variable when `string_if_invalid` is set, so
    `|default:` does not cover a missing variable: pass it in the context."""

    def __new__(cls):
        return super().__new__(cls, "%s")  # true, and formatted with the variable by Django

    def __str__(self):
        return ""

    def __mod__(self, variable):
        origin = _rendering_origin()
        if origin and Path(origin).resolve().is_relative_to(PROJECT_TEMPLATES):
            raise UndefinedTemplateVariable(f"Undefined template variable {variable} in {origin}")
        return ""


def _rendering_origin() -> str | None:
    """The template file of the node being rendered (found on the call stack)."""
    frame = sys._getframe(2)
    while frame is not None:
        node = frame.f_locals.get("self")
        origin = getattr(node, "origin", None)
        if origin is not None and getattr(origin, "name", None) and hasattr(node, "render"):
            return str(origin.name)
        frame = frame.f_back
    return None
