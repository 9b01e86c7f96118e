import pytest
from django.core.exceptions import ValidationError

from osezia.comptes.models import Adhesion, DemandeRattachement
from osezia.entreprises import services
from osezia.entreprises.models import Entreprise


def data(**overrides):
    values = {
        "identifiant": "812 345 676 00017",
        "denomination": "Boulangerie Morel",
        "naf": "10.71c",
        "effectif": 8,
        "departement": "69",
        "chiffre_affaires_eur": 900_000,
    }
    values.update(overrides)
    return services.DonneesEntreprise(**values)


def test_creating_a_company_derives_naf_size_region_and_makes_the_creator_admin(make_user):
    user = make_user()
    entreprise = services.create_entreprise(user, data())
    assert entreprise.siren == "812345676"
    assert entreprise.siret == "81234567600017"
    assert entreprise.naf_id == "10.71C"
    assert (entreprise.categorie_taille, entreprise.taille_estimee) == ("TPE", False)
    assert entreprise.region_id == "84"
    assert entreprise.chiffre_affaires_cents == 90_000_000
    assert Adhesion.objects.get(entreprise=entreprise).est_admin
    assert "ENTREPRISE" in user.roles


def test_headcount_alone_is_stored_as_an_estimate(make_user):
    entreprise = services.create_entreprise(make_user(), data(chiffre_affaires_eur=None))
    assert (entreprise.categorie_taille, entreprise.taille_estimee) == ("TPE", True)


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"identifiant": "81234567600018"}, "identifiant", "clé de contrôle"),
        ({"naf": "10.71"}, "naf", "sous-classe"),
        ({"naf": "99.99Z"}, "naf", "sous-classe"),
        ({"departement": "20"}, "departement", "département"),
        ({"effectif": -3}, "effectif", "négatif"),
        ({"chiffre_affaires_eur": -1}, "chiffre_affaires_eur", "négatif"),
        ({"denomination": "  "}, "denomination", "nom"),
        ({"code_postal": "6900"}, "code_postal", "5 chiffres"),
        ({"description": "x" * 5001}, "description", "5000"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(make_user, overrides, field, text):
    with pytest.raises(ValidationError) as excinfo:
        services.create_entreprise(make_user(), data(**overrides))
    assert text in " ".join(excinfo.value.message_dict[field])
    assert Entreprise.objects.count() == 0
    assert Adhesion.objects.count() == 0


def test_a_company_is_registered_once_and_a_second_registrant_only_sends_a_claim(make_user):
    first = make_user()
    entreprise = services.create_entreprise(first, data())
    second = make_user()
    claim = services.create_entreprise(second, data(identifiant="812345676", denomination="X"))
    assert isinstance(claim, DemandeRattachement) and claim.statut == "en_attente"
    assert (claim.demandeur, claim.organisation_id) == (second, entreprise.pk)
    assert Entreprise.objects.count() == 1
    entreprise.refresh_from_db()
    assert entreprise.denomination == "Boulangerie Morel"  # nothing the claimant typed applies
    assert list(entreprise.adhesions.values_list("utilisateur", "est_admin")) == [(first.pk, True)]
    # A company registered on someone's behalf (no user) still refuses a duplicate.
    with pytest.raises(ValidationError) as excinfo:
        services.create_entreprise(None, data(identifiant="812345676"))
    assert "déjà inscrite" in excinfo.value.message_dict["identifiant"][0]


def test_edit_recomputes_the_size_and_keeps_the_siren(make_user):
    entreprise = services.create_entreprise(make_user(), data())
    services.update_entreprise(entreprise, data(effectif=40, chiffre_affaires_eur=5_000_000))
    entreprise.refresh_from_db()
    assert entreprise.categorie_taille == "PME"
    with pytest.raises(ValidationError):
        services.update_entreprise(entreprise, data(identifiant="732829320"))


def test_members_join_by_accepting_an_invitation_and_the_admin_cannot_be_removed(make_user):
    admin = make_user()
    entreprise = services.create_entreprise(admin, data())
    colleague = make_user(email="collegue@exemple.fr")
    services.invite_member(entreprise, "Collegue@Exemple.fr", admin)
    assert not entreprise.adhesions.filter(utilisateur=colleague).exists()  # not before accepting
    (invitation,) = services.invitations_for(colleague)
    services.answer_invitation(colleague, invitation.pk, accept=True)
    adhesion = Adhesion.objects.get(entreprise=entreprise, utilisateur=colleague)
    assert not adhesion.est_admin
    admin_adhesion = Adhesion.objects.get(entreprise=entreprise, est_admin=True)
    with pytest.raises(ValidationError):
        services.remove_member(entreprise, admin_adhesion.pk)
    services.remove_member(entreprise, adhesion.pk)
    assert list(entreprise.adhesions.values_list("utilisateur", flat=True)) == [admin.pk]
