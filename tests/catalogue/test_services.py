import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from osezia.catalogue import services
from osezia.catalogue.models import EvenementSolution, Fournisseur, Solution
from osezia.recherche import services as recherche
from tests.catalogue.conftest import make_line, siren


def write(tmp_path, lines, name="catalogue.jsonl"):
    path = tmp_path / name
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
        + "\n",
        encoding="utf-8",
    )
    return path


def search_ids(text="", **filters):
    from osezia.catalogue import search

    query = search.read({"q": text, "page_size": 50, **filters})
    return [search.item(h)["id_externe"] for h in search.run(query).hits]


def test_import_is_idempotent_reports_bad_lines_and_publishes_good_ones(db, tmp_path, empty_index):
    path = write(
        tmp_path,
        [
            make_line(),
            "{pas du json",
            make_line(id_externe="autre", familles=["ZZZ"]),
            make_line(id_externe="deux", nom="Deux"),
        ],
    )
    report = services.import_lines(services.read_lines(path))
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert [number for number, _ in report.errors] == [2, 3]
    assert "JSON" in report.errors[0][1]["ligne"] and "familles" in report.errors[1][1]
    again = services.import_lines(services.read_lines(path))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = write(tmp_path, [make_line(nom="Devis Express 2")], "v2.jsonl")
    third = services.import_lines(services.read_lines(changed))
    assert third.updated == 1
    assert Solution.objects.count() == 2
    solution = Solution.objects.get(id_externe="devis-express")
    assert solution.version_publiee.nom == "Devis Express 2" and solution.versions.count() == 2


def test_dry_run_stores_nothing(db, tmp_path):
    report = services.import_lines(
        services.read_lines(write(tmp_path, [make_line()])), dry_run=True
    )
    assert (
        report.created == 1 and Solution.objects.count() == 0 and Fournisseur.objects.count() == 0
    )


def test_an_id_of_another_provider_is_refused(db, tmp_path):
    services.import_lines(services.read_lines(write(tmp_path, [make_line()])))
    other = make_line(fournisseur={"nom": "Autre (fictif)", "siren": siren(2)})
    report = services.import_lines(services.read_lines(write(tmp_path, [other], "b.jsonl")))
    assert report.errors and "autre fournisseur" in report.errors[0][1]["fournisseur.siren"]


def test_csv_import_and_export_round_trip(db, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    services.import_lines(
        services.read_lines(write(tmp_path, [make_line(), make_line(id_externe="deux")]))
    )
    out = tmp_path / "export.csv"
    call_command("export_catalogue", str(out), stdout=StringIO())
    Solution.objects.all().delete()
    report = services.import_lines(services.read_lines(out))
    assert report.created == 2 and not report.errors
    exported = list(services.export_lines())
    assert exported[0]["tarif"] == {"modele": "abonnement", "min_eur_mois": 29, "max_eur_mois": 99}


def test_moderation_keeps_the_published_version_online(
    make_user, operator, immediate_tasks, empty_index
):
    provider_user = make_user()
    fournisseur = services.register_provider(provider_user, "Essai Logiciels (fictif)", siren(1))
    with immediate_tasks(execute=True):
        solution = services.save_draft(fournisseur, make_line(), provider_user)
    assert not solution.est_publiee and search_ids("devis") == []
    with immediate_tasks(execute=True):
        version = services.submit(solution, provider_user)
        services.publish(version, operator)
    assert search_ids("devis") == ["devis-express"]
    with immediate_tasks(execute=True):
        services.save_draft(
            fournisseur, make_line(nom="Devis Turbo"), provider_user, submit_now=True
        )
    solution.refresh_from_db()
    assert (
        solution.version_publiee.nom == "Devis Express"
        and solution.version_en_cours.statut == "soumise"
    )
    with immediate_tasks(execute=True):
        refused = services.refuse(
            solution.version_en_cours, operator, "Le prix annoncé ne correspond pas au site."
        )
    solution.refresh_from_db()
    assert (
        refused.statut == "refusee"
        and solution.est_publiee
        and solution.version_publiee.nom == "Devis Express"
    )
    with pytest.raises(ValidationError):
        services.refuse(refused, operator, "")
    with immediate_tasks(execute=True):
        services.withdraw(solution, provider_user)
    assert search_ids("devis") == []
    actions = list(
        EvenementSolution.objects.filter(solution=solution).values_list("action", flat=True)
    )
    assert {"creation", "soumission", "publication", "modification", "refus", "retrait"} <= set(
        actions
    )


def test_a_provider_cannot_touch_another_providers_solution(make_user, tmp_path):
    services.import_lines(services.read_lines(write(tmp_path, [make_line()])))
    intruder = make_user()
    other = services.register_provider(intruder, "Autre (fictif)", siren(2))
    with pytest.raises((PermissionDenied, ValidationError)):
        services.save_draft(
            other, make_line(fournisseur={"nom": "Autre (fictif)", "siren": siren(2)}), intruder
        )
    with pytest.raises(ValidationError):
        services.save_draft(
            other, make_line(id_externe="neuve"), intruder
        )  # another SIREN than its own
    # Typing the SIREN of an organisation that has members sends a claim to the operators.
    latecomer = make_user()
    claim = services.register_provider(latecomer, "Essai", siren(2))
    assert claim.statut == "en_attente" and not other.membres.filter(pk=latecomer.pk).exists()


def test_sector_filter_matches_parents_children_and_every_sector(db, tmp_path, empty_index):
    lines = [
        make_line(id_externe="batiment", secteurs=["F"]),
        make_line(id_externe="plomberie", secteurs=["43.22A"]),
        make_line(id_externe="partout", secteurs=[]),
        make_line(id_externe="boulangerie", secteurs=["10.71C"]),
    ]
    services.import_lines(services.read_lines(write(tmp_path, lines)))
    recherche.rebuild("solution")
    assert set(search_ids(secteur="43.22A")) == {"batiment", "plomberie", "partout"}
    assert set(search_ids(secteur="F")) == {"batiment", "plomberie", "partout"}
    assert set(search_ids(secteur="10.71C")) == {"boulangerie", "partout"}
    assert set(search_ids(famille=["VENTE"], taille=["GE"])) == set()


def test_contact_requests_are_sent_and_limited(
    make_user, tmp_path, mailoutbox, immediate_tasks, settings
):
    settings.CONTACT_RATE_PER_HOUR = 2
    services.import_lines(
        services.read_lines(write(tmp_path, [make_line(), make_line(id_externe="deux")]))
    )
    solution = Solution.objects.get(id_externe="devis-express")
    with immediate_tasks(execute=True):
        services.contact(
            solution,
            "Léa Martin",
            "lea@exemple.fr",
            "Boulangerie Martin",
            "Bonjour, je voudrais un devis pour 3 personnes.",
            "1.2.3.4",
        )
    # The provider's message, then the sender's copy.
    assert [m.to for m in mailoutbox] == [["contact@devis-express.example.fr"], ["lea@exemple.fr"]]
    with pytest.raises(ValidationError):  # same person, same solution, same day
        services.contact(
            solution,
            "Léa Martin",
            "lea@exemple.fr",
            "",
            "Encore moi avec une autre question.",
            "1.2.3.4",
        )
    services.contact(
        Solution.objects.get(id_externe="deux"),
        "Paul",
        "paul@exemple.fr",
        "",
        "Une question sur vos tarifs.",
        "1.2.3.4",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.contact(
            solution, "Zoé", "zoe@exemple.fr", "", "Un troisième message dans l'heure.", "1.2.3.4"
        )
    assert "Trop de demandes" in excinfo.value.messages[0]
    solution.refresh_from_db()
    assert solution.contacts == 1
