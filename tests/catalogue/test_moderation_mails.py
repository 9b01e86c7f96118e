"""The provider's members hear of each moderation decision by e-mail, after the commit."""

import pytest

from osezia.catalogue import services
from tests.catalogue import factories
from tests.catalogue.conftest import make_line


@pytest.fixture
def submitted(make_user):
    author, colleague, stranger = make_user(), make_user(), make_user()
    fournisseur = factories.provider(author)
    services.add_member(fournisseur, colleague)
    factories.provider(stranger, n=2)
    solution = services.save_draft(fournisseur, make_line(), author, submit_now=True)
    return solution, {author.email, colleague.email}, stranger


def test_publication_is_told_to_every_member_after_the_commit(
    submitted, operator, mailoutbox, immediate_tasks
):
    solution, members, stranger = submitted
    with immediate_tasks(execute=True) as callbacks:
        services.publish(solution.version_en_cours, operator)
        assert mailoutbox == []  # nothing leaves before the commit
    assert callbacks
    assert {m.to[0] for m in mailoutbox} == members and len(mailoutbox) == 2
    mail = mailoutbox[0]
    assert "« Devis Express » est publiée au catalogue" in mail.subject
    assert "/catalogue/solutions/devis-express/" in mail.body
    assert stranger.email not in {m.to[0] for m in mailoutbox}


def test_a_refusal_is_told_with_its_reason(submitted, operator, mailoutbox, immediate_tasks):
    solution, members, _ = submitted
    with immediate_tasks(execute=True):
        services.refuse(solution.version_en_cours, operator, "Le prix annoncé est incohérent.")
    assert {m.to[0] for m in mailoutbox} == members
    mail = mailoutbox[0]
    assert "n'est pas publiée" in mail.subject
    assert "Le prix annoncé est incohérent." in mail.body
    assert "/catalogue/espace-fournisseur/" in mail.body


def test_an_invalid_decision_mails_nobody(submitted, operator, mailoutbox, immediate_tasks):
    from django.core.exceptions import ValidationError

    solution, _, _ = submitted
    with immediate_tasks(execute=True), pytest.raises(ValidationError):
        services.refuse(solution.version_en_cours, operator, "   ")
    assert mailoutbox == []
