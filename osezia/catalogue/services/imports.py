"""Trusted catalogues (operators): reading JSON Lines or CSV files, importing them published,
and the published catalogue's export in the exchange format."""

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from osezia.socle.ecriture import insert_rows

from .. import format as fmt
from ..models import EvenementSolution, Fournisseur, Solution, VersionSolution
from .versions import Statut, known_naf, log_event, new_version, provider_for, put_online, reindex

logger = logging.getLogger("osezia.catalogue.services")


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


BATCH = 500  # lines read, checked and written together


def _errors(exc: ValidationError) -> dict[str, str]:
    return {k: " ".join(v) for k, v in exc.message_dict.items()}


def import_lines(
    lines: Iterable[tuple[int, dict | None, str | None]],
    auteur=None,
    dry_run: bool = False,
    progress=None,
) -> ImportReport:
    """Import a trusted catalogue (operators): each valid line is published at once; a
    re-import updates by `id_externe` and never duplicates (an unchanged line writes
    nothing); bad lines are reported with their number and skipped.

    Lines go by batches of `BATCH`: each is checked first (nothing invalid reaches the
    database), the batch's solutions are read in one query, and what changed is written in
    one transaction with bulk writes (providers, solutions, versions, history, the index's
    change log). If that transaction fails, the batch is written again line by line, each
    line in its own transaction, so that a line the database refuses is reported alone and
    the good lines of its batch are kept. The search index is brought up to date at the end
    (`recherche.finish_after_import`; `report.index_problem` says when it could not); an
    import killed half-way leaves the committed batches' changes in the log for the next
    run or the worker."""
    from osezia.recherche import services as recherche

    report = ImportReport()
    naf = known_naf()
    batch: list[tuple[int, fmt.SolutionData]] = []
    in_batch: set[str] = set()
    for number, raw, error in lines:
        if progress:
            progress()
        if error:
            report.errors.append((number, {"ligne": error}))
            continue
        try:
            data = fmt.validate_line(raw, naf)
        except fmt.InvalidSolution as exc:
            report.errors.append((number, _errors(ValidationError(exc.errors))))
            continue
        if data.id_externe in in_batch:  # the same solution twice: the later line wins
            _import_batch(batch, auteur, dry_run, report)
            batch, in_batch = [], set()
        batch.append((number, data))
        in_batch.add(data.id_externe)
        if len(batch) >= BATCH:
            _import_batch(batch, auteur, dry_run, report)
            batch, in_batch = [], set()
    _import_batch(batch, auteur, dry_run, report)
    report.errors.sort(key=lambda item: item[0])
    if not dry_run:
        report.index_problem = recherche.finish_after_import()
    return report


def _import_batch(batch, auteur, dry_run: bool, report: ImportReport) -> None:
    if not batch:
        return
    try:
        with transaction.atomic():
            outcomes = _write_batch(batch, auteur, dry_run)
            if dry_run:
                transaction.set_rollback(True)
    except DatabaseError:
        outcomes = _write_one_by_one(batch, auteur, dry_run)
    for (number, data), outcome in zip(batch, outcomes, strict=True):
        if isinstance(outcome, dict):
            report.errors.append((number, outcome))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome != "unchanged":
            report.keys.append(data.id_externe)


def _write_one_by_one(batch, auteur, dry_run: bool) -> list:
    outcomes = []
    for _, data in batch:
        try:
            outcomes.append(_import_one(data, auteur, dry_run))
        except ValidationError as exc:
            outcomes.append(_errors(exc))
        except DatabaseError as exc:
            logger.warning("Ligne refusée par la base de données : %s", exc)
            outcomes.append({"ligne": "enregistrement refusé par la base de données"})
    return outcomes


_IDENTITY = ("id_externe", "fournisseur_nom", "fournisseur_siren")
_CONTENT = [f.name for f in fields(fmt.SolutionData) if f.name not in _IDENTITY]


def _contenu(data: fmt.SolutionData) -> dict:
    """`data.contenu()` without `asdict`'s recursive copy: `validate_line` built every list
    and dict of `data` for this line alone, and the import keeps nothing else of it."""
    values = data.__dict__
    return {name: values[name] for name in _CONTENT}


OTHER_PROVIDER = "cet identifiant appartient déjà à la solution d'un autre fournisseur"
DETAIL = "publiée directement (import d'un opérateur)"


def _write_batch(batch, auteur, dry_run: bool) -> list:
    """Each line's outcome (created, updated, unchanged, or its errors), the changes written
    with one statement per table (run for every row); in the caller's transaction."""
    existing = {
        solution.id_externe: solution
        for solution in Solution.objects.select_for_update(of=("self",))
        .select_related("fournisseur", "version_publiee")
        .filter(id_externe__in=[data.id_externe for _, data in batch])
    }
    outcomes: list = []
    todo: list[tuple[fmt.SolutionData, dict]] = []
    for _, data in batch:
        solution = existing.get(data.id_externe)
        contenu = _contenu(data)
        if solution and solution.fournisseur.siren != data.fournisseur_siren:
            outcomes.append({"fournisseur.siren": OTHER_PROVIDER})
        elif (
            solution
            and solution.version_publiee
            and solution.version_publiee.contenu == contenu
            and not solution.retiree
        ):
            outcomes.append("unchanged")
        else:
            outcomes.append("updated" if solution else "created")
            todo.append((data, contenu))
    if dry_run or not todo:
        return outcomes
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    author = auteur.pk if auteur is not None else None
    keys = {key: solution.pk for key, solution in existing.items()}
    new = [data for data, _ in todo if data.id_externe not in keys]
    if new:
        providers = _providers({data.fournisseur_siren: data.fournisseur_nom for data in new})
        insert_rows(
            Solution,
            (
                {"id_externe": data.id_externe, "fournisseur_id": providers[data.fournisseur_siren]}
                for data in new
            ),
        )
        keys.update(
            Solution.objects.filter(id_externe__in=[data.id_externe for data in new]).values_list(
                "id_externe", "pk"
            )
        )
    known = [solution.pk for solution in existing.values()]
    last = (
        dict(
            VersionSolution.objects.filter(solution__in=known)
            .values("solution")
            .annotate(last=Max("numero"))
            .values_list("solution", "last")
        )
        if known
        else {}
    )
    rows = [
        {
            "solution_id": keys[data.id_externe],
            "numero": last.get(keys[data.id_externe], 0) + 1,
            "statut": Statut.PUBLIEE,
            "contenu": contenu,
            "nom": data.nom,
            "auteur_id": author,
            "moderateur_id": author,
            "source": "import",
            "decide_le": now,
        }
        for data, contenu in todo
    ]
    insert_rows(VersionSolution, rows)
    versions = dict.fromkeys(row["solution_id"] for row in rows)
    for solution, numero, pk in VersionSolution.objects.filter(
        solution__in=list(versions), numero__in={row["numero"] for row in rows}
    ).values_list("solution", "numero", "pk"):
        if last.get(solution, 0) + 1 == numero:
            versions[solution] = pk
    replaced = [s.version_publiee_id for s in existing.values() if s.version_publiee_id]
    if replaced:
        VersionSolution.objects.filter(pk__in=replaced).update(statut=Statut.REMPLACEE)
    _put_online(list(versions.items()), stamp)
    insert_rows(
        EvenementSolution,
        (
            {
                "solution_id": solution,
                "version_id": version,
                "action": "import",
                "detail": DETAIL,
                "auteur_id": author,
            }
            for solution, version in versions.items()
        ),
    )
    reindex([data.id_externe for data, _ in todo], schedule=False)  # applied at the end
    return outcomes


def _put_online(pairs: list[tuple[int, int]], stamp) -> None:
    """Each (solution, version): the version becomes the one online, the solution is no
    longer withdrawn. One statement run for every row (`bulk_update` would build a CASE of
    every row for each column, which costs more than the writes themselves)."""
    table = connection.ops.quote_name(Solution._meta.db_table)
    columns = [
        connection.ops.quote_name(Solution._meta.get_field(name).column)
        for name in ("version_publiee", "retiree", "modifie_le", "id")
    ]
    # Names from the model, quoted by the database backend; values passed as parameters.
    sql = f"UPDATE {table} SET {columns[0]} = %s, {columns[1]} = %s, {columns[2]} = %s WHERE {columns[3]} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(version, False, stamp, solution) for solution, version in pairs])


def _providers(names: dict[str, str]) -> dict[str, int]:
    """The keys of the providers of these SIRENs, the missing ones created (named as in the
    file)."""
    providers = dict(Fournisseur.objects.filter(siren__in=list(names)).values_list("siren", "pk"))
    missing = [siren for siren in names if siren not in providers]
    if missing:
        insert_rows(Fournisseur, ({"siren": siren, "nom": names[siren]} for siren in missing))
        providers.update(Fournisseur.objects.filter(siren__in=missing).values_list("siren", "pk"))
    return providers


def _import_one(data: fmt.SolutionData, auteur, dry_run: bool) -> str:
    """One line in its own transaction (when its batch could not be written whole)."""
    with transaction.atomic():
        solution = (
            Solution.objects.select_for_update(of=("self",))
            .select_related("fournisseur", "version_publiee")
            .filter(id_externe=data.id_externe)
            .first()
        )
        if solution and solution.fournisseur.siren != data.fournisseur_siren:
            raise ValidationError({"fournisseur.siren": OTHER_PROVIDER})
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
        log_event(solution, "import", version, auteur, DETAIL)
        reindex([solution.id_externe], schedule=False)  # applied at the end of the import
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
