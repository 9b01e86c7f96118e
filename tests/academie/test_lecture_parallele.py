"""A large LHEO offer read by several processes: the same trainings, errors and remarks as
when it is read in one, whatever the file's namespace prefixes, encoding, empty or odd
elements and the way its bytes arrive; a file that is not LHEO refused the same way."""

import io

import pytest
from django.core.management import CommandError, call_command

from osezia.academie import format as fmt
from osezia.academie import lheo, preparation
from osezia.academie.models import Action, Formation, Session
from osezia.academie.services import trainings
from osezia.referentiels.queries import departement_regions
from tests.academie.conftest import DATA, training

NS = lheo.NS


class Trickle(io.BytesIO):
    """A stream that gives a few bytes at a time, so that every element of the file is cut
    somewhere between two reads."""

    def read(self, size=-1):
        return super().read(7)


def both(data: bytes, stream=io.BytesIO) -> tuple[list, list]:
    regions, families = departement_regions(), trainings.family_codes()
    alone = list(preparation.prepared(stream(data), regions, families, workers=0))
    shared = list(preparation.prepared(stream(data), regions, families, workers=2))
    return alone, shared


def offer_bytes(count: int) -> bytes:
    regions, families = departement_regions(), trainings.family_codes()
    items = []
    for i in range(count):
        data = training(reference=f"P-{i:03d}", intitule=f"Formation à l'IA n° {i}")
        cleaned, errors = fmt.check_formation(data, regions, families)
        assert not errors, errors
        items.append(cleaned)
    buffer = io.BytesIO()
    lheo.write(items, buffer)
    text = buffer.getvalue().decode("utf-8")
    for i in range(3, count, 7):  # an invalid training among the others: no title
        text = text.replace(f"Formation à l'IA n° {i}<", "<", 1)
    return text.encode("utf-8")


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(preparation, "BATCH", 3)  # many batches, several waiting at once


def test_workers_give_what_one_process_gives(db, small_batches):
    alone, shared = both(offer_bytes(40))
    assert len(shared) == 40
    assert [(p.position, p.path) for p in shared] == [(p.position, p.path) for p in alone]
    assert [p.cleaned for p in shared] == [p.cleaned for p in alone]
    assert [p.errors for p in shared] == [p.errors for p in alone]
    assert [p.notes for p in shared] == [p.notes for p in alone]
    assert any(p.errors for p in shared) and sum(bool(p.cleaned) for p in shared) >= 30


def test_elements_cut_between_two_reads_come_back_whole(db, small_batches):
    alone, shared = both(offer_bytes(12), stream=Trickle)
    assert [p.cleaned for p in shared] == [p.cleaned for p in alone]
    assert [p.errors for p in shared] == [p.errors for p in alone]


def test_prefixes_encoding_empty_and_character_data_sections(db, small_batches):
    example = (DATA / "offre_exemple.xml").read_text(encoding="utf-8")
    body = example.split("<offres>", 1)[1].rsplit("</offres>", 1)[0]
    # Prefixed names declared on the root, an empty training, a section of character data
    # holding the words « </formation> », in ISO-8859-1.
    body = body.replace("<", "<l:").replace("<l:/", "</l:").replace("<l:!--", "<!--")
    body = body.replace(
        "<l:contenu-formation>",
        "<l:contenu-formation><![CDATA[Balises <b> et </l:formation> citées ; ]]>",
        1,
    )
    document = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        f'<l:lheo xmlns:l="{NS}"><l:offres>{body}<l:formation numero="VIDE"/></l:offres></l:lheo>'
    ).encode("iso-8859-1")
    alone, shared = both(document, stream=Trickle)
    assert len(alone) == example.count("<formation") + 1  # the example's and the empty one
    assert [p.cleaned for p in shared] == [p.cleaned for p in alone]
    assert [p.errors for p in shared] == [p.errors for p in alone]
    assert "Balises <b> et </l:formation> citées" in shared[0].cleaned["contenu"]
    assert shared[-1].errors and not shared[-1].cleaned  # the empty training is refused


def test_comments_instructions_and_attributes_that_hold_the_training_tags(db, small_batches):
    # The trainings are found in the file's bytes: what looks like their tags in a comment, a
    # processing instruction is not cut, nor is a training whose attribute holds a `>`.
    text = offer_bytes(6).decode("utf-8")
    text = text.replace(
        "<formation ", "<!-- <formation numero='X'> --><?note </formation>?><formation ", 1
    )
    text = text.replace("<intitule-formation>", "<!-- </formation> --><intitule-formation>", 2)
    text = text.replace('<formation numero="', '<formation note="a > b" numero="', 1)
    alone, shared = both(text.encode("utf-8"), stream=Trickle)
    assert len(shared) == 6
    assert [p.cleaned for p in shared] == [p.cleaned for p in alone]
    assert [p.errors for p in shared] == [p.errors for p in alone]


@pytest.mark.parametrize(
    "declared, codec",
    [("UTF-16", "utf-16"), ("UTF-16BE", "utf-16-be")],
)
def test_a_file_whose_markup_is_not_ascii_bytes_is_read_the_same_way(
    db, small_batches, declared, codec
):
    text = offer_bytes(8).decode("utf-8").replace('encoding="UTF-8"', f'encoding="{declared}"')
    assert f'encoding="{declared}"' in text
    alone, shared = both(text.encode(codec), stream=Trickle)
    assert len(shared) == 8
    assert [p.cleaned for p in shared] == [p.cleaned for p in alone]
    assert [p.errors for p in shared] == [p.errors for p in alone]


@pytest.mark.parametrize(
    "document, message",
    [
        (b'<?xml version="1.0"?><lheo><offres><formation numero="A">', "mal formé"),
        (b"<offres><formation/></offres>", "la racine du fichier est <offres>"),
        (b'<lheo xmlns="urn:autre"><offres/></lheo>', "espace de noms"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lheo [<!ENTITY e "x">]><lheo><offres/></lheo>',
            "entités",
        ),
        (b"", "mal formé"),
        (b"<formation/>", "la racine du fichier est <formation>"),
        (b'<lheo><offres><formation numero="A"/></offres>', "mal formé"),
        (b'<lheo><offres></formation><formation numero="A"/></offres></lheo>', "mal formé"),
    ],
)
def test_a_file_that_is_not_lheo_is_refused_as_in_one_process(db, document, message):
    regions, families = departement_regions(), trainings.family_codes()
    for workers in (0, 2):
        with pytest.raises(lheo.NotLheo, match=message):
            list(preparation.prepared(io.BytesIO(document), regions, families, workers))


def test_the_command_with_processes_stores_the_same_offer(db, empty_index, tmp_path):
    path = tmp_path / "offre.xml"
    path.write_bytes(offer_bytes(25))

    def stored():
        return (
            sorted(Formation.objects.values_list("reference", "intitule", "familles")),
            sorted(Action.objects.values_list("formation__reference", "reference", "publics")),
            sorted(Session.objects.values_list("action__reference", "reference", "debut")),
        )

    out = io.StringIO()
    call_command("import_lheo", str(path), "--processus", "2", stdout=out, stderr=io.StringIO())
    assert "21 formation(s) ont été créées" in out.getvalue(), out.getvalue()
    with_processes = stored()
    Formation.objects.all().delete()
    call_command(
        "import_lheo", str(path), "--processus", "0", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert stored() == with_processes
    again = io.StringIO()
    call_command("import_lheo", str(path), "--processus", "2", stdout=again, stderr=io.StringIO())
    assert "0 mise(s) à jour, 21 inchangée(s)" in again.getvalue()


def test_the_number_of_processes_is_bounded(db, tmp_path):
    path = tmp_path / "offre.xml"
    path.write_bytes(offer_bytes(1))
    with pytest.raises(CommandError, match="entre 0 et 64"):
        call_command("import_lheo", str(path), "--processus", "500")
