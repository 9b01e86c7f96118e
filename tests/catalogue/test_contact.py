"""A contact request reaches the provider with a clean subject, or the operators hear of it."""

import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend

from osezia.catalogue import services
from osezia.catalogue.models import DemandeContact, Solution, VersionSolution
from tests.catalogue.test_services import make_line, write
from tests.conftest import login_with_code
from tests.html import assert_valid_html

PROVIDER = "contact@devis-express.example.fr"


class RelayRefusingProviders(EmailBackend):
    """The relay accepts the operators' mail but refuses the provider's address."""

    def send_messages(self, messages):
        if any(PROVIDER in m.to for m in messages):
            raise smtplib.SMTPRecipientsRefused({PROVIDER: (550, b"mailbox unavailable")})
        return super().send_messages(messages)


@pytest.fixture
def solution(db, tmp_path):
    services.import_lines(services.read_lines(write(tmp_path, [make_line()])))
    return Solution.objects.get(id_externe="devis-express")


def _rename(solution, name):
    """A published name as stored before names were checked (line breaks in it)."""
    version = solution.version_publiee
    VersionSolution.objects.filter(pk=version.pk).update(contenu={**version.contenu, "nom": name})


def _contact(solution, email="lea@exemple.fr"):
    return services.contact(
        solution,
        "Léa\nMartin",
        email,
        "Boulangerie\r\nMartin",
        "Bonjour, je voudrais un devis pour trois personnes.",
        "1.2.3.4",
    )


def test_a_name_with_a_line_break_still_sends_with_a_one_line_subject(
    solution, mailoutbox, immediate_tasks
):
    _rename(solution, "Devis\nExpress\r\nBcc: victime@example.fr")
    with immediate_tasks(execute=True):
        demande = _contact(solution)
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == [PROVIDER]
    assert sent.subject == "[Osez l'IA] Demande de contact : Devis Express Bcc: victime@example.fr"
    header = sent.message()
    assert header["Bcc"] is None and "\n" not in header["Subject"]
    assert "Léa Martin (lea@exemple.fr) — Boulangerie Martin" in sent.body
    demande.refresh_from_db()
    assert demande.statut == DemandeContact.Statut.ENVOYEE and demande.envoye_le is not None


def test_a_refused_send_is_marked_failed_and_operators_are_told(
    solution, operator, make_user, mailoutbox, immediate_tasks, settings
):
    settings.EMAIL_BACKEND = "tests.catalogue.test_contact.RelayRefusingProviders"
    make_user(email="pas-operateur@exemple.fr")
    with immediate_tasks(execute=True):
        demande = _contact(solution)
    demande.refresh_from_db()
    assert demande.statut == DemandeContact.Statut.ECHEC
    assert "SMTPRecipientsRefused" in demande.erreur and demande.envoye_le is None
    assert len(mailoutbox) == 1
    alert = mailoutbox[0]
    assert alert.to == [operator.email]
    assert f"n° {demande.pk}" in alert.subject and "n'a pas pu être transmise" in alert.body


def test_a_solution_without_contact_address_is_a_failure_too(
    solution, operator, mailoutbox, immediate_tasks
):
    version = solution.version_publiee
    VersionSolution.objects.filter(pk=version.pk).update(
        contenu={**version.contenu, "contact_email": ""}
    )
    with immediate_tasks(execute=True):
        demande = _contact(solution)
    demande.refresh_from_db()
    assert demande.statut == DemandeContact.Statut.ECHEC
    assert [m.to for m in mailoutbox] == [[operator.email]]


def test_the_sender_is_told_the_message_is_queued_not_delivered(client, solution, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = client.post(
        "/catalogue/solutions/devis-express/",
        {
            "nom": "Léa Martin",
            "email": "lea@exemple.fr",
            "message": "Bonjour, je voudrais un devis pour trois personnes.",
        },
        follow=True,
    )
    told = [str(m) for m in response.context["messages"]]
    assert told == [
        "Votre message est enregistré : il va être transmis au fournisseur par e-mail "
        "dans les prochaines minutes."
    ]
    assert told[0] in response.content.decode()
    assert DemandeContact.objects.get().statut == DemandeContact.Statut.EN_ATTENTE


def test_operators_see_failed_requests_and_send_them_again(
    client, solution, operator, make_user, mailoutbox, immediate_tasks, settings
):
    settings.EMAIL_BACKEND = "tests.catalogue.test_contact.RelayRefusingProviders"
    with immediate_tasks(execute=True):
        demande = _contact(solution)
    provider_user = make_user()
    client.force_login(provider_user)
    assert client.post(f"/catalogue/moderation/contacts/{demande.pk}/renvoyer/").status_code == 403
    login_with_code(client, operator)
    response = client.get("/catalogue/moderation/")
    assert_valid_html(response.content)
    page = response.content.decode()
    assert "Demandes de contact non transmises" in page and "SMTPRecipientsRefused" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with immediate_tasks(execute=True):
        client.post(f"/catalogue/moderation/contacts/{demande.pk}/renvoyer/")
    demande.refresh_from_db()
    assert demande.statut == DemandeContact.Statut.ENVOYEE
    assert mailoutbox[-1].to == [PROVIDER]
    page = client.get("/catalogue/moderation/").content.decode()
    assert "Aucune demande de contact en échec" in page
    response = client.post(f"/catalogue/moderation/contacts/{demande.pk}/renvoyer/", follow=True)
    assert "pas en échec" in response.content.decode()
