import io
import sys
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from osezia.academie import lheo, services
from osezia.academie.models import Action, Formation, Inscription, Session
from osezia.recherche import services as recherche
from tests.academie.conftest import DATA, store, training

SAMPLE = DATA / "offre_exemple.xml"
# The sample's sessions are moved to the year after next, so that they are always to come.
YEAR = date.today().year + 2


@pytest.fixture(autouse=True)
def _sessions_to_come(tmp_path, monkeypatch):
    text = (DATA / "offre_exemple.xml").read_text(encoding="utf-8")
    text = text.replace("<debut>2030", f"<debut>{YEAR}").replace("<fin>2030", f"<fin>{YEAR}")
    path = tmp_path / "offre_exemple.xml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SAMPLE", path)


def run_import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_lheo", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_stores_valid_trainings_whole_and_reports_each_invalid_element(db):
    out, err = run_import(SAMPLE)
    assert "2 formation(s) ont été créées" in out and "1 refusée(s)" in out
    # Every error names the path of the element in cause; nothing of that training is stored.
    assert "/lheo/offres/formation[2]/action/session/periode/debut" in err
    assert "/lheo/offres/formation[2]/organisme-formation-responsable/SIRET" in err
    assert "n'est pas un numéro SIRET (14 chiffres)" in err
    assert not Formation.objects.filter(reference="EX-IA-0002").exists()
    formation = Formation.objects.get(reference="EX-IA-0001")
    lyon, online = formation.actions.order_by("ordre")
    assert (lyon.publics, lyon.modalite, lyon.departement_id, lyon.region_id) == (
        ["SALARIE", "DIRIGEANT"],
        "presentiel",
        "69",
        "84",
    )
    assert lyon.prix_ttc_centimes == 118000 and lyon.duree_heures == 14
    assert lyon.financements == ["OPCO"]
    assert (online.publics, online.modalite, online.region_id) == (
        ["DEMANDEUR_EMPLOI"],
        "distance",
        None,
    )
    assert online.financements == ["FRANCE_TRAVAIL", "GRATUIT"] and online.duree_heures == 14
    session = lyon.sessions.get()
    assert (str(session.debut), str(session.fin), session.etat_recrutement) == (
        f"{YEAR}-03-10",
        f"{YEAR}-03-11",
        Session.EtatRecrutement.OUVERT,
    )
    # The families come from the text when the file does not give them.
    assert "DOCUMENTS" in formation.familles
    # A training without identifier, a public code it cannot map and a permanent entry.
    third = Formation.objects.exclude(reference="EX-IA-0001").get()
    action = third.actions.get()
    assert action.publics == ["APPRENTI"]  # from « Apprentis en CFA… »
    assert action.departement_id == "2A" and action.region_id == "94"
    assert action.sessions.get().debut is None
    # Indexed: the trainings are found by search at once.
    hits = recherche.search("factures", None).hits
    assert "formation:EX-IA-0001" in [h.doc_id for h in hits]


def test_reimport_updates_without_duplicates_and_keeps_enrolments(db, learner, tmp_path):
    run_import(SAMPLE)
    counts = (Formation.objects.count(), Action.objects.count(), Session.objects.count())
    session = Session.objects.get(reference="EX-IA-0001-LYON-S1")
    services.enrol(learner(), session.pk)
    changed = SAMPLE.read_text(encoding="utf-8").replace(
        "Automatiser la saisie des factures", "Automatiser le traitement des factures"
    )
    changed = changed.replace(
        '<session numero="EX-IA-0001-LYON-S1">', '<session numero="NOUVELLE">'
    )
    path = tmp_path / "offre_modifiee.xml"
    path.write_text(changed, encoding="utf-8")
    out, _ = run_import(path)
    # Only the training whose title and session changed is written again.
    assert "0 formation(s) ont été créées, 1 mise(s) à jour, 1 inchangée(s)" in out
    assert Formation.objects.count() == counts[0] and Action.objects.count() == counts[1]
    assert Formation.objects.get(reference="EX-IA-0001").intitule.startswith(
        "Automatiser le traitement"
    )
    # The session that left the offer had a learner: it is closed, not deleted.
    session.refresh_from_db()
    assert (
        session.etat_recrutement == Session.EtatRecrutement.FERME
        and Inscription.objects.filter(session=session).exists()
    )
    assert Session.objects.filter(reference="NOUVELLE").exists()


def stored() -> dict:
    return {
        f.reference: services.normalized(f) for f in services.with_details(Formation.objects.all())
    }


def test_export_then_import_gives_back_the_same_trainings(db):
    run_import(SAMPLE)
    store(
        training(
            reference="T-CERT",
            certifiante=True,
            certification={"code_rs": "RS9912"},
            actions=[
                {
                    **training()["actions"][0],
                    "reference": "T-CERT-A",
                    "publics": ["APPRENTI", "SALARIE"],
                    "financements": ["CPF", "OPCO"],
                }
            ],
        ),
        reindex=False,
    )
    # Mandatory LHEO elements left empty are written with a filler and come back empty.
    sparse = training(reference="T-VIDE", resultats_attendus="")
    sparse["actions"][0].update(reference="V", rythme="", conditions="")
    store(sparse, reindex=False)
    before = stored()
    buffer = io.BytesIO()
    assert services.export_lheo(buffer) == 4
    Formation.objects.all().delete()
    report = services.import_lheo(io.BytesIO(buffer.getvalue()))
    assert report.rejected == 0 and report.created == 4
    assert stored() == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"<lheo><offres><formation>", "XML mal formé"),
        (b"<?xml version='1.0'?><catalogue/>", "racine"),
        (b"<lheo xmlns='http://example.org/autre'/>", "espace de noms"),
    ],
)
def test_a_file_that_is_not_lheo_is_refused_in_french(db, tmp_path, content, message):
    path = tmp_path / "mauvais.xml"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run_import(path)


def test_entities_cannot_blow_up_the_reader(db, tmp_path):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lheo [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><lheo><offres>&b;</offres></lheo>'
    )
    with pytest.raises(lheo.NotLheo, match="entités"):
        list(lheo.read(io.BytesIO(bomb)))
    path = tmp_path / "bombe.xml"
    path.write_bytes(bomb)
    with pytest.raises(CommandError, match="refusées par sécurité"):
        run_import(path)


def test_a_date_that_is_not_lheo_is_an_error_not_a_permanent_session(db, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace(
        f"<debut>{YEAR}0310</debut>", f"<debut>{YEAR}-03-10</debut>"
    )
    path = tmp_path / "dates.xml"
    path.write_text(text, encoding="utf-8")
    out, err = run_import(path)
    assert f"« {YEAR}-03-10 » n'est pas une date LHEO" in err
    assert not Formation.objects.filter(reference="EX-IA-0001").exists()


def test_same_identifier_twice_in_a_file_is_refused_and_reimport_keeps_a_withdrawal(db, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    first = text.split("<formation ")[1].split("</formation>")[0]
    twice = text.replace("<offres>", "<offres><formation " + first + "</formation>", 1)
    path = tmp_path / "double.xml"
    path.write_text(twice, encoding="utf-8")
    out, err = run_import(path)
    assert "même identifiant « EX-IA-0001 »" in err
    Formation.objects.filter(reference="EX-IA-0001").update(publiee=False)
    run_import(SAMPLE)
    assert Formation.objects.get(reference="EX-IA-0001").publiee is False


def test_public_codes_map_to_the_four_audiences():
    expected = {
        "83056": ["APPRENTI", "DEMANDEUR_EMPLOI", "SALARIE", "DIRIGEANT"],
        "80006": ["DEMANDEUR_EMPLOI"],
        "82044": ["SALARIE"],
        "82020": ["APPRENTI"],
        "82012": ["DIRIGEANT"],
    }
    for code, publics in expected.items():
        assert lheo.PUBLIC_CODES[code]["publics"] == publics
    # Every audience is exported with a code that reads back as that audience.
    for public, code in lheo.EXPORT_PUBLIC.items():
        assert lheo.PUBLIC_CODES[code]["publics"] == [public]


def test_what_lheo_allows_is_accepted_with_a_remark(db, tmp_path):
    """A file written to LHEO 2.3 is imported even when a check digit, an old region code, an
    unknown level or an odd identifier would fail the platform's stricter rules: the remark is
    reported, the data is stored in a valid form."""
    text = SAMPLE.read_text(encoding="utf-8")
    first = text.split("<formation ")[1].split("</formation>")[0]
    first = (
        first.replace("73282932000074", "73282932000075")  # wrong check digit
        .replace(
            "<ville>Lyon</ville></adresse></coordonnees></lieu-de-formation>",
            "<ville>Lyon</ville><region>82</region></adresse></coordonnees></lieu-de-formation>",
        )
        .replace(
            "<code-niveau-entree>14</code-niveau-entree>",
            "<code-niveau-entree>99</code-niveau-entree>",
        )
        .replace('numero="EX-IA-0001"', 'numero="EX IA 0001"')
        .replace(
            "<prix-total-TTC>1 180,00</prix-total-TTC>",
            "<prix-total-TTC>1 180,00 €</prix-total-TTC>",
        )
    )
    path = tmp_path / "tolere.xml"
    path.write_text(
        '<lheo xmlns="http://lheo.gouv.fr/2.3"><offres><formation '
        + first
        + "</formation></offres></lheo>",
        encoding="utf-8",
    )
    out, err = run_import(path, "--details")
    assert "1 formation(s) ont été créées" in out and err == ""
    assert "clé de contrôle du SIRET" in out and "remplacée par 84" in out
    formation = Formation.objects.get(reference="EX-IA-0001")
    lyon = formation.actions.get(reference="EX-IA-0001-LYON")
    assert formation.niveau_entree == "0" and lyon.region_id == "84"
    assert lyon.prix_ttc_centimes == 118000
