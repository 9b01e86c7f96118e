"""The tutorials' light markup (pure engine) and the API that returns it interpreted."""

from django.test import Client

from osezia.academie import services
from osezia.academie.balisage import blocks
from tests.academie.conftest import PREMIERS_PAS

TEXT = (
    "## Pourquoi\r\nL'IA aide\nau quotidien.\n\n"
    "- devis\n- courriels\n\n"
    "À retenir :\n- relire\nToujours.\n\n\n"
)


def test_subtitles_paragraphs_and_bullets_become_blocks_in_order():
    assert blocks(TEXT) == [
        {"type": "titre", "texte": "Pourquoi"},
        {"type": "paragraphe", "texte": "L'IA aide au quotidien."},
        {"type": "liste", "items": ["devis", "courriels"]},
        {"type": "paragraphe", "texte": "À retenir : Toujours."},
        {"type": "liste", "items": ["relire"]},
    ]


def test_an_empty_text_has_no_block_and_markup_is_not_html():
    assert blocks("") == blocks(None) == []
    assert blocks("<b>gras</b>") == [{"type": "paragraphe", "texte": "<b>gras</b>"}]


def test_the_api_returns_the_raw_text_and_the_same_blocks_as_the_page(db):
    services.save_tutoriel({**PREMIERS_PAS, "contenu": TEXT})
    data = Client().get("/api/v1/academie/tutoriels/premiers-pas").json()
    assert data["contenu"].startswith("## Pourquoi\r\nL'IA aide")
    assert [{k: v for k, v in b.items() if v is not None} for b in data["blocs"]] == blocks(TEXT)
    page = Client().get("/academie/tutoriels/premiers-pas/")
    assert page.context["blocs"] == blocks(TEXT)
    assert "<h2>Pourquoi</h2>" in page.content.decode()
