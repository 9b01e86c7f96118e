"""A Pol.is conversation brought into a consultation (`services.donnees.import_polis`) and the
consultation's open data (`open_data`) read back by the opinion readers and by Pol.is's own
import: what an operator and a data user would see."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from osezia.consultation import opinion
from osezia.consultation.models import Consultation, Participant, Proposition, Resultats, Vote
from osezia.consultation.services import donnees

from . import factories
from .polis import (
    COMMENTS,
    QUESTION,
    T0,
    VOTES,
    conversation,
    expected_votes,
    write_summary,
    write_votes,
)

pytestmark = pytest.mark.django_db
SLUG = "commerces-lyon"


def imported(tmp_path, **options):
    folder = conversation(tmp_path / "export")
    options.setdefault("question", QUESTION)
    return folder, donnees.import_polis(folder, SLUG, **options)


def stored_votes(consultation) -> dict[tuple[str, str], str]:
    return {
        (externe, comment): vote
        for externe, comment, vote in Vote.objects.filter(consultation=consultation).values_list(
            "participant__externe_id", "proposition__externe_id", "vote"
        )
    }


def snapshot(consultation):
    return (
        list(Consultation.objects.filter(pk=consultation.pk).values()),
        list(Participant.objects.filter(consultation=consultation).order_by("pk").values()),
        list(Proposition.objects.filter(consultation=consultation).order_by("pk").values()),
        list(Vote.objects.filter(consultation=consultation).order_by("pk").values()),
    )


def read(consultation, name) -> bytes:
    return b"".join(donnees.open_data(consultation, name)[2])


# Import --------------------------------------------------------------------------------------


def test_a_conversation_becomes_a_consultation_with_its_votes(tmp_path):
    _, report = imported(tmp_path)
    consultation = Consultation.objects.get(slug=SLUG)
    assert consultation.question == QUESTION
    assert consultation.participants == 7
    assert report.consultation.created == 1
    assert (report.participants.created, report.propositions.created) == (7, 6)
    assert (report.votes.created, report.votes.deleted) == (19, 0)
    # the latest vote of a voter counts: voter 15 disagreed then agreed with comment 0
    wanted = {k: donnees.VOTE_CODES[v] for k, v in expected_votes().items()}
    assert stored_votes(consultation) == wanted
    assert wanted[("15", "0")] == "pour"
    # the dates span the votes
    assert consultation.ouverture == datetime.fromtimestamp((T0 + 60_000) / 1000, UTC)
    assert consultation.cloture == datetime.fromtimestamp((T0 + 20 * 60_000) / 1000, UTC)


def test_moderation_texts_authors_and_counters(tmp_path):
    imported(tmp_path)
    rows = {p.externe_id: p for p in Proposition.objects.select_related("auteur")}
    assert {k: (p.statut, p.motif) for k, p in rows.items()} == {
        "0": ("acceptee", ""),
        "1": ("acceptee", ""),
        "2": ("refusee", "modere_a_la_source"),
        "3": ("en_attente", ""),
        "4": ("acceptee", ""),
        "5": ("acceptee", ""),
    }
    # imported texts kept whole, whatever the platform's own rules for new proposals
    assert [rows[c[0]].texte for c in COMMENTS] == [c[3] for c in COMMENTS]
    assert rows["3"].auteur.externe_id == "10" == rows["0"].auteur.externe_id
    assert (rows["0"].votes, rows["0"].pour, rows["0"].contre, rows["0"].neutre) == (6, 5, 1, 0)
    assert (rows["1"].pour, rows["1"].contre, rows["1"].neutre) == (3, 1, 1)
    for p in rows.values():
        assert p.votes == Vote.objects.filter(proposition=p).count()


def test_imported_participants_are_pseudonymous_and_found_again(tmp_path):
    imported(tmp_path)
    people = list(Participant.objects.all())
    assert all(p.jeton_hash is None and p.compte_id is None for p in people)
    assert all(p.pseudonyme.startswith("polis-") and len(p.pseudonyme) <= 32 for p in people)
    assert len({p.pseudonyme for p in people}) == 7
    assert {p.pseudonyme for p in people} == {
        donnees.polis_pseudonym(SLUG, str(n)) for n in range(10, 17)
    }


def test_a_second_run_changes_nothing(tmp_path):
    folder, _ = imported(tmp_path)
    consultation = Consultation.objects.get(slug=SLUG)
    before = snapshot(consultation)
    report = donnees.import_polis(folder, SLUG, question=QUESTION)
    assert not report.changed
    assert report.consultation.unchanged == 1
    assert (report.participants.unchanged, report.propositions.unchanged) == (7, 6)
    assert report.votes.unchanged == 19
    assert snapshot(consultation) == before


def test_a_changed_vote_moves_the_counters(tmp_path):
    folder, _ = imported(tmp_path)
    # voter 12 changes their mind on comment 0 (disagree → agree); voter 16's vote on 1 is gone
    votes = [v for v in VOTES if (v[1], v[2]) != ("1", "16")] + [(30, "0", "12", 1)]
    write_votes(folder, votes)
    report = donnees.import_polis(folder, SLUG)
    assert (report.votes.updated, report.votes.deleted, report.votes.created) == (1, 1, 0)
    assert report.propositions.updated == 2
    first = Proposition.objects.get(externe_id="0")
    assert (first.votes, first.pour, first.contre) == (6, 6, 0)
    second = Proposition.objects.get(externe_id="1")
    assert (second.votes, second.pour, second.contre, second.neutre) == (4, 3, 0, 1)
    again = donnees.import_polis(folder, SLUG)
    assert not again.changed


def test_question_from_the_summary_else_a_french_error(tmp_path):
    folder = conversation(tmp_path / "export")
    with pytest.raises(donnees.ImportPolisError, match="--question"):
        donnees.import_polis(folder, SLUG)
    assert not Consultation.objects.exists()
    write_summary(folder)
    donnees.import_polis(folder, SLUG)
    consultation = Consultation.objects.get(slug=SLUG)
    assert consultation.question == QUESTION
    assert consultation.description == "Consultation des commerçants de Lyon"


def test_given_dates_are_paris_days(tmp_path):
    imported(tmp_path, ouverture=date(2025, 6, 1), cloture=date(2025, 6, 30))
    consultation = Consultation.objects.get(slug=SLUG)
    # Paris is two hours ahead of UTC in June
    assert consultation.ouverture == datetime(2025, 5, 31, 22, 0, tzinfo=UTC)
    assert consultation.cloture == datetime(2025, 6, 30, 21, 59, 59, tzinfo=UTC)


def test_closing_before_opening_is_refused_and_nothing_stored(tmp_path):
    with pytest.raises(donnees.ImportPolisError, match="La clôture .* doit suivre l'ouverture"):
        imported(tmp_path, ouverture=date(2025, 7, 1), cloture=date(2025, 6, 30))
    # a given opening after the last vote, the closing taken from the votes
    with pytest.raises(donnees.ImportPolisError, match="doit suivre"):
        imported(tmp_path, ouverture=date(2025, 7, 1))
    assert not Consultation.objects.exists() and not Vote.objects.exists()


def test_timestamps_in_seconds_are_recognised(tmp_path):
    folder = conversation(tmp_path / "export")
    write_votes(folder, start=T0 // 1000, unit=60)
    donnees.import_polis(folder, SLUG, question=QUESTION)
    consultation = Consultation.objects.get(slug=SLUG)
    assert consultation.ouverture == datetime.fromtimestamp(T0 / 1000 + 60, UTC)


@pytest.mark.parametrize(
    ("file", "line", "text", "message"),
    [
        ("votes.csv", 3, "1750075260000,x,0,10,1\n1750075320000,x,1,10,oui\n", "vote « oui »"),
        ("votes.csv", 2, "1750075260000,x,9,10,1\n", "commentaire « 9 » absent"),
        ("votes.csv", 2, "hier,x,0,10,1\n", "horodatage « hier »"),
        ("votes.csv", 2, "1750075260000,x,0,voteur n°3,1\n", "voter-id"),
        ("comments.csv", 2, "1750075260000,x,0,10,0,0,1\n", "7 colonne(s) au lieu de 8"),
        ("comments.csv", 3, "1,x,0,10,0,0,1,Un\n2,x,1,10,0,0,2,Deux\n", "moderated « 2 »"),
        ("comments.csv", 2, '1,x,0,10,0,0,1,"Former\n', "CSV mal formé"),
    ],
)
def test_a_malformed_line_names_file_and_line_and_stores_nothing(
    tmp_path, file, line, text, message
):
    folder = conversation(tmp_path / "export")
    header = opinion.POLIS_VOTES_HEADER if file == "votes.csv" else opinion.POLIS_COMMENTS_HEADER
    (folder / file).write_text(",".join(header) + "\n" + text, encoding="utf-8")
    with pytest.raises(donnees.PolisFileError) as error:
        donnees.import_polis(folder, SLUG, question=QUESTION)
    assert (error.value.file, error.value.line) == (file, line)
    assert str(error.value).startswith(f"{file}, ligne {line} : ")
    assert message in str(error.value)
    assert not Consultation.objects.exists() and not Participant.objects.exists()


def test_a_refused_rerun_leaves_the_earlier_import_whole(tmp_path):
    folder, _ = imported(tmp_path)
    consultation = Consultation.objects.get(slug=SLUG)
    before = snapshot(consultation)
    write_votes(folder, [*VOTES, (40, "0", "17", 1)])
    # the new votes are read, then the dates refused: none of them is kept
    with pytest.raises(donnees.ImportPolisError):
        donnees.import_polis(folder, SLUG, ouverture=date(2030, 1, 1))
    assert snapshot(consultation) == before


def test_missing_files_and_folder(tmp_path):
    folder = conversation(tmp_path / "export")
    (folder / "votes.csv").unlink()
    with pytest.raises(donnees.ImportPolisError, match="Fichier introuvable : .*votes.csv"):
        donnees.import_polis(folder, SLUG, question=QUESTION)
    with pytest.raises(donnees.ImportPolisError, match="Dossier introuvable"):
        donnees.import_polis(tmp_path / "nulle-part", SLUG, question=QUESTION)
    with pytest.raises(donnees.ImportPolisError, match="Adresse de consultation"):
        donnees.import_polis(folder, "Commerces de Lyon", question=QUESTION)
    assert not Consultation.objects.exists()


# Open data ---------------------------------------------------------------------------------


@pytest.fixture
def live(db):
    """A consultation of the platform: two accepted proposals, a refused and a pending one, a
    participant with a secret token and an account, qualifications."""
    from tests.comptes.factories import UtilisateurFactory

    consultation = factories.consultation("ia-artisans")
    alice = factories.participant(
        consultation, pseudonyme="loutre-agile-42", jeton_hash="a" * 64, compte=UtilisateurFactory()
    )
    bruno = factories.participant(consultation, pseudonyme="hibou-calme-07")
    carla = factories.participant(consultation, pseudonyme="renard-vif-13")
    former = factories.proposition(
        consultation, "Former les artisans à l'IA en apprentissage", auteur=alice
    )
    guichet = factories.proposition(consultation, "+ de moyens pour les CMA, vite", auteur=bruno)
    refusee = factories.proposition(
        consultation, "Texte injurieux retiré", statut="refusee", motif="injurieux", auteur=carla
    )
    attente = factories.proposition(consultation, "Une idée pas encore relue", statut="en_attente")
    factories.vote(alice, former, "pour", qualification="coup_de_coeur")
    factories.vote(bruno, former, "pour", qualification="realiste")
    factories.vote(carla, former, "contre", qualification="surtout_pas")
    factories.vote(alice, guichet, "neutre")
    factories.vote(carla, guichet, "pour")
    factories.vote(bruno, refusee, "contre")
    factories.vote(carla, attente, "pour")
    return consultation, {
        "former": former,
        "guichet": guichet,
        "refusee": refusee,
        "attente": attente,
    }


def test_proposals_csv_accepted_only_read_back_by_the_opinion_reader(live):
    consultation, p = live
    kind, filename, chunks = donnees.open_data(consultation, "propositions.csv")
    assert (kind, filename) == ("text/csv; charset=utf-8", "ia-artisans-propositions.csv")
    text = b"".join(chunks).decode()
    assert text.startswith("id,texte,")
    ids, hidden = opinion.read_comments(io.StringIO(text))
    assert ids == [str(p["former"].pk), str(p["guichet"].pk)] and hidden == set()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["texte"] == "Former les artisans à l'IA en apprentissage"
    assert rows[1]["texte"] == "'+ de moyens pour les CMA, vite"  # no formula in a spreadsheet
    assert (rows[0]["votes"], rows[0]["pour"], rows[0]["contre"], rows[0]["neutre"]) == (
        "3",
        "2",
        "1",
        "0",
    )
    assert (rows[0]["coup_de_coeur"], rows[0]["realiste"], rows[0]["surtout_pas"]) == (
        "1",
        "1",
        "1",
    )
    assert rows[0]["auteur"] == "loutre-agile-42" and rows[0]["statut"] == "acceptee"
    assert "refusee" not in text and "injurieux" not in text and "pas encore relue" not in text


def test_votes_csv_names_pseudonyms_and_reads_back(live):
    consultation, p = live
    text = read(consultation, "votes.csv").decode()
    assert text.splitlines()[0] == "participant,proposition,vote,qualification,date"
    votes = sorted(opinion.read_votes(io.StringIO(text)))
    former, guichet = str(p["former"].pk), str(p["guichet"].pk)
    assert votes == sorted(
        [
            ("loutre-agile-42", former, 1),
            ("hibou-calme-07", former, 1),
            ("renard-vif-13", former, -1),
            ("loutre-agile-42", guichet, 0),
            ("renard-vif-13", guichet, 1),
        ]
    )
    assert "coup_de_coeur" in text


def test_the_token_and_the_account_are_never_exported(live):
    consultation, _ = live
    alice = Participant.objects.get(pseudonyme="loutre-agile-42")
    for name in donnees.OPEN_DATA_NAMES:
        content = read(consultation, name)
        assert b"a" * 64 not in content, name
        assert alice.compte.email.encode() not in content, name
        if name.endswith(".csv"):
            assert b"loutre-agile-42" in content, name


def test_parquet_files_hold_the_same_rows_in_row_groups(live, monkeypatch):
    consultation, p = live
    monkeypatch.setattr(donnees, "ROW_GROUP", 2)
    kind, filename, chunks = donnees.open_data(consultation, "votes.parquet")
    assert (kind, filename) == ("application/vnd.apache.parquet", "ia-artisans-votes.parquet")
    parts = list(chunks)
    assert len(parts) >= 3  # yielded as each row group is written
    table = pq.read_table(pa.BufferReader(b"".join(parts)))
    assert pq.ParquetFile(pa.BufferReader(b"".join(parts))).metadata.num_row_groups == 3
    assert table.column_names == ["participant", "proposition", "vote", "qualification", "date"]
    assert sorted(
        zip(*[table[c].to_pylist() for c in ("participant", "proposition", "vote")], strict=True)
    ) == sorted(
        (a, int(b), c)
        for a, b, c in opinion.read_votes(io.BytesIO(read(consultation, "votes.csv")))
    )
    propositions = pq.read_table(pa.BufferReader(read(consultation, "propositions.parquet")))
    assert propositions["id"].to_pylist() == [p["former"].pk, p["guichet"].pk]
    assert propositions["texte"].to_pylist()[1] == "+ de moyens pour les CMA, vite"
    assert propositions.schema.metadata[b"licence"] == b"Licence Ouverte 2.0 (Etalab)"


def test_an_unknown_file_is_a_key_error(live):
    consultation, _ = live
    with pytest.raises(KeyError):
        donnees.open_data(consultation, "participants.csv")


def test_csv_is_streamed_in_chunks(live, monkeypatch):
    consultation, _ = live
    monkeypatch.setattr(donnees, "FLUSH_BYTES", 64)
    _, _, chunks = donnees.open_data(consultation, "votes.csv")
    parts = list(chunks)
    assert len(parts) > 2
    assert len(b"".join(parts).decode().splitlines()) == 6


def test_polis_exports_have_polis_headers_and_groups(live, tmp_path):
    consultation, p = live
    Resultats.objects.create(
        consultation=consultation,
        donnees={"groupes": {"loutre-agile-42": 0, "hibou-calme-07": 0, "renard-vif-13": 1}},
    )
    comments = read(consultation, "polis/comments.csv").decode()
    assert comments.splitlines()[0] == ",".join(opinion.POLIS_COMMENTS_HEADER)
    votes = read(consultation, "polis/votes.csv").decode()
    assert votes.splitlines()[0] == ",".join(opinion.POLIS_VOTES_HEADER)
    first = next(csv.DictReader(io.StringIO(votes)))
    assert int(first["timestamp"]) > 1e12  # milliseconds, as Pol.is writes them
    matrix = list(
        csv.reader(io.StringIO(read(consultation, "polis/participants-votes.csv").decode()))
    )
    former, guichet = str(p["former"].pk), str(p["guichet"].pk)
    assert matrix[0] == [
        "participant",
        "group-id",
        "n-comments",
        "n-votes",
        "n-agree",
        "n-disagree",
        former,
        guichet,
    ]
    rows = {row[0]: row[1:] for row in matrix[1:]}
    assert rows == {
        "loutre-agile-42": ["0", "1", "2", "1", "0", "1", "0"],
        "hibou-calme-07": ["0", "1", "1", "1", "0", "1", ""],
        "renard-vif-13": ["1", "0", "2", "1", "1", "-1", "1"],
    }
    # the opinion groups command reads the Pol.is files as they are
    (tmp_path / "votes.csv").write_text(votes, encoding="utf-8")
    (tmp_path / "comments.csv").write_text(comments, encoding="utf-8")
    out = tmp_path / "groupes.json"
    call_command(
        "opinion_groups",
        "--votes",
        str(tmp_path / "votes.csv"),
        "--comments",
        str(tmp_path / "comments.csv"),
        "--out",
        str(out),
    )
    assert out.exists()


def test_the_platform_polis_export_imports_back_the_same(tmp_path):
    folder, _ = imported(tmp_path)
    source = Consultation.objects.get(slug=SLUG)
    again = tmp_path / "again"
    again.mkdir()
    for name in ("comments", "votes"):
        (again / f"{name}.csv").write_bytes(read(source, f"polis/{name}.csv"))
    report = donnees.import_polis(again, "commerces-lyon-bis", question=QUESTION)
    copy = Consultation.objects.get(slug="commerces-lyon-bis")
    assert report.propositions.created == 4  # the accepted ones

    def by_text(consultation):
        return {
            (who, text): vote
            for who, text, vote in Vote.objects.filter(consultation=consultation).values_list(
                "participant__pseudonyme", "proposition__texte", "vote"
            )
        }

    original = {
        (who, text): vote
        for (who, text), vote in by_text(source).items()
        if text in {c[3] for c in COMMENTS if c[2] == 1}
    }
    # the copy's participants are named after the original pseudonyms (their Pol.is voter-id)
    pseudonyms = dict(
        Participant.objects.filter(consultation=copy).values_list("pseudonyme", "externe_id")
    )
    assert {(pseudonyms[w], t): v for (w, t), v in by_text(copy).items()} == original
    texts = set(Proposition.objects.filter(consultation=copy).values_list("texte", flat=True))
    assert texts == {c[3] for c in COMMENTS if c[2] == 1}  # « -20 % … » and « =LIEN… » whole
    assert set(Proposition.objects.filter(consultation=copy).values_list("statut", flat=True)) == {
        "acceptee"
    }
    counters = lambda c: sorted(  # noqa: E731
        Proposition.objects.filter(consultation=c, statut="acceptee").values_list(
            "texte", "votes", "pour", "contre", "neutre"
        )
    )
    assert counters(copy) == counters(source)
    assert abs(copy.ouverture - source.ouverture) < timedelta(milliseconds=1)


def test_a_past_consultation_is_brought_in_whole_with_its_counters_and_results():
    from datetime import timedelta

    from django.utils import timezone

    from osezia.consultation.models import Consultation, Proposition, Resultats, Signalement
    from osezia.consultation.services.donnees import PastConsultation, bring_in

    start = timezone.now() - timedelta(days=40)
    people = [{"pseudonyme": f"passe-{i}", "tranche_age": "18_24"} for i in range(4)]
    proposals = [
        {"texte": "Il faut une idée votée", "auteur": 0},
        {"texte": "Il faut une idée en attente", "auteur": 1, "statut": "en_attente"},
        {"texte": "Il faut une idée signalée", "auteur": 2, "signale_par": [0, 1, 3]},
    ]
    votes = [
        (0, 0, "pour", "realiste", start),
        (1, 0, "contre", "", start),
        (2, 0, "pour", "", start),
    ]
    bad = PastConsultation(
        "passee",
        "Q ?",
        "",
        start,
        start + timedelta(days=30),
        people,
        proposals,
        [*votes, (3, 0, "pour", "surtout_pas", start)],
    )
    with pytest.raises(ValueError, match="qualification"):
        bring_in(bad)
    assert not Consultation.objects.exists()
    good = PastConsultation(
        "passee", "Q ?", "", start, start + timedelta(days=30), people, proposals, votes
    )
    consultation = bring_in(good)
    voted = Proposition.objects.get(texte="Il faut une idée votée")
    assert (voted.votes, voted.pour, voted.contre) == (3, 2, 1)
    assert Proposition.objects.get(texte="Il faut une idée signalée").masquee
    assert Signalement.objects.count() == 3
    assert consultation.participants == 4
    stored = Resultats.objects.get(consultation=consultation).donnees
    assert [p["texte"] for p in stored["propositions"]] == ["Il faut une idée votée"]
