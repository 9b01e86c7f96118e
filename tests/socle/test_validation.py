"""The one input rule (osezia.socle.regles / validation): what it refuses, what it lets through."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from ninja import Schema

from osezia.socle.validation import (
    MESSAGE,
    TextFormMixin,
    clean_text,
    forbidden_characters,
    forbidden_path,
    texte,
)

CONTROLS = [chr(c) for c in range(0x20) if c not in (9, 10, 13)] + [
    chr(c) for c in range(0x7F, 0xA0)
]
REFUSED_EVERYWHERE = CONTROLS + ["\ud800", "\udfff", "\ufffe", "\uffff"]


@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"))))
def test_ordinary_text_passes(text):
    # Letters, marks, digits, punctuation, symbols and spaces of any script: always accepted.
    assert not forbidden_characters(text)
    assert clean_text(text, "Nom") == text.strip()


@given(st.text(), st.sampled_from(REFUSED_EVERYWHERE), st.text(), st.booleans())
def test_any_text_with_a_control_character_is_refused(before, bad, after, multiline):
    value = before + bad + after
    assert forbidden_characters(value, multiline=multiline)
    with pytest.raises(ValidationError) as error:
        clean_text(value, "Commune", multiline=multiline)
    assert error.value.messages == [f"Commune : {MESSAGE}"]


@given(st.text())
def test_the_rule_is_exactly_the_listed_characters(text):
    expected = any(ch in REFUSED_EVERYWHERE or 0xD800 <= ord(ch) <= 0xDFFF for ch in text)
    assert forbidden_characters(text, multiline=True) is expected
    one_line = expected or any(ch in "\t\n\r" for ch in text)
    assert forbidden_characters(text, multiline=False) is one_line


def test_line_breaks_only_in_multiline_text():
    assert not forbidden_characters("Ligne 1\r\n\tLigne 2", multiline=True)
    assert forbidden_characters("Ligne 1\nLigne 2", multiline=False)


def test_forbidden_path_names_the_field_in_a_json_body():
    body = {"nom": "ok", "references": [{"client": "ok"}, {"client": "a\x00b"}]}
    assert forbidden_path(body) == "references.1.client"
    assert forbidden_path({"ok": ["é", 1, None, {"x": "\n"}]}) is None
    assert forbidden_path({"re\ud800": 1}) == "(nom d'un champ)"
    assert forbidden_path({"tarif": {"\x00": 1}}) == "tarif (nom d'un champ)"


@pytest.mark.parametrize(
    "char",
    [
        chr(c)
        for c in (
            *range(0, 9),
            11,
            12,
            *range(14, 32),
            0x7F,
            0x85,
            0x9F,
            0xD800,
            0xDFFF,
            0xFFFE,
            0xFFFF,
        )
    ],
)
def test_each_refused_character_is_found_in_a_large_structure(char):
    assert forbidden_path({"a": [1, {"b": f"x{char}y"}]}) == "a.1.b"
    assert forbidden_path([{"ok": "é"}, {f"k{char}": 1}]) == "1 (nom d'un champ)"


class _Form(TextFormMixin, forms.Form):
    commune = forms.CharField(max_length=120)
    message = forms.CharField(widget=forms.Textarea)


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\x85", "\u009f"])
def test_a_form_gives_the_french_field_error(bad):
    form = _Form(data={"commune": f"Ly{bad}on", "message": f"Bon{bad}jour"})
    assert not form.is_valid()
    assert MESSAGE in form.errors["commune"]
    assert MESSAGE in form.errors["message"]


def test_a_form_keeps_line_breaks_in_a_textarea_only():
    form = _Form(data={"commune": "Lyon\nParis", "message": "Bonjour,\r\n\tmerci"})
    assert not form.is_valid()
    assert list(form.errors) == ["commune"]


class _Body(Schema):
    nom: texte(20)
    description: texte(100, multiline=True) = ""


def test_a_schema_string_refuses_controls_and_long_text():
    from pydantic import ValidationError as PydanticError

    assert _Body(nom="Acme", description="a\nb").nom == "Acme"
    for data in (
        {"nom": "A\ud800"},
        {"nom": "A\nB"},
        {"nom": "x" * 21},
        {"nom": "A", "description": "\x07"},
    ):
        with pytest.raises(PydanticError):
            _Body(**data)
