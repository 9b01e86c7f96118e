"""Precision of the search itself (the index alone, no database): key words required, generic
words weighing little, a corrected typo weighing like the word it stands for, symbols kept,
stems that collide kept apart, and the everyday words for generative AI."""

import time

import pytest

from osezia.recherche.index import Filters, SearchIndex, edit_distance, query_vocabulary


def doc(key: str, nom: str, description: str = "", resume: str = "", **extra) -> dict:
    return {
        "doc_id": f"solution:{key}",
        "type": "solution",
        "nom": nom,
        "resume": resume,
        "description": description,
        **extra,
    }


@pytest.fixture
def index(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.create()
    return index


def ids(index, text: str, limit: int = 20) -> list[str]:
    results = index.search(text, Filters(type="solution"), limit=limit)
    return [hit.doc_id.split(":", 1)[1] for hit in results.hits]


def count(index, text: str) -> int:
    return index.search(text, Filters(type="solution"), limit=1).count


def test_a_stem_shared_with_other_words_does_not_match_them(index):
    index.upsert(
        [
            doc("chatbot", "Réservations au restaurant", "Un chatbot prend les réservations."),
            doc("pluriel", "Salle pleine", "Pour les restaurants et les restaurateurs."),
            doc("antivirus", "Bouclier", "L'antivirus restaure les fichiers chiffrés."),
            doc("dentaire", "Dentimage", "Repère les restaurations dentaires défectueuses."),
        ]
    )
    assert set(ids(index, "restaurant")) == {"chatbot", "pluriel"}
    assert ids(index, "chatbot pour restaurant")[0] == "chatbot"
    assert "antivirus" not in ids(index, "chatbot pour restaurant")
    assert "dentaire" not in ids(index, "chatbot pour restaurant")


def test_a_query_of_symbols_or_stop_words_never_matches_everything(index):
    index.upsert(
        [
            doc("cpp", "Refonte", "Migrer des applications écrites en C++ ou en C#."),
            doc("c", "Autre", "Le langage C et la comptabilité."),
            doc("rien", "Planning", "Des plannings d'équipe."),
        ]
    )
    assert ids(index, "C++") == ["cpp"]
    assert ids(index, "c#") == ["cpp"]
    assert count(index, "++") == 0
    assert count(index, "le la") == 0
    assert count(index, "") == 3  # an empty search lists everything


def test_every_key_word_is_required_when_enough_documents_hold_them(index):
    invoicing = [
        doc(f"factu-{i}", f"Facturation {i}", "Facturation automatique des clients.")
        for i in range(10)
    ]
    others = [
        doc("arrosage", "Arrosage automatique", "Pilote l'arrosage automatique des parcelles."),
        doc("traduction", "Traduction", "Traduction automatique des documents."),
    ]
    index.upsert(invoicing + others)
    found = ids(index, "facturation automatique")
    assert count(index, "facturation automatique") == 10
    assert "arrosage" not in found and "traduction" not in found


def test_too_few_documents_with_every_key_word_let_the_others_follow(index):
    index.upsert(
        [
            doc("both", "Chatbot de mairie", "Un chatbot pour les usagers de la mairie."),
            doc("chatbot", "Chatbot", "Un chatbot pour votre site."),
            doc("planning", "Planning", "Des plannings d'équipe."),
        ]
    )
    assert ids(index, "chatbot mairie") == ["both", "chatbot"]


def test_generic_words_do_not_pull_unrelated_documents_up(index):
    index.upsert(
        [
            doc("factures", "Saisie des factures", "Lit les factures fournisseurs."),
            doc(
                "planning",
                "Logiciel de planning",
                "Un logiciel, un outil, une solution logiciel pour vos plannings.",
            ),
        ]
    )
    assert ids(index, "logiciel factures") == ["factures"]
    assert ids(index, "outil solution logiciel") == ["planning"]  # nothing but generic words


def test_a_corrected_typo_weighs_like_the_word_it_stands_for(index):
    index.upsert(
        [
            doc("factures", "Saisie", "Lit les factures fournisseurs scannées."),
            doc("logiciel", "Logiciel de gestion", "Un logiciel de gestion, logiciel complet."),
        ]
    )
    typo = index.search("logiciel factrues", Filters(type="solution"))
    right = index.search("logiciel factures", Filters(type="solution"))
    assert [h.doc_id for h in typo.hits] == [h.doc_id for h in right.hits] == ["solution:factures"]
    assert typo.hits[0].score == pytest.approx(right.hits[0].score, rel=0.35)


def test_a_transposition_is_one_edit():
    assert edit_distance("factrues", "factures", 1) == 1
    assert edit_distance("facture", "facture", 0) == 0
    assert edit_distance("abcdef", "ghijkl", 2) == 3


@pytest.mark.parametrize(
    "query, expected",
    [
        ("chatgpt", {"generative", "assistant"}),
        ("chat gpt", {"generative", "assistant"}),
        ("copilot", {"generative", "assistant"}),
        ("gpt", {"generative"}),
        ("llm", {"generative"}),
        ("mistral", {"generative"}),
        ("ia générative", {"generative"}),
        ("IA gen", {"generative"}),
        ("intelligence artificielle générative", {"generative"}),
        ("chatbot", {"assistant"}),
        ("agent conversationnel", {"assistant"}),
        ("prompt", {"prompts"}),
    ],
)
def test_everyday_ai_words_find_what_documents_say_of_them(index, query, expected):
    index.upsert(
        [
            doc("generative", "Découvrir l'IA générative", "Les modèles de langage au travail."),
            doc("assistant", "Agent conversationnel", "Un assistant conversationnel sur le site."),
            doc("prompts", "Bien formuler ses demandes", "Écrire de bons prompts pour l'IA."),
            doc(
                "meteo",
                "Météo des récoltes",
                "Le mistral et le vent sur les vergers ne comptent pas.",
            ),
            doc("compta", "Comptabilité", "Saisie comptable des factures."),
        ]
    )
    found = set(ids(index, query))
    assert expected <= found
    assert "compta" not in found


def test_product_names_lead_to_the_notion_never_to_a_brand():
    vocabulary = query_vocabulary()
    for brand in [("chatgpt",), ("copilot",), ("mistral",)]:
        searched = {" ".join(a) for a in vocabulary.alternatives[brand]}
        assert "ia generative" in searched
        assert not searched & {"chatgpt", "copilot", "mistral", "openai", "microsoft"}


def test_a_synonym_is_an_alternative_not_one_more_required_word(index):
    index.upsert(
        [doc(f"compta-{i}", "Comptabilité", "Automatiser la comptabilité.") for i in range(10)]
    )
    assert count(index, "automatiser la compta") == 10


def test_a_word_indexed_by_another_process_is_offered_as_a_correction(index, tmp_path):
    # A web worker reads the index; the task worker writes it (another SearchIndex).
    writer = SearchIndex(tmp_path / "index")
    writer.upsert([doc("planning", "Planning", "Des plannings d'équipe.")])
    assert index.count() == 1
    assert ids(index, "factrues") == []  # nothing close to « factures » yet
    writer.upsert([doc("factures", "Saisie", "Lit les factures fournisseurs scannées.")])
    time.sleep(1.1)  # readers pick up other processes' commits once a second at most
    assert ids(index, "factrues") == ["factures"]
