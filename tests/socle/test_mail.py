import pytest
from django.core.mail import EmailMessage

from osezia.socle.mail import header_safe


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Devis\nExpress", "Devis Express"),
        ("Devis\r\nBcc: victime@example.fr", "Devis Bcc: victime@example.fr"),
        ("A\x00B\x1bC\x7fD", "A B C D"),
        ("Nom\u2028caché\u202eeviL", "Nom caché eviL"),
        ("  trop   d'espaces \t ", "trop d'espaces"),
        (None, ""),
        ("Solution d'IA éthique", "Solution d'IA éthique"),
    ],
)
def test_a_header_holds_one_clean_line(text, expected):
    assert header_safe(text) == expected


def test_a_long_header_is_cut_with_an_ellipsis():
    value = header_safe("mot " * 100, max_len=20)
    assert len(value) <= 20 and value.endswith("…")


def test_django_accepts_the_cleaned_subject():
    message = EmailMessage(subject=header_safe("Devis\nExpress\r\nX: y"), to=["a@example.fr"])
    assert message.message()["Subject"] == "Devis Express X: y"
