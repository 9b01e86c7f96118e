"""Trainings read from an LHEO file, checked and given their identifiers, ready to be stored —
in this process, or in several worker processes for a large offer (no Django here).

A national offer holds hundreds of thousands of trainings: reading the XML, checking each
training and inferring its use-case families from its text cost more than storing it. With
`workers`, the file is read once by expat in this process, which checks it is well-formed LHEO
(entity declarations refused, the root `lheo` in its namespace) and cuts it into trainings;
the trainings go by batches to worker processes that parse, check and prepare them, and come
back in the file's order. The result is the same as reading in this process (`prepared`)."""

import gc
import hashlib
import multiprocessing
import pyexpat
import xml.etree.ElementTree as ET  # noqa: S405 (fragments cut by expat: no DTD in them)
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import quoteattr

from defusedxml import DefusedXmlException

from osezia.socle.texte import fold

from . import format as fmt
from . import lheo


@dataclass
class Prepared:
    """One training of the file: where it is, its checked data (or {}), and its problems."""

    position: int
    path: str
    cleaned: dict
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def infer_families(text: str, limit: int = 2) -> list[str]:
    """The use-case families a training's text speaks of (the diagnostic's reviewed lexicon)."""
    return list(_inferred(text, limit))


@lru_cache(maxsize=20_000)
def _inferred(text: str, limit: int) -> tuple[str, ...]:
    """Cached per text: an offer repeats the same training text (an organisation's trainings
    in several places, a network's members publishing one programme)."""
    from osezia.diagnostics.engine import default_knowledge

    analysis = default_knowledge().lexicon.analyse(text)
    ranked = sorted(analysis.matches, key=lambda f: -analysis.signal(f))
    return tuple([f for f in ranked if analysis.signal(f) >= 0.5][:limit])


def check(data: dict, path: str, regions: dict, families: set) -> tuple[dict, list]:
    """The checked training and its errors; families inferred from the text when the
    training gives none."""
    cleaned, errors = fmt.check_formation(data, regions, families, path)
    if not errors and not data.get("familles") and not data.get("familles_fournies"):
        cleaned["familles"] = infer_families(
            " ; ".join([cleaned["intitule"], cleaned["objectifs"], cleaned["contenu"]])
        )
    return cleaned, errors


def _key(*parts) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()[:12]


def with_keys(cleaned: dict) -> dict:
    """Give every training, action and session an identifier, stable across re-imports."""
    org = cleaned["organisme"]
    if not cleaned["reference"]:
        cleaned["reference"] = f"F-{_key(org['siret'], fold(cleaned['intitule']))}"
    for index, action in enumerate(cleaned["actions"], 1):
        action["reference"] = action["reference"] or f"{cleaned['reference']}-A{index}"
        seen = set()
        for session in action["sessions"]:
            if not session["reference"]:
                base = f"S{session['debut'] or 'permanente'}"
                if session["fin"]:
                    base += f"-{session['fin']}"
                reference, n = base, 1
                while reference in seen:
                    n += 1
                    reference = f"{base}-{n}"
                session["reference"] = reference
            seen.add(session["reference"])
    return cleaned


def prepare(item: lheo.Lu, regions: dict, families: set) -> Prepared:
    """A training read from the file, checked, with its identifiers when it is valid."""
    cleaned, problems = check(item.data, item.path, regions, families)
    errors = list(item.errors) + problems
    if not errors:
        with_keys(cleaned)
    return Prepared(item.position, item.path, cleaned if not errors else {}, errors, item.notes)


def prepared(source, regions: dict, families: set, workers: int = 0) -> Iterator[Prepared]:
    """Each training of an LHEO file, in order, checked and keyed; with `workers` ≥ 2 (and a
    file, not a text stream), the parsing and checking go to that many processes."""
    if workers >= 2 and "fork" in multiprocessing.get_all_start_methods():
        yield from _in_workers(source, regions, families, workers)
        return
    for item in lheo.read(source):
        yield prepare(item, regions, families)


# Several processes ------------------------------------------------------------------------

BATCH = 100  # trainings sent to a worker at once
_QUEUED = 4  # batches waiting per worker: memory stays flat whatever the file's size


class _Cutter:
    """Reads the whole document with expat (no namespace processing: qualified names) and
    notes where each `formation` element starts and ends, with the namespace declarations of
    the elements around it, so that its bytes can be parsed alone."""

    def __init__(self):
        self.parser = pyexpat.ParserCreate()
        self.parser.XmlDeclHandler = self._declaration
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.EntityDeclHandler = self._refuse
        self.parser.UnparsedEntityDeclHandler = self._refuse
        self.parser.ExternalEntityRefHandler = self._refuse
        self.encoding = "utf-8"
        self.open: list[tuple[str, dict]] = []  # elements around: (name, xmlns attributes)
        self.start: int | None = None  # byte index of the training being read
        self.depth = self.formation_depth = 0
        self.empty_tag = ""  # `<formation …/>` written again, for an empty training
        self.done: list[tuple] = []  # (start, end, name, head, tail, empty tag) of each read

    @staticmethod
    def _refuse(*args):
        raise DefusedXmlException("entités")

    def _declaration(self, version, encoding, standalone):
        self.encoding = (encoding or "utf-8").lower()

    def _start(self, name: str, attributes: dict):
        self.depth += 1
        local = name.rpartition(":")[2]
        if self.depth == 1:
            prefix = name.partition(":")[0] if ":" in name else ""
            namespace = attributes.get(f"xmlns:{prefix}" if prefix else "xmlns", "")
            if local != "lheo":
                raise lheo.NotLheo(f"la racine du fichier est <{local}> et non <lheo>")
            if namespace and namespace != lheo.NS:
                raise lheo.NotLheo(
                    f"espace de noms « {namespace} » inattendu (attendu : {lheo.NS})"
                )
        if self.start is not None:
            return
        if local == "formation":
            self.start = self.parser.CurrentByteIndex
            self.formation_depth = self.depth
            self.empty_tag = f"<{name}{_attributes(attributes)}/>"
            return
        namespaces = {k: v for k, v in attributes.items() if k == "xmlns" or k[:6] == "xmlns:"}
        self.open.append((name, namespaces))

    def _end(self, name: str):
        if self.start is not None and self.depth == self.formation_depth:
            head = "".join(f"<{n}{_attributes(ns)}>" for n, ns in self.open)
            tail = "".join(f"</{n}>" for n, _ in reversed(self.open))
            end = self.parser.CurrentByteIndex
            self.done.append((self.start, end, name, head, tail, self.empty_tag))
            self.start = None
        elif self.start is None:
            self.open.pop()
        self.depth -= 1


def _attributes(attributes: dict) -> str:
    return "".join(f" {k}={quoteattr(v)}" for k, v in attributes.items())


def _cuts(stream) -> Iterator[tuple[str, bytes, str, str]]:
    """(encoding, the training's bytes, the elements opened before it, closed after it)."""
    cutter = _Cutter()
    buffer, offset = b"", 0  # the document's bytes from `offset` not yet given out
    try:
        while chunk := stream.read(1 << 16):
            if isinstance(chunk, str):
                raise TypeError("un fichier ouvert en binaire est attendu")
            buffer += chunk
            cutter.parser.Parse(chunk, False)
            for start, end, name, head, tail, empty in cutter.done:
                # expat gives the end event's index at `</formation>` or just after it: the
                # element ends with the last `</formation` up to there (its first `>`, since
                # an end tag holds no attribute); none after the start: `<formation …/>`
                closing = f"</{name}".encode(cutter.encoding)
                at = buffer.rfind(closing, start - offset, end - offset + len(closing))
                if at >= 0:
                    data = buffer[start - offset : buffer.index(b">", at) + 1]
                else:
                    data = empty.encode(cutter.encoding, "xmlcharrefreplace")
                yield cutter.encoding, data, head, tail
            cutter.done.clear()
            # Kept: the training being read, or else from the last `<` (expat may keep an
            # unfinished tag for the next chunk, and none can hold a `<`).
            keep = cutter.start - offset if cutter.start is not None else max(buffer.rfind(b"<"), 0)
            buffer, offset = buffer[keep:], offset + keep
        cutter.parser.Parse(b"", True)
    except pyexpat.ExpatError as error:
        raise lheo.NotLheo(f"XML mal formé : {error}") from error
    except DefusedXmlException as error:
        raise lheo.NotLheo(
            "le fichier déclare des entités ou une DTD, refusées par sécurité"
        ) from error


_CONTEXT: dict = {}


def _init(regions: dict, families: set) -> None:
    _CONTEXT.update(regions=regions, families=families)


def _prepare_batch(batch: list[tuple[int, str, bytes, str, str]]) -> list[Prepared]:
    """In a worker: each training of the batch parsed alone, read, checked and keyed."""
    out = []
    for position, encoding, data, head, tail in batch:
        document = (
            f'<?xml version="1.0" encoding="{encoding}"?>'.encode()
            + head.encode(encoding, "xmlcharrefreplace")
            + data
            + tail.encode(encoding, "xmlcharrefreplace")
        )
        try:
            element = ET.fromstring(document)  # noqa: S314 (expat read it first: no DTD)
        except ET.ParseError as error:
            raise lheo.NotLheo(f"XML mal formé (formation {position}) : {error}") from error
        while lheo.local(element.tag) != "formation":
            element = element[0]
        path = f"/lheo/offres/formation[{position}]"
        out.append(
            prepare(
                lheo.read_formation(element, position, path),
                _CONTEXT["regions"],
                _CONTEXT["families"],
            )
        )
    return out


def _batches(stream) -> Iterator[list]:
    batch = []
    for position, (encoding, data, head, tail) in enumerate(_cuts(stream), 1):
        batch.append((position, encoding, data, head, tail))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _in_workers(source, regions: dict, families: set, workers: int) -> Iterator[Prepared]:
    stream = source if hasattr(source, "read") else open(source, "rb")  # noqa: SIM115
    # Forked: a worker starts at once, without importing anything again nor running the
    # caller's main module (a script without `if __name__ == "__main__"` guard); it only
    # parses and checks — it never writes, logs or touches the database connection it
    # inherits, and it ends without closing it.
    context = multiprocessing.get_context("fork")
    infer_families("")  # the lexicon loaded once, here: each worker inherits it
    # What is alive now (Django, the lexicon, the referentials) is moved out of the garbage
    # collector's reach for the import: its full passes no longer walk it again and again in
    # this process, nor in the workers, whose inherited pages stay shared (not copied).
    gc.freeze()
    pool = context.Pool(workers, initializer=_init, initargs=(regions, families))
    try:
        pending: deque = deque()
        for batch in _batches(stream):
            pending.append(pool.apply_async(_prepare_batch, (batch,)))
            while len(pending) > workers * _QUEUED:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
    finally:
        pool.terminate()
        pool.join()
        gc.unfreeze()
        if stream is not source:
            stream.close()
