"""The catalogue import by batches: few queries per batch, the workflow's rows as before, and a
line the database refuses reported alone (the good lines of its batch are kept)."""

import pytest
from django.db import IntegrityError

from osezia.catalogue import services
from osezia.catalogue.models import EvenementSolution, Solution, VersionSolution
from osezia.catalogue.services import imports
from osezia.recherche.models import ChangementIndex
from tests.catalogue.conftest import make_line, siren


def numbered(*lines):
    return [(number, line, None) for number, line in enumerate(lines, 1)]


def many(count, **overrides):
    return [
        make_line(id_externe=f"outil-{i}", nom=f"Outil numéro {i}", **overrides)
        for i in range(count)
    ]


def test_an_import_costs_a_few_queries_per_batch_not_per_line(
    db, empty_index, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):  # 60 lines, one batch, the index finished
        report = services.import_lines(numbered(*many(60)))
    assert report.created == 60 and not report.errors
    with django_assert_max_num_queries(6):  # nothing changed: one read, nothing written
        again = services.import_lines(numbered(*many(60)))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 60)
    assert not ChangementIndex.objects.exists()


def test_each_imported_line_is_published_with_its_version_and_history(db, empty_index):
    services.import_lines(numbered(*many(3)))
    changed = many(3)
    changed[1]["nom"] = "Outil renommé"
    report = services.import_lines(numbered(*changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    solution = Solution.objects.get(id_externe="outil-1")
    first, second = solution.versions.order_by("numero")
    assert (first.numero, first.statut) == (1, VersionSolution.Statut.REMPLACEE)
    assert (second.numero, second.statut, second.source) == (2, "publiee", "import")
    assert second.decide_le and solution.version_publiee == second and solution.est_publiee
    assert solution.fournisseur.siren == siren(1)
    events = EvenementSolution.objects.filter(solution=solution).order_by("pk")
    assert [(e.action, e.version_id) for e in events] == [
        ("import", first.pk),
        ("import", second.pk),
    ]
    assert events[0].detail == "publiée directement (import d'un opérateur)"
    # A withdrawn solution imported again is online again.
    Solution.objects.filter(id_externe="outil-0").update(retiree=True)
    assert services.import_lines(numbered(*changed)).updated == 1
    assert Solution.objects.get(id_externe="outil-0").est_publiee


def test_the_same_solution_twice_in_a_file_ends_with_the_later_line(db, empty_index):
    report = services.import_lines(
        numbered(make_line(), make_line(nom="Devis Express Pro"), make_line(id_externe="autre"))
    )
    assert (report.created, report.updated) == (2, 1)
    solution = Solution.objects.get(id_externe="devis-express")
    assert solution.version_publiee.nom == "Devis Express Pro" and solution.versions.count() == 2


def test_a_line_the_database_refuses_is_reported_alone(db, empty_index, monkeypatch):
    def refused_batch(*args, **kwargs):
        raise IntegrityError("lot refusé")

    real_log = imports.log_event

    def log_event(solution, *args, **kwargs):
        if solution.id_externe == "outil-1":
            raise IntegrityError("ligne refusée")
        return real_log(solution, *args, **kwargs)

    monkeypatch.setattr(imports, "_write_batch", refused_batch)
    monkeypatch.setattr(imports, "log_event", log_event)
    report = services.import_lines(numbered(*many(3)))
    assert (report.created, report.errors) == (
        2,
        [(2, {"ligne": "enregistrement refusé par la base de données"})],
    )
    assert sorted(Solution.objects.values_list("id_externe", flat=True)) == [
        "outil-0",
        "outil-2",
    ]
    assert all(s.est_publiee for s in Solution.objects.all())


@pytest.mark.parametrize("dry_run", [True, False])
def test_bad_lines_keep_their_numbers_among_the_batches(db, empty_index, monkeypatch, dry_run):
    monkeypatch.setattr(imports, "BATCH", 2)
    lines = many(5)
    lines[3]["familles"] = ["ZZZ"]
    other = make_line(id_externe="outil-0", fournisseur={"nom": "Autre", "siren": siren(2)})
    if not dry_run:
        services.import_lines(numbered(many(1)[0]))
    report = services.import_lines(numbered(*lines, other), dry_run=dry_run)
    numbers = [number for number, _ in report.errors]
    assert numbers == ([4] if dry_run else [4, 6])
    assert Solution.objects.count() == (0 if dry_run else 4)


def test_article_5_scan_folds_like_fold_and_finds_each_practice():
    """The scan's own folding and its keyword prefilter find the same practices as the
    patterns over `fold` (accents, capitals, ligatures, distances)."""
    from osezia.catalogue import format as fmt
    from osezia.socle.texte import fold

    texts = [
        "Outil de NOTATION SOCIALE des citoyens",
        "Détection des émotions des salariés en réunion",
        "Les élèves : analyse des émotions en classe",
        "Messages subliminaux dans la publicité",
        "Moissonnage d'images de visages sur le web",
        "Police prédictive : prédire les infractions",
        "Déduire l'orientation sexuelle à partir de photos",
        "Cœur de métier : facturation automatique pour les bœufs d'Ærø",
        "Planification de tournées",
    ]
    for text in texts:
        expected = [code for pattern, code in fmt._DECLARATIONS if pattern.search(fold(text))]
        found = fmt.prohibited_practices({"nom": "", "resume": text, "description": ""})
        assert found == list(dict.fromkeys(expected)), text
    assert fmt.prohibited_practices({"description": "Planification de tournées"}) == []


def test_batch_content_equals_the_version_content():
    from osezia.catalogue import format as fmt
    from osezia.catalogue.services import imports

    data = fmt.SolutionData(
        **{
            **{f.name: "x" for f in imports.fields(fmt.SolutionData)},
            "familles": ["A"],
            "secteurs": [],
            "tailles": ["TPE"],
            "langues": ["fr"],
            "certifications": [],
            "rgpd_dpa": True,
            "modeles_ia": [],
            "references": [{"client": "c", "resultat": "r"}],
        }
    )
    assert imports._contenu(data) == data.contenu()
    assert list(imports._contenu(data)) == list(data.contenu())


def test_the_scans_folding_gives_the_same_text_as_fold():
    """`format._fold` (one `replace` per combining mark) equals `socle.texte.fold` on accents,
    capitals, ligatures, compatibility forms and stray combining marks."""
    from osezia.catalogue import format as fmt
    from osezia.socle.texte import fold

    latin = "".join(chr(c) for c in range(0x20, 0x250))
    texts = [
        latin,
        "Cœur ÆRØ ﬁchier ＡＢＣ ½ e\u0301e\u0301 a\u0323\u0302 ǅ Ω ℌ",
        "Détection des ÉMOTIONS des salariés",
        "",
        "plain ascii text",
    ]
    for text in texts:
        assert fmt._fold(text) == fold(text), text
