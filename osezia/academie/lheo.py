"""LHEO 2.3 (Langage harmonisé d'échange d'informations sur l'offre de formation), read and
written (no Django here).

Reading streams the file (`lheo > offres > formation > action > session`, namespace
http://lheo.gouv.fr/2.3) and yields each training as the normalized dict of `format.py`, with
the path of each element it could not read. Writing produces every element LHEO 2.3 makes
mandatory, in the order of its schema; the Académie's own facts (use-case families, funding
codes, seats) travel in `extras`, so that an export imports back unchanged.
"""

import json
import pyexpat
import re
import xml.etree.ElementTree as ET  # noqa: S405 (entity declarations refused in the prolog)
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from defusedxml import DefusedXmlException

from osezia.socle.regles import MAX_EXTERNAL_ID, is_external_id

from .format import FINANCEMENTS, LHEO_ETAT_RECRUTEMENT, MODALITE_LHEO, PUBLICS

NS = "http://lheo.gouv.fr/2.3"
DATA = Path(__file__).resolve().parent / "data"
EXTRAS_INFO = "osezia"
# LHEO dict-financeurs codes that tell a funding of the Académie
FINANCEUR_FRANCE_TRAVAIL = "4"
FINANCEUR_OPCO = "16"
UNKNOWN_DATES = {"00000000", "99999999"}
_HOURS = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:h\b|heures?)", re.IGNORECASE)
_DAYS = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:j\b|jours?)", re.IGNORECASE)


def _load_publics() -> tuple[dict, dict]:
    data = json.loads((DATA / "publics_formacode.json").read_text(encoding="utf-8"))
    return data["codes"], data["export"]


PUBLIC_CODES, EXPORT_PUBLIC = _load_publics()
PUBLIC_WORDS = {
    "APPRENTI": ("apprenti", "apprentissage", "alternan", "cfa"),
    "DEMANDEUR_EMPLOI": ("demandeur", "sans emploi", "recherche d'emploi", "chomeur", "chômeur"),
    "SALARIE": ("salarie", "salarié", "en emploi", "agent", "employe", "employé"),
    "DIRIGEANT": ("dirigeant", "chef d'entreprise", "createur", "créateur", "gérant", "gerant"),
}


@dataclass
class Lu:
    """One training read from the file: its position, data and problems."""

    position: int
    path: str
    data: dict
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_LOCAL: dict[str, str] = {}  # a file uses few distinct tags: each is split once


def local(tag: str) -> str:
    name = _LOCAL.get(tag)
    if name is None:
        name = _LOCAL[tag] = tag.rsplit("}", 1)[-1]
    return name


def _numero(node: "_Node", notes: list[str]) -> str:
    """The element's `numero`, kept exactly as given when it is an external identifier
    (`osezia.socle.regles.external_id`: letters of both cases, digits, `-_.:/`, 120 at most);
    anything else LHEO allows is made one (other characters become `-`), with a remark."""
    raw = node.attr("numero")
    if not raw.strip() or is_external_id(raw):
        return raw.strip()
    clean = re.sub(r"[^A-Za-z0-9_.:/\-]", "-", raw.strip()).strip("-")[:MAX_EXTERNAL_ID]
    notes.append(f"{node.path}/@numero : « {raw[:90]} » devient « {clean} »")
    return clean


class _Node:
    """Child lookup by local name, whatever the namespace, with the path for messages (made
    only when a message needs it)."""

    __slots__ = ("element", "_parent", "_name", "_children")

    def __init__(self, element, path: str, name: str = ""):
        self.element = element
        self._parent = path  # the whole path, or the parent's when `name` is given
        self._name = name  # `name` or `name[i]`
        self._children: dict[str, list] | None = None

    @property
    def path(self) -> str:
        return f"{self._parent}/{self._name}" if self._name else self._parent

    def _grouped(self) -> dict[str, list]:
        children = self._children
        if children is None:  # the children grouped by name once, not at each lookup
            children = self._children = {}
            for child in self.element:
                children.setdefault(local(child.tag), []).append(child)
        return children

    def all(self, name: str) -> list["_Node"]:
        """The children of that name, made nodes at the first lookup (never to be changed)."""
        children = self._grouped()
        found = children.get(name)
        if not found:
            return []
        if type(found[0]) is not _Node:
            path = self.path
            if len(found) == 1:
                found = [_Node(found[0], path, name)]
            else:
                found = [_Node(c, path, f"{name}[{i}]") for i, c in enumerate(found, 1)]
            children[name] = found
        return found

    def one(self, name: str) -> "_Node | None":
        found = self.all(name)
        return found[0] if found else None

    def text(self, *names: str) -> str:
        if not names:
            return ""
        node = self
        for name in names[:-1]:
            node = node.one(name)
            if node is None:
                return ""
        found = node._grouped().get(names[-1])
        if not found:
            return ""
        element = found[0].element if type(found[0]) is _Node else found[0]
        return " ".join((element.text or "").split())

    def own_text(self) -> str:
        return " ".join((self.element.text or "").split())

    def attr(self, name: str) -> str:
        return (self.element.get(name) or "").strip()

    def extras(self) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for extras in self.all("extras"):
            for extra in extras.all("extra"):
                values.setdefault(extra.attr("info"), []).append(extra.own_text())
        return values


def _lheo_date(value: str, path: str, errors) -> date | None:
    value = value.strip()
    if not value or value in UNKNOWN_DATES:
        return None
    try:
        if re.fullmatch(r"\d{8}", value):
            return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        pass
    errors.append((path, f"« {value} » n'est pas une date LHEO (AAAAMMJJ)"))
    return None


def _price_cents(value: str, path: str, errors) -> int | None:
    if not value:
        return None
    try:
        amount = Decimal(re.sub(r"[^\d,.\-]", "", value).replace(",", "."))
    except InvalidOperation:
        errors.append((path, f"« {value} » n'est pas un prix"))
        return None
    if amount < 0:
        errors.append((path, "le prix ne peut pas être négatif"))
        return None
    return int((amount * 100).quantize(Decimal("1")))


def _hours(action: _Node) -> int | None:
    for name in ("nombre-heures-total",):
        text = action.text(name)
        if text.isdigit():
            return int(text)
    centre, entreprise = (
        action.text("nombre-heures-centre"),
        action.text("nombre-heures-entreprise"),
    )
    if centre.isdigit() or entreprise.isdigit():
        total = int(centre or 0) + int(entreprise or 0)
        return total or None
    indicative = action.text("duree-indicative")
    match = _HOURS.search(indicative)
    if match:
        return max(1, round(float(match.group(1).replace(",", "."))))
    match = _DAYS.search(indicative)
    if match:
        return max(1, round(float(match.group(1).replace(",", ".")) * 7))
    return None


def _address(node: _Node | None) -> dict:
    if node is None:
        return {}
    adresse = node.one("adresse") if local(node.element.tag) != "adresse" else node
    if adresse is None:
        return {}
    lines = [line.own_text() for line in adresse.all("ligne")]
    postal = adresse.text("codepostal")
    return {
        # « - » and « 00000 » are the usual LHEO fillers for an unknown street or postcode
        "adresse": ", ".join(line for line in lines if line and line != "-"),
        "code_postal": "" if postal == "00000" else postal,
        "ville": "" if adresse.text("ville") == "-" else adresse.text("ville"),
        "departement": adresse.text("departement"),
        "region": adresse.text("region"),
    }


def _publics(action: _Node, codes: list[str], financeurs: list[str], notes: list[str], path):
    publics = []
    for code in codes:
        known = PUBLIC_CODES.get(code)
        if known is None:
            notes.append(f"{path}/code-public-vise : code « {code} » inconnu, ignoré")
            continue
        publics += known["publics"]
    alternance = action.text("modalites-alternance").lower()
    if "apprentissage" in alternance and "pas d" not in alternance:
        publics.append("APPRENTI")
    if not publics:
        text = " ".join([action.text("info-public-vise"), alternance]).lower()
        publics = [p for p, words in PUBLIC_WORDS.items() if any(w in text for w in words)]
        if FINANCEUR_FRANCE_TRAVAIL in financeurs:
            publics.append("DEMANDEUR_EMPLOI")
        if FINANCEUR_OPCO in financeurs:
            publics.append("SALARIE")
        if publics:
            notes.append(f"{path} : publics déduits du texte et des financeurs")
    if not publics:
        notes.append(f"{path} : public non précisé, formation ouverte aux quatre publics")
        publics = list(PUBLICS)
    return [p for p in PUBLICS if p in publics]


def _session(node: _Node, errors, notes) -> dict:
    periode = node.one("periode")
    debut = fin = None
    if periode is None:
        errors.append((f"{node.path}/periode", "élément obligatoire absent"))
    else:
        debut = _lheo_date(periode.text("debut"), f"{periode.path}/debut", errors)
        fin = _lheo_date(periode.text("fin"), f"{periode.path}/fin", errors)
    extras = node.extras()
    places = (extras.get("places") or [None])[0]
    return {
        "reference": _numero(node, notes),
        "debut": debut,
        "fin": fin,
        "places": places,
        # LHEO's wire value, mapped to the named state by format.check_session
        "etat_recrutement": node.text("etat-recrutement") or "1",
        "permanente": debut is None,
    }


def _action(node: _Node, certifiante: bool, cpf: bool, errors, notes) -> dict:
    extras = node.extras()
    modalite_code = node.text("modalites-enseignement")
    modalite = MODALITE_LHEO.get(modalite_code)
    if modalite is None:
        errors.append(
            (f"{node.path}/modalites-enseignement", f"code « {modalite_code} » inconnu (0, 1 ou 2)")
        )
    codes = [c.own_text() for c in node.all("code-public-vise") if c.own_text()]
    if not codes:
        errors.append((f"{node.path}/code-public-vise", "élément obligatoire absent"))
    financeurs = [f.text("code-financeur") for f in node.all("organisme-financeur")]
    financeurs = [f for f in financeurs if f]
    price = _price_cents(node.text("prix-total-TTC"), f"{node.path}/prix-total-TTC", errors)
    if extras.get("financement"):
        financements = [f for f in extras["financement"] if f in FINANCEMENTS]
    else:
        financements = []
        if cpf and certifiante:
            financements.append("CPF")
        if FINANCEUR_OPCO in financeurs:
            financements.append("OPCO")
        if FINANCEUR_FRANCE_TRAVAIL in financeurs:
            financements.append("FRANCE_TRAVAIL")
    empty = set(extras.get("vide", []))
    codes_kept = [] if "code-public-vise" in empty else codes
    lieux = node.all("lieu-de-formation")
    lieu = _address(lieux[0].one("coordonnees")) if lieux else {}
    if modalite == "distance":
        lieu = {}
    return {
        "reference": _numero(node, notes),
        "publics": _publics(node, codes, financeurs, notes, node.path),
        "codes_public_lheo": codes_kept,
        "modalite": modalite,
        "lieu": lieu or None,
        "duree_heures": _hours(node),
        "prix_ttc_centimes": price,
        "financements": financements,
        "codes_financeurs_lheo": [] if "code-financeur" in empty else financeurs,
        "rythme": "" if "rythme-formation" in empty else node.text("rythme-formation"),
        "conditions": ""
        if "conditions-specifiques" in empty
        else node.text("conditions-specifiques"),
        "sessions": [_session(s, errors, notes) for s in node.all("session")],
    }


def read_formation(element, position: int, path: str) -> Lu:
    node = _Node(element, path)
    errors: list[tuple[str, str]] = []
    notes: list[str] = []
    extras = node.extras()
    certifiante_text = node.text("certifiante")
    certifiante = {
        "1": True,
        "0": False,
        "true": True,
        "false": False,
        "oui": True,
        "non": False,
    }.get(certifiante_text.lower(), certifiante_text or None)
    certification, cpf = {}, False
    for cert in node.all("certification"):
        if cert.text("code-CPF"):
            cpf = True
        if not certification and (cert.text("code-RNCP") or cert.text("code-RS")):
            rncp, rs = cert.text("code-RNCP"), cert.text("code-RS")
            certification = {
                "code_rncp": f"RNCP{rncp}" if rncp.isdigit() else rncp,
                "code_rs": f"RS{rs}" if rs.isdigit() else rs,
            }
    organisme = node.one("organisme-formation-responsable")
    org = {}
    if organisme is None:
        errors.append((f"{path}/organisme-formation-responsable", "élément obligatoire absent"))
    else:
        coordonnees = organisme.one("coordonnees-organisme")
        coordonnees = coordonnees.one("coordonnees") if coordonnees else None
        address = _address(coordonnees)
        org = {
            "siret": organisme.text("SIRET-organisme-formation", "SIRET"),
            "numero_activite": organisme.text("numero-activite"),
            "nom": organisme.text("nom-organisme"),
            "raison_sociale": organisme.text("raison-sociale"),
            "adresse": address.get("adresse", ""),
            "code_postal": address.get("code_postal", ""),
            "ville": address.get("ville", ""),
            "courriel": coordonnees.text("courriel") if coordonnees else "",
            "telephone": coordonnees.text("telfixe", "numtel") if coordonnees else "",
        }
    domaine = node.one("domaine-formation")
    lheo = {}
    if domaine is not None:
        for name in ("code-FORMACODE", "code-NSF", "code-ROME"):
            codes = [c.own_text() for c in domaine.all(name) if c.own_text()]
            if codes:
                lheo[name] = codes
    data = {
        "lheo_source": True,
        "reference": _numero(node, notes),
        "intitule": node.text("intitule-formation"),
        "objectifs": node.text("objectif-formation"),
        "resultats_attendus": node.text("resultats-attendus"),
        "contenu": (node.one("contenu-formation").element.text or "").strip()
        if node.one("contenu-formation") is not None
        else "",
        "certifiante": certifiante,
        "certification": certification or None,
        "niveau_entree": node.text("code-niveau-entree") or "0",
        "familles": extras.get("famille-cas-usage", []),
        "familles_fournies": "famille-cas-usage" in extras,
        "url": node.text("url-formation", "urlweb"),
        "organisme": org,
        "lheo": lheo,
        "actions": [],
    }
    for name in extras.get("vide", []):  # fillers the platform's export wrote
        if name == "resultats-attendus":
            data["resultats_attendus"] = ""
    data["actions"] = [
        _action(a, certifiante is True, cpf, errors, notes) for a in node.all("action")
    ]
    for action in data["actions"]:
        if (
            action["modalite"] in ("presentiel", "mixte")
            and not action["lieu"]
            and org.get("code_postal")
        ):
            # No place given: the training is held at the organisation's address.
            action["lieu"] = {k: org[k] for k in ("adresse", "code_postal", "ville")}
            notes.append(f"{path} : lieu de formation absent, adresse de l'organisme retenue")
    if not data["actions"]:
        errors.append((f"{path}/action", "au moins une action de formation est obligatoire"))
    return Lu(position, path, data, errors, notes)


class NotLheo(ValueError):
    """The file is not LHEO XML at all."""


class _RootSeen(Exception):
    """The prolog is read: the root element starts."""


def _check_prolog(parser, chunk: bytes) -> tuple[str, str] | None:
    """Feed the prolog checker; the root's (namespace, local name) once it starts."""
    try:
        parser.Parse(chunk, False)
    except _RootSeen as seen:
        namespace, _, name = seen.args[0].rpartition("}")
        return namespace, name
    except pyexpat.ExpatError as error:
        raise NotLheo(f"XML mal formé : {error}") from error
    return None


def _prolog_parser():
    """An expat parser for the prolog only: entity declarations are refused (what defusedxml
    refuses), and it stops at the root element, whose name it keeps."""
    parser = pyexpat.ParserCreate(namespace_separator="}")

    def refuse(*args):
        raise DefusedXmlException("entités")

    def root(name, attributes):
        raise _RootSeen(name)

    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = root
    return parser


def read(source) -> Iterator[Lu]:
    """Each training of an LHEO file, in order, as soon as it is read (memory stays flat).
    Raise NotLheo when the file is not well-formed XML or its root is not `lheo`.

    The prolog (up to the root element) is read first by a small expat parser that refuses
    entity declarations; the body then goes through ElementTree's C parser (end events
    only, each training cleared once read)."""
    stream = source if hasattr(source, "read") else open(source, "rb")  # noqa: SIM115
    try:
        yield from _read(stream)
    finally:
        if stream is not source:
            stream.close()


def _read(stream) -> Iterator[Lu]:
    position = 0
    prolog = _prolog_parser()
    root = None
    body = ET.XMLPullParser(events=("end",))
    formation_tags = {"formation", f"{{{NS}}}formation"}
    try:
        while chunk := stream.read(1 << 16):
            if isinstance(chunk, str):
                chunk = chunk.encode("utf-8")
            if root is None:
                root = _check_prolog(prolog, chunk)
                if root is not None:
                    namespace, name = root
                    if name != "lheo":
                        raise NotLheo(f"la racine du fichier est <{name}> et non <lheo>")
                    if namespace and namespace != NS:
                        raise NotLheo(f"espace de noms « {namespace} » inattendu (attendu : {NS})")
            body.feed(chunk)
            for _, element in body.read_events():
                tag = element.tag
                if tag in formation_tags or local(tag) == "formation":
                    position += 1
                    yield read_formation(element, position, f"/lheo/offres/formation[{position}]")
                    element.clear()
        body.close()
        for _, element in body.read_events():
            if local(element.tag) == "formation":
                position += 1
                yield read_formation(element, position, f"/lheo/offres/formation[{position}]")
    except ET.ParseError as error:
        raise NotLheo(f"XML mal formé : {error}") from error
    except DefusedXmlException as error:
        raise NotLheo("le fichier déclare des entités ou une DTD, refusées par sécurité") from error


# Writing ----------------------------------------------------------------------------------


def _sub(parent, name: str, text=None, **attributes):
    element = ET.SubElement(parent, name, {k.replace("_", "-"): v for k, v in attributes.items()})
    if text is not None:
        element.text = str(text)
    return element


def _write_address(parent, lieu: dict, region: bool = True):
    adresse = _sub(parent, "adresse")
    _sub(adresse, "ligne", lieu.get("adresse") or lieu.get("ville") or "-")
    _sub(adresse, "codepostal", lieu.get("code_postal") or "00000")
    _sub(adresse, "ville", lieu.get("ville") or "-")
    if lieu.get("departement"):
        _sub(adresse, "departement", lieu["departement"])
    if region and lieu.get("region"):
        _sub(adresse, "region", lieu["region"])
    return adresse


def _write_extras(parent, values: list[tuple[str, str]]):
    if values:
        extras = _sub(parent, "extras", info=EXTRAS_INFO)
        for info, value in values:
            _sub(extras, "extra", value, info=info)


def _lheo_date_text(value) -> str:
    return value.strftime("%Y%m%d") if value else "00000000"


def formation_element(data: dict) -> ET.Element:
    """The <formation> element of one training (the normalized dict of `format.py`)."""
    org = data["organisme"]
    formation = ET.Element("formation", {"numero": data["reference"]})
    domaine = _sub(formation, "domaine-formation")
    for name in ("code-FORMACODE", "code-NSF", "code-ROME"):
        for code in (data.get("lheo") or {}).get(name, []):
            _sub(domaine, name, code)
    _sub(formation, "intitule-formation", data["intitule"])
    _sub(formation, "objectif-formation", data["objectifs"])
    fillers = []  # mandatory LHEO elements the training leaves empty: written, and marked
    if not data.get("resultats_attendus"):
        fillers.append("resultats-attendus")
    _sub(formation, "resultats-attendus", data.get("resultats_attendus") or data["objectifs"])
    _sub(formation, "contenu-formation", data["contenu"])
    _sub(formation, "certifiante", "1" if data["certifiante"] else "0")
    contact = _sub(_sub(formation, "contact-formation"), "coordonnees")
    if org.get("telephone"):
        _sub(_sub(contact, "telfixe"), "numtel", org["telephone"])
    if org.get("courriel"):
        _sub(contact, "courriel", org["courriel"])
    _sub(formation, "parcours-de-formation", "1")
    _sub(formation, "code-niveau-entree", data.get("niveau_entree") or "0")
    cpf = any("CPF" in a["financements"] for a in data["actions"])
    if data.get("code_rncp") or data.get("code_rs"):
        certification = _sub(formation, "certification")
        if data.get("code_rncp"):
            _sub(certification, "code-RNCP", data["code_rncp"].removeprefix("RNCP"))
        if data.get("code_rs"):
            _sub(certification, "code-RS", data["code_rs"].removeprefix("RS"))
        if cpf:
            _sub(certification, "code-CPF", data.get("code_rncp") or data.get("code_rs"))
    if data.get("url"):
        _sub(_sub(formation, "url-formation"), "urlweb", data["url"])
    for action in data["actions"]:
        _write_action(formation, action, org)
    responsable = _sub(formation, "organisme-formation-responsable")
    _sub(responsable, "numero-activite", org.get("numero_activite") or "00000000000")
    _sub(_sub(responsable, "SIRET-organisme-formation"), "SIRET", org["siret"])
    _sub(responsable, "nom-organisme", org["nom"])
    _sub(responsable, "raison-sociale", org.get("raison_sociale") or org["nom"])
    coordonnees = _sub(_sub(responsable, "coordonnees-organisme"), "coordonnees")
    _write_address(coordonnees, org)
    if org.get("telephone"):
        _sub(_sub(coordonnees, "telfixe"), "numtel", org["telephone"])
    if org.get("courriel"):
        _sub(coordonnees, "courriel", org["courriel"])
    contact = _sub(_sub(responsable, "contact-organisme"), "coordonnees")
    if org.get("courriel"):
        _sub(contact, "courriel", org["courriel"])
    _write_extras(
        formation,
        [("famille-cas-usage", f) for f in data.get("familles", [])]
        + [("vide", name) for name in fillers],
    )
    return formation


def _write_action(formation, action: dict, org: dict) -> None:
    element = _sub(formation, "action", numero=action["reference"])
    fillers = [
        name
        for name, key in (
            ("rythme-formation", "rythme"),
            ("conditions-specifiques", "conditions"),
            ("code-public-vise", "codes_public_lheo"),
            ("code-financeur", "codes_financeurs_lheo"),
        )
        if not action.get(key)
    ]
    _sub(element, "rythme-formation", action.get("rythme") or "Non précisé")
    codes = action.get("codes_public_lheo") or [EXPORT_PUBLIC[p] for p in action["publics"]]
    for code in codes[:10]:
        _sub(element, "code-public-vise", code, ref="V14")
    _sub(element, "niveau-entree-obligatoire", "0")
    apprentices = "APPRENTI" in action["publics"]
    _sub(
        element,
        "modalites-alternance",
        "Possible en contrat d'apprentissage" if apprentices else "Pas d'alternance",
    )
    code = {v: k for k, v in MODALITE_LHEO.items()}[action["modalite"]]
    _sub(element, "modalites-enseignement", code)
    _sub(element, "conditions-specifiques", action.get("conditions") or "Aucune")
    price = action.get("prix_ttc_centimes")
    _sub(element, "prise-en-charge-frais-possible", "1" if action["financements"] else "0")
    if action.get("lieu"):
        _write_address(_sub(_sub(element, "lieu-de-formation"), "coordonnees"), action["lieu"])
    _sub(element, "modalites-entrees-sorties", "0")
    for session in action["sessions"]:
        node = _sub(element, "session", numero=session["reference"])
        periode = _sub(node, "periode")
        _sub(periode, "debut", _lheo_date_text(session["debut"]))
        _sub(periode, "fin", _lheo_date_text(session["fin"]) if session["fin"] else "99999999")
        _write_address(_sub(node, "adresse-inscription"), org, region=False)
        etat = session.get("etat_recrutement") or "ouvert"
        _sub(node, "etat-recrutement", LHEO_ETAT_RECRUTEMENT.get(etat, etat))
        if session.get("places") is not None:
            _write_extras(node, [("places", str(session["places"]))])
    if price is not None:
        _sub(element, "prix-total-TTC", f"{Decimal(price) / 100:.2f}")
    if action.get("duree_heures"):
        _sub(element, "nombre-heures-total", action["duree_heures"])
    financeurs = list(action.get("codes_financeurs_lheo") or [])
    if not financeurs:
        if "FRANCE_TRAVAIL" in action["financements"]:
            financeurs.append(FINANCEUR_FRANCE_TRAVAIL)
        if "OPCO" in action["financements"]:
            financeurs.append(FINANCEUR_OPCO)
    for code in financeurs[:8]:
        _sub(_sub(element, "organisme-financeur"), "code-financeur", code)
    _write_extras(
        element,
        [("financement", f) for f in action["financements"]] + [("vide", name) for name in fillers],
    )


def write(formations: Iterable[dict], stream) -> int:
    """Write an LHEO 2.3 document with these trainings to a binary stream; return the count."""
    stream.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(f'<lheo xmlns="{NS}">\n<offres>\n'.encode())
    count = 0
    for data in formations:
        # Unprefixed elements inside <lheo xmlns="…">: they are in the LHEO namespace.
        text = ET.tostring(formation_element(data), encoding="unicode")
        stream.write(text.encode("utf-8"))
        stream.write(b"\n")
        count += 1
    stream.write(b"</offres>\n</lheo>\n")
    return count
