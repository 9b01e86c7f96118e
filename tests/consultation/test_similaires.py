"""Similar proposals while a participant types (`consultation/similaires.py`)."""

import json

import pytest

from osezia.consultation import similaires
from osezia.consultation.similaires import Index

PROPOSALS = [
    (1, "Il faut former les salariés des PME à l'intelligence artificielle"),
    (2, "Il faut interdire la reconnaissance faciale dans l'espace public"),
    (3, "Il faut enseigner l'IA dès l'école primaire"),
    (4, "Il faut protéger les données personnelles des citoyens face aux algorithmes"),
    (5, "Il faut taxer les entreprises qui remplacent des emplois par des robots"),
    (6, "Il faut indiquer clairement quand un contenu a été généré par une IA"),
    (7, "Il faut simplifier les démarches administratives grâce à l'IA"),
    (8, "Il faut financer la recherche publique en intelligence artificielle"),
    (9, "Il faut accompagner les agriculteurs dans l'usage des outils numériques"),
    (10, "Il faut lutter contre les deepfakes pendant les campagnes électorales"),
    (11, "Il faut garantir un contrôle humain sur les décisions des algorithmes"),
    (12, "Il faut réduire la consommation d'énergie des centres de données"),
    (13, "Il faut proposer des cours gratuits sur l'IA aux personnes âgées"),
    (14, "Il faut que les médecins restent seuls responsables du diagnostic"),
    (15, "Il faut créer un label pour les logiciels d'IA respectueux de l'environnement"),
    (16, "Il faut aider les demandeurs d'emploi à se reconvertir vers les métiers du numérique"),
    (17, "Il faut éviter que l'IA accentue les discriminations à l'embauche"),
    (18, "Il faut rendre obligatoire la transparence des algorithmes publics"),
    (19, "Il faut soutenir les start-up françaises de l'IA face aux géants américains"),
    (20, "Il faut éduquer les enfants aux dangers des réseaux sociaux"),
]


@pytest.fixture(scope="module")
def index():
    return Index(PROPOSALS)


def ids(result):
    return [i for i, _ in result]


@pytest.mark.parametrize(
    "typed, original",
    [
        # synonyms and another word order
        ("La formation des employés de petites entreprises à l'IA est nécessaire", 1),
        ("Il faudrait apprendre l'intelligence artificielle aux travailleurs des PME", 1),
        # verb ↔ noun
        ("L'interdiction de la reconnaissance faciale dans les lieux publics", 2),
        ("Il faut une protection des données personnelles des habitants", 4),
        ("La simplification des démarches administratives par l'intelligence artificielle", 7),
        # IA ↔ intelligence artificielle, singular ↔ plural
        ("Financer davantage la recherche publique sur l'IA", 8),
        ("Il faut taxer chaque entreprise qui remplace un emploi par un robot", 5),
        ("Il faut enseigner l'intelligence artificielle dès l'école", 3),
        # a typo, and accents or case left out
        ("Il faut former les salaries des PME a l'intelligence artficielle", 1),
        ("IL FAUT INTERDIRE LA RECONNAISSANCE FACIALE", 2),
        ("il faut reduire la consommation denergie des centres de donnees", 12),
        ("Il faut signaler les contenus produits par l'intelligence artificielle", 6),
        ("Des formations gratuites à l'IA pour les seniors", 13),
        ("Il faut aider les chômeurs à se reconvertir dans le numérique", 16),
        ("Une supervision humaine des décisions algorithmiques", 11),
    ],
)
def test_a_paraphrase_finds_the_proposal_it_repeats(index, typed, original):
    assert original in ids(index.similar(typed))


def test_the_paraphrased_proposal_comes_first(index):
    assert index.similar("Former les employés des PME à l'intelligence artificielle")[0][0] == 1
    assert index.similar("Interdiction de la reconnaissance faciale")[0][0] == 2


def test_unrelated_texts_get_no_suggestion(index):
    for text in [
        "Il faut rénover les piscines municipales",
        "Il faudrait plus de pistes cyclables en centre-ville",
        "Il faut baisser le prix des billets de train",
        "Il faut ouvrir les bibliothèques le dimanche",
    ]:
        assert index.similar(text) == [], text


def test_empty_or_stop_words_only_gives_nothing(index):
    for text in [
        "",
        "   ",
        "Il faut",
        "il faudrait que",
        "Il faut que nous le fassions pour eux",
        "…",
    ]:
        assert index.similar(text) == [], text
    assert index.similar(None) == []


def test_a_single_strong_word_may_suggest_a_weak_one_does_not():
    small = Index(
        [
            (1, "Il faut interdire la reconnaissance faciale"),
            (2, "Il faut former les salariés à l'IA dans les PME, les écoles et les mairies"),
        ]
    )
    assert ids(small.similar("reconnaissance faciale")) == [1]
    # « école » is one token among many in proposal 2: not enough alone
    assert small.similar("école") == []


def test_scores_are_bounded_rounded_best_first_and_ties_by_id():
    duplicated = Index(
        [
            (7, "Il faut former les agents publics à l'IA"),
            (3, "Il faut former les agents publics à l'IA"),
            (5, "Il faut former les agents publics à l'IA"),
            (1, "Il faut former les agriculteurs au numérique"),
        ]
    )
    result = duplicated.similar("former les fonctionnaires à l'intelligence artificielle")
    assert ids(result)[:3] == [3, 5, 7]  # same score: ascending ids
    assert all(0 < score <= 1 for _, score in result)
    assert all(round(score, 3) == score for _, score in result)
    assert [s for _, s in result] == sorted((s for _, s in result), reverse=True)
    assert duplicated.similar("Il faut former les agents publics à l'IA")[0][1] == 1.0


def test_at_most_limit_and_exclude_is_honoured():
    many = Index([(i, f"Il faut former les salariés à l'IA dans la région {i}") for i in range(30)])
    assert len(many.similar("former les salariés à l'IA")) == 10
    assert len(many.similar("former les salariés à l'IA", limit=3)) == 3
    assert many.similar("former les salariés à l'IA", limit=0) == []
    result = many.similar("former les salariés à l'IA", limit=30, exclude={0, 1, 2})
    assert len(result) == 27 and not {0, 1, 2} & set(ids(result))


def test_exclude_removes_the_participants_own_proposal(index):
    typed = "Il faut former les salariés des PME à l'intelligence artificielle"
    assert ids(index.similar(typed))[0] == 1
    assert 1 not in ids(index.similar(typed, exclude=[1]))


def test_same_order_every_time_whatever_the_insertion_order():
    forward = Index(PROPOSALS)
    backward = Index(list(reversed(PROPOSALS)))
    for text in ["l'IA à l'école", "protéger les données", "Il faut former à l'IA"]:
        assert forward.similar(text) == backward.similar(text) == forward.similar(text)


def test_an_unfinished_last_word_is_completed(index):
    assert 2 in ids(index.similar("Il faut interdire la reconnaissance fac"))
    # a word followed by a space is finished: read as typed, it matches nothing
    assert index.similar("Il faut interdire la reconnaissance fac ") != index.similar(
        "Il faut interdire la reconnaissance fac"
    )


def test_an_empty_index_and_duplicate_ids():
    assert Index([]).similar("former les salariés") == []
    with pytest.raises(ValueError, match="même identifiant"):
        Index([(1, "Il faut former"), (1, "Il faut taxer")])


def test_the_synonyms_file_says_where_it_comes_from_and_each_expression_reads_as_its_group():
    data = json.loads(similaires.SYNONYMS_FILE.read_text(encoding="utf-8"))
    assert "Osez l'IA" in data["source"] and data["description"]
    seen = {}
    for group in data["groupes"]:
        token = "=" + "_".join(similaires.words(group[0]))
        for expression in group:
            # an expression shadowed by an earlier group (same stem) would silently change meaning
            assert similaires.tokens(similaires.split(expression)) == [token], expression
            assert similaires.fold(expression) not in seen, expression
            seen[similaires.fold(expression)] = token


def test_the_lexicon_abbreviations_and_notions_are_read_too():
    small = Index(
        [
            (1, "Il faut encadrer l'usage de ChatGPT par les élèves"),
            (2, "Il faut répondre à chaque courriel d'un usager en moins de 48 heures"),
        ]
    )
    assert 1 in ids(small.similar("Réguler l'IA générative à l'école"))
    assert 2 in ids(small.similar("répondre aux e-mails des usagers en 48 heures"))


@pytest.mark.parametrize(
    "one, other",
    [
        ("remplacent", "remplacer"),
        ("forment", "former"),
        ("infirmieres", "infirmiers"),
        ("agricultrices", "agriculteurs"),
        ("publique", "public"),
        ("simplification", "simplifier"),
        ("creation", "creer"),
        ("dangers", "danger"),
    ],
)
def test_verb_feminine_and_derived_forms_meet(one, other):
    assert similaires.tokens([one]) == similaires.tokens([other])


def test_only_words_that_are_not_french_are_corrected():
    small = Index([(1, "Il faut former les salariés à la cybersécurité")])
    assert small.readings("formmer ")[0] == small.readings("former ")[0]
    # « fermer » is French: read as typed, not as the index's « former » one letter away
    assert small.readings("fermer ")[0] != small.readings("former ")[0]
    assert small.similar("la cybersecurit des salariés ") != []
