"""A contact request reaches the provider with a clean subject, or the operators hear of it."""

import smtplib

import pytest
from django.core.exceptions import ValidationError
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
    assert len(mailoutbox) == 2  # the provider's message and the sender's copy
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
    assert mailoutbox[-2].to == [PROVIDER] and mailoutbox[-1].to == ["lea@exemple.fr"]
    page = client.get("/catalogue/moderation/").content.decode()
    assert "Aucune demande de contact en échec" in page
    response = client.post(f"/catalogue/moderation/contacts/{demande.pk}/renvoyer/", follow=True)
    assert "pas en échec" in response.content.decode()


def test_the_provider_answers_the_sender_who_gets_a_copy(solution, mailoutbox, immediate_tasks):
    with immediate_tasks(execute=True):
        _contact(solution)
    to_provider, copy = mailoutbox
    assert to_provider.to == [PROVIDER] and to_provider.reply_to == ["lea@exemple.fr"]
    assert to_provider.message()["Reply-To"] == "lea@exemple.fr"
    assert "Bonjour, je voudrais un devis" in to_provider.body
    assert copy.to == ["lea@exemple.fr"] and "Copie de votre message" in copy.subject
    assert "Bonjour, je voudrais un devis" in copy.body
    assert PROVIDER not in copy.body and "Essai Logiciels" in copy.body
    assert "12 mois" in copy.body


def test_a_failed_copy_leaves_the_request_sent(solution, mailoutbox, immediate_tasks, settings):
    settings.EMAIL_BACKEND = "tests.catalogue.test_contact.RelayRefusingTheSender"
    with immediate_tasks(execute=True):
        demande = _contact(solution)
    demande.refresh_from_db()
    assert demande.statut == DemandeContact.Statut.ENVOYEE
    assert [m.to for m in mailoutbox] == [[PROVIDER]]


class RelayRefusingTheSender(EmailBackend):
    def send_messages(self, messages):
        if any("lea@exemple.fr" in m.to for m in messages):
            raise smtplib.SMTPRecipientsRefused({"lea@exemple.fr": (550, b"no")})
        return super().send_messages(messages)


def test_one_address_cannot_flood_a_mailbox_with_copies(db, tmp_path):
    lines = [make_line(id_externe=f"s-{n}", nom=f"Solution {n}") for n in range(7)]
    services.import_lines(services.read_lines(write(tmp_path, lines)))
    for n in range(services.contacts.CONTACT_PER_ADDRESS_PER_DAY):
        services.contact(
            Solution.objects.get(id_externe=f"s-{n}"),
            "Léa",
            "lea@exemple.fr",
            "",
            "Bonjour, une question sur vos tarifs.",
            f"10.0.0.{n}",
        )
    with pytest.raises(ValidationError) as refused:
        services.contact(
            Solution.objects.get(id_externe="s-6"),
            "Léa",
            "LEA@exemple.fr",
            "",
            "Bonjour, une question sur vos tarifs.",
            "10.0.1.1",
        )
    assert "réessayez demain" in refused.value.messages[0]


def test_the_form_says_who_receives_the_message_and_how_long_it_is_kept(client, solution):
    page = client.get(f"/catalogue/solutions/{solution.id_externe}/").content.decode()
    notice = page[page.index('id="contact-donnees"') :]
    notice = notice[: notice.index("</div>")]
    assert "transmis par courriel à <strong>Essai Logiciels (fictif)</strong>" in notice
    assert "vous en recevez une copie" in notice and "conserve votre demande 12 mois" in notice


def test_contact_requests_past_their_retention_are_deleted(solution):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    old, recent = _contact(solution), _contact(solution, email="paul@exemple.fr")
    DemandeContact.objects.filter(pk=old.pk).update(cree_le=timezone.now() - timedelta(days=361))
    call_command("purge_demandes_contact", stdout=__import__("io").StringIO())
    assert list(DemandeContact.objects.values_list("pk", flat=True)) == [recent.pk]
