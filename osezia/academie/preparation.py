"""Trainings read from an LHEO file, checked and given their identifiers, ready to be stored —
in this process, or in several worker processes for a large offer (no Django here).

A national offer holds hundreds of thousands of trainings: reading the XML, checking each
training and inferring its use-case families from its text cost more than storing it. With
`workers`, this process cuts the file into trainings by finding their tags in its bytes (a file
in UTF-16 is read as UTF-8 first), while expat reads the rest — the envelope — and checks it is
well-formed LHEO (entity declarations refused, the root `lheo` in its namespace); the trainings
go by batches to worker processes that parse (so check) each one alone, read and prepare it,
and come back in the file's order. The result is the same as reading in this process."""

import codecs
import gc
import hashlib
import multiprocessing
import pyexpat
import re
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


class _Envelope:
    """expat reading the document without its trainings (what `_cuts` gives it, in UTF-8):
    it checks that the whole is well-formed LHEO — entity declarations refused, the root
    `lheo` in its namespace — and knows the elements open around the next training, with
    their namespace declarations, so that the training's bytes can be parsed alone. Each
    training itself is checked by the worker that parses it."""

    def __init__(self):
        self.parser = pyexpat.ParserCreate()  # no namespace processing: qualified names
        self.parser.XmlDeclHandler = self._declaration
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.EntityDeclHandler = self._refuse
        self.parser.UnparsedEntityDeclHandler = self._refuse
        self.parser.ExternalEntityRefHandler = self._refuse
        self.encoding = "utf-8"
        self.open: list[tuple[str, dict]] = []  # elements around: (name, xmlns attributes)
        self.known: tuple[str, str] | None = None  # `around()` since the last tag

    @staticmethod
    def _refuse(*args):
        raise DefusedXmlException("entités")

    def _declaration(self, version, encoding, standalone):
        self.encoding = (encoding or "utf-8").lower()

    def _start(self, name: str, attributes: dict):
        self.known = None
        if not self.open:
            local = name.rpartition(":")[2]
            prefix = name.partition(":")[0] if ":" in name else ""
            namespace = attributes.get(f"xmlns:{prefix}" if prefix else "xmlns", "")
            if local != "lheo":
                raise lheo.NotLheo(f"la racine du fichier est <{local}> et non <lheo>")
            if namespace and namespace != lheo.NS:
                raise lheo.NotLheo(
                    f"espace de noms « {namespace} » inattendu (attendu : {lheo.NS})"
                )
        namespaces = {k: v for k, v in attributes.items() if k == "xmlns" or k[:6] == "xmlns:"}
        self.open.append((name, namespaces))

    def _end(self, name: str):
        self.known = None
        self.open.pop()

    def around(self) -> tuple[str, str]:
        """The start tags of the elements open around a training, and their end tags."""
        if not self.open:
            raise lheo.NotLheo("la racine du fichier est <formation> et non <lheo>")
        if self.known is None:
            head = "".join(f"<{n}{_attributes(ns)}>" for n, ns in self.open)
            tail = "".join(f"</{n}>" for n, _ in reversed(self.open))
            self.known = head, tail
        return self.known


def _attributes(attributes: dict) -> str:
    return "".join(f" {k}={quoteattr(v)}" for k, v in attributes.items())


def _read_bytes(stream) -> bytes:
    chunk = stream.read(1 << 16)
    if isinstance(chunk, str):
        raise TypeError("un fichier ouvert en binaire est attendu")
    return chunk


# Where `_cuts` stops: a training's start or end tag, and what may hold those words without
# being a tag — a comment, a section of character data, a processing instruction (in
# well-formed XML, `<` stands for nothing else: attribute values and text cannot hold it).
_TOKEN = re.compile(rb"<(?:(!--|!\[CDATA\[|\?)|(/?)((?:[A-Za-z_][\w.\-]*:)?formation)(?=[\s/>]))")
_SKIPPED_UNTIL = {b"!--": b"-->", b"![CDATA[": b"]]>", b"?": b"?>"}
_END_NAME = frozenset(b" \t\r\n>")  # what may follow the name in an end tag
# The rest of a start tag after its name, up to its `>` (attribute values may hold a `>`).
_TAG_REST = re.compile(rb"""[^"'>]*(?:(?:"[^"]*"|'[^']*')[^"'>]*)*>""")
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_DECLARED_TEXT = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")
_ASCII_SAMPLE = "<?!-[]/>:='\" formation"
_BOMS = (  # the longer first: UTF-32's little-endian mark begins like UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", None),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _foreign_encoding(start: bytes) -> str | None:
    """The file's encoding when its markup is not spelled in ASCII bytes (UTF-16, UTF-32,
    EBCDIC…); None for UTF-8, ISO-8859-1, Windows-1252 and the other supersets of ASCII."""
    for mark, name in _BOMS:
        if start.startswith(mark):
            return name
    if start[:4] == b"<\x00?\x00":
        return "utf-16-le"
    if start[:4] == b"\x00<\x00?":
        return "utf-16-be"
    declared = _DECLARED.match(start)
    if declared is not None:
        name = declared.group(1).decode("ascii")
        try:
            if _ASCII_SAMPLE.encode(name) != _ASCII_SAMPLE.encode():
                return name
        except (LookupError, UnicodeError):
            pass  # an encoding Python does not know: expat refuses the file
    return None


class _InUtf8:
    """A file in such an encoding read as UTF-8, its XML declaration saying so."""

    def __init__(self, stream, first: bytes, encoding: str):
        self.stream, self.first = stream, first
        self.decoder = codecs.getincrementaldecoder(encoding)()
        self.prolog: str | None = ""  # the start, until the declaration is rewritten

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk, self.first = (self.first or _read_bytes(self.stream)), b""
            try:
                text = self.decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                raise lheo.NotLheo(f"XML mal formé : {error}") from error
            if self.prolog is not None:
                text = self.prolog + text
                if ">" not in text and chunk:
                    self.prolog = text
                    continue
                self.prolog = None
                text = _DECLARED_TEXT.sub(r'\1"utf-8"', text.removeprefix("\ufeff"), count=1)
            if text or not chunk:
                return text.encode("utf-8")


def _cuts(stream) -> Iterator[tuple[str, bytes, str, str]]:
    """(encoding, the training's bytes, the elements opened before it, closed after it).

    The trainings are found in the bytes (regular expressions, no Python call per element);
    expat reads everything else, so the whole file is still checked: the envelope here, each
    training by the worker that parses it."""
    buffer = _read_bytes(stream)
    foreign = _foreign_encoding(buffer[:200])
    if foreign is not None:
        stream = _InUtf8(stream, buffer, foreign)
        buffer = stream.read()
    envelope = _Envelope()
    fed = scan = 0  # in `buffer`: bytes given to expat so far, where the search goes on
    start = None  # where the training being read starts
    head = tail = ""
    closing = b""  # `</` and the qualified name of the training being read
    try:
        while True:
            hold = None  # the first token that needs more bytes to be read
            while True:
                if start is not None:  # in a training: straight to its end tag, if it is plain
                    end = buffer.find(closing, scan)
                    stop = len(buffer) if end < 0 else end
                    if buffer.find(b"<!", scan, stop) < 0 and buffer.find(b"<?", scan, stop) < 0:
                        if end < 0:
                            break  # read on
                        close = end + len(closing)
                        if close < len(buffer) and buffer[close] in _END_NAME:
                            close = buffer.find(b">", close)
                            if close >= 0:
                                scan = close + 1
                                yield envelope.encoding, buffer[start:scan], head, tail
                                start, fed = None, scan
                                continue
                if not (match := _TOKEN.search(buffer, scan)):
                    break
                skipped = match.group(1)
                if skipped:  # comment, character data, instruction: jumped over whole
                    until = buffer.find(_SKIPPED_UNTIL[skipped], match.end())
                    if until < 0:
                        hold = match.start()
                        break
                    scan = until + len(_SKIPPED_UNTIL[skipped])
                elif match.group(2):  # `</formation`: the training ends at its `>`
                    close = buffer.find(b">", match.end())
                    if close < 0:
                        hold = match.start()
                        break
                    scan = close + 1
                    if start is not None:
                        yield envelope.encoding, buffer[start:scan], head, tail
                        start, fed = None, scan
                    # else: an end tag with no training open, which expat refuses below
                elif start is not None:  # a training inside a training: its worker refuses it
                    scan = match.end()
                else:
                    rest = _TAG_REST.match(buffer, match.end())
                    if rest is None:
                        hold = match.start()
                        break
                    envelope.parser.Parse(buffer[fed : match.start()], False)
                    head, tail = envelope.around()
                    scan = rest.end()
                    if buffer[scan - 2 : scan] == b"/>":  # `<formation …/>`
                        yield envelope.encoding, buffer[match.start() : scan], head, tail
                        fed = scan
                    else:
                        start = match.start()
                        closing = b"</" + match.group(3)
            if hold is None:  # from the last `<`: it may start a token cut by the read
                last = buffer.rfind(b"<", scan)
                hold = last if last >= 0 else len(buffer)
            scan = hold
            chunk = _read_bytes(stream)
            if not chunk:
                break
            if start is None:
                envelope.parser.Parse(buffer[fed:hold], False)
                keep = hold
            else:
                keep = start
            buffer = buffer[keep:] + chunk
            fed, scan = max(fed - keep, 0), scan - keep
            start = None if start is None else 0
        if start is None:
            envelope.parser.Parse(buffer[fed:], True)
        else:  # the file ends inside a training
            envelope.parser.Parse(buffer[fed:start], True)
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
