"""Trusted catalogues (operators): reading JSON Lines or CSV files, importing them published,
and the published catalogue's export in the exchange format."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .. import format as fmt
from ..models import Solution
from .versions import Statut, log_event, new_version, provider_for, put_online, reindex, validate


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    index_problem: str | None = None  # why the search index is not up to date, if it is not

    @property
    def valid(self) -> int:
        return self.created + self.updated + self.unchanged


def read_lines(path) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, parsed object or None, French error) for a JSON Lines or CSV file.

    CSV cells written by the platform's own export carry a leading `'` against formula
    injection (`osezia.socle.csvsafe`); the reader takes it off so that export → import is exact."""
    from osezia.socle import csvsafe

    name = str(path).lower()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        if name.endswith(".csv"):
            reader = csvsafe.DictReader(handle)
            missing = [c for c in ("id_externe", "nom") if c not in (reader.fieldnames or [])]
            if missing:
                yield (
                    1,
                    None,
                    f"en-tête CSV incomplet : colonne(s) manquante(s) {', '.join(missing)}",
                )
                return
            for number, row in enumerate(reader, start=2):
                yield number, fmt.csv_row_to_line(row), None
            return
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                yield number, json.loads(text), None
            except json.JSONDecodeError as exc:
                yield number, None, f"JSON illisible ({exc.msg}, colonne {exc.colno})"


APPLY_EVERY = 500  # an import applies the search change log every so many changed lines


def import_lines(
    lines: Iterable[tuple[int, dict | None, str | None]],
    auteur=None,
    dry_run: bool = False,
    progress=None,
) -> ImportReport:
    """Import a trusted catalogue (operators): each valid line is published at once, in its
    own transaction; a re-import updates by `id_externe` and never duplicates; bad lines are
    reported with their number and skipped. Each line's change is logged for the search index
    in the line's transaction, and the log is applied every `APPLY_EVERY` lines: an import
    killed half-way leaves the log to finish the job, and the end of the import finishes it
    (`recherche.finish_after_import`; `report.index_problem` says when it could not)."""
    from osezia.recherche import services as recherche

    report = ImportReport()
    for number, raw, error in lines:
        if progress:
            progress()
        if error:
            report.errors.append((number, {"ligne": error}))
            continue
        try:
            data = validate(raw)
        except ValidationError as exc:
            report.errors.append((number, {k: " ".join(v) for k, v in exc.message_dict.items()}))
            continue
        try:
            outcome = _import_one(data, auteur, dry_run)
        except ValidationError as exc:
            report.errors.append((number, {k: " ".join(v) for k, v in exc.message_dict.items()}))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome != "unchanged":
            report.keys.append(data.id_externe)
            if not dry_run and len(report.keys) % APPLY_EVERY == 0:
                recherche.apply_or_schedule()
    if not dry_run:
        report.index_problem = recherche.finish_after_import()
    return report


def _import_one(data: fmt.SolutionData, auteur, dry_run: bool) -> str:
    with transaction.atomic():
        solution = (
            Solution.objects.select_for_update(of=("self",))
            .select_related("fournisseur", "version_publiee")
            .filter(id_externe=data.id_externe)
            .first()
        )
        if solution and solution.fournisseur.siren != data.fournisseur_siren:
            raise ValidationError(
                {
                    "fournisseur.siren": "cet identifiant appartient déjà à la solution d'un autre fournisseur"
                }
            )
        if (
            solution
            and solution.version_publiee
            and solution.version_publiee.contenu == data.contenu()
            and not solution.retiree
        ):
            return "unchanged"
        outcome = "updated" if solution else "created"
        if dry_run:
            transaction.set_rollback(True)
            return outcome
        fournisseur = provider_for(data)
        if solution is None:
            try:
                with transaction.atomic():
                    solution = Solution.objects.create(
                        id_externe=data.id_externe, fournisseur=fournisseur
                    )
            except IntegrityError as exc:
                raise ValidationError(
                    {"id_externe": "importé en même temps par ailleurs : relancez l'import"}
                ) from exc
        version = new_version(solution, data, Statut.SOUMISE, auteur, "import")
        put_online(solution, version, auteur)
        log_event(
            solution, "import", version, auteur, "publiée directement (import d'un opérateur)"
        )
        reindex([solution.id_externe], schedule=False)  # applied by the import as it goes
        return outcome


def export_lines() -> Iterator[dict]:
    """The published catalogue in the exchange format."""
    solutions = (
        Solution.objects.filter(version_publiee__isnull=False, retiree=False)
        .select_related("fournisseur", "version_publiee")
        .order_by("id_externe")
    )
    for solution in solutions.iterator(chunk_size=500):
        yield fmt.to_line(
            solution.id_externe,
            solution.fournisseur.nom,
            solution.fournisseur.siren,
            solution.version_publiee.contenu,
        )
