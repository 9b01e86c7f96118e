"""Pol.is conversations written as Pol.is exports them (`comments.csv`, `votes.csv`,
`summary.csv`): a small French one for the tests and a synthetic one of any size for the
benchmark (`bench/bench_import_polis.py`)."""

import csv
import random
from pathlib import Path

from osezia.consultation.opinion import POLIS_COMMENTS_HEADER, POLIS_VOTES_HEADER

QUESTION = "Comment l'intelligence artificielle peut-elle aider les commerces de proximité ?"
T0 = 1_750_075_200_000  # 16 June 2025 12:00 UTC, in milliseconds as Pol.is writes them
MINUTE = 60_000

# (comment-id, author-id, moderated, text)
COMMENTS = [
    ("0", "10", 1, "Former les commerçants aux outils d'IA générative, en soirée"),
    ("1", "11", 1, "Un guichet unique pour les aides à la numérisation des boutiques"),
    ("2", "12", -1, "Tous ces élus sont des incapables, votez pour moi aux municipales"),
    ("3", "10", 0, "Des diagnostics gratuits dans chaque chambre de commerce"),
    ("4", "13", 1, "-20 % de charges pour les TPE qui s'équipent d'un logiciel d'IA"),
    ("5", "14", 1, '=LIEN_HYPERTEXTE("http://exemple.fr") : une plateforme nationale'),
]

# (minutes after T0, comment-id, voter-id, vote)
VOTES = [
    (1, "0", "10", 1),
    (2, "1", "10", 1),
    (3, "4", "10", -1),
    (4, "0", "11", 1),
    (5, "1", "11", 1),
    (6, "2", "11", -1),
    (7, "0", "12", -1),
    (8, "1", "12", 0),
    (9, "5", "12", 1),
    (10, "0", "13", 1),
    (11, "4", "13", 1),
    (12, "0", "14", 1),
    (13, "3", "14", 1),
    (14, "5", "14", -1),
    (15, "0", "15", -1),
    (16, "1", "15", 1),
    (17, "0", "15", 1),  # voter 15 changes their mind on comment 0: agree counts
    (18, "4", "15", 0),
    (19, "5", "16", 1),
    (20, "1", "16", -1),
]


def write_comments(folder: Path, comments=COMMENTS, start: int = T0) -> Path:
    path = folder / "comments.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(POLIS_COMMENTS_HEADER)
        for n, (ident, author, moderated, text) in enumerate(comments):
            stamp = start - (len(comments) - n) * MINUTE
            writer.writerow([stamp, "Mon Jun 16 2025", ident, author, 0, 0, moderated, text])
    return path


def write_votes(folder: Path, votes=VOTES, start: int = T0, unit: int = MINUTE) -> Path:
    path = folder / "votes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(POLIS_VOTES_HEADER)
        for minutes, comment, voter, vote in votes:
            writer.writerow([start + minutes * unit, "Mon Jun 16 2025", comment, voter, vote])
    return path


def write_summary(folder: Path, topic: str = QUESTION) -> Path:
    path = folder / "summary.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["topic", topic])
        writer.writerow(["url", "https://pol.is/3exemple"])
        writer.writerow(["voters", 7])
        writer.writerow(["conversation-description", "Consultation des commerçants de Lyon"])
    return path


def conversation(folder: Path, summary: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_comments(folder)
    write_votes(folder)
    if summary:
        write_summary(folder)
    return folder


def expected_votes() -> dict[tuple[str, str], int]:
    """(voter-id, comment-id) → the vote that counts in VOTES."""
    latest: dict[tuple[str, str], int] = {}
    for _, comment, voter, vote in sorted(VOTES):
        latest[(voter, comment)] = vote
    return latest


SUBJECTS = [
    "Former les salariés",
    "Aider les artisans",
    "Financer les TPE",
    "Ouvrir les données",
    "Protéger les clients",
    "Accompagner les mairies",
]
ENDINGS = ["à l'IA générative", "au numérique", "dans chaque région", "avec les CCI", "dès 2026"]


def synthetic(
    folder: Path, participants: int, comments: int, votes: int, seed: int = 2026, groups: int = 3
) -> Path:
    """A conversation of this size: each participant in one of `groups` groups votes on
    random comments (agreeing more with the comments of their group), about 2 % of the
    votes given twice (the later counts), 5 % of the comments moderated out."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    texts = [
        (
            str(c),
            str(rng.randrange(participants)),
            -1 if rng.random() < 0.05 else 1,
            f"{rng.choice(SUBJECTS)} {rng.choice(ENDINGS)} (idée n° {c})",
        )
        for c in range(comments)
    ]
    write_comments(folder, texts)
    path = folder / "votes.csv"
    per_person = max(1, min(comments, votes // participants))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(POLIS_VOTES_HEADER)
        written, stamp = 0, T0
        for person in range(participants):
            group = person % groups
            for comment in rng.sample(range(comments), per_person):
                if written >= votes:
                    break
                agree = 0.8 if comment % groups == group else 0.25
                draw = rng.random()
                value = 1 if draw < agree else (0 if draw < agree + 0.1 else -1)
                stamp += rng.randrange(1, 400)
                writer.writerow([stamp, "x", comment, person, value])
                written += 1
                if rng.random() < 0.02:
                    stamp += 1
                    writer.writerow([stamp, "x", comment, person, -value])
                    written += 1
    return folder
