"""The catalogue's exchange format (pure Python, no Django): one solution per line.

`validate_line(raw, known_naf)` turns one JSON object of the import format into a clean
`SolutionData`, or raises `InvalidSolution` with one French message per wrong field. The same
function checks imports, provider submissions (API and forms) and the export's round trip.
"""

import functools
import json
import math
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from osezia.entreprises.identifiants import InvalidIdentifier, parse_siren_or_siret
from osezia.referentiels import codes
from osezia.referentiels.naf import normalize_code
from osezia.socle.regles import (
    MAX_PRIX_EUR_MOIS,
    MESSAGE,
    InvalidExternalId,
    external_id,
    forbidden_characters,
)

FAMILLES = codes.codes("famille")
TAILLES = codes.codes("taille")
MODELES_TARIF = codes.codes("modele_tarif")
DEPLOIEMENTS = codes.codes("deploiement")
HEBERGEMENTS = codes.codes("hebergement")
RISQUES = codes.codes("risque_ia_act")
CERTIFICATIONS = ("SecNumCloud", "HDS", "ISO 27001", "ISO 9001", "SOC 2", "CE dispositif médical")

# AI Act, article 5: practices that are never listed.
PRATIQUES_INTERDITES = {
    "MANIPULATION": "techniques subliminales ou manipulatrices altérant le comportement",
    "EXPLOITATION_VULNERABILITES": "exploitation des vulnérabilités liées à l'âge, au handicap ou à la situation sociale",
    "NOTATION_SOCIALE": "notation sociale des personnes",
    "POLICE_PREDICTIVE": "prédiction du risque qu'une personne commette une infraction sur la seule base de son profilage",
    "MOISSONNAGE_FACIAL": "constitution de bases de reconnaissance faciale par moissonnage non ciblé d'images",
    "EMOTIONS_TRAVAIL_EDUCATION": "reconnaissance des émotions sur le lieu de travail ou dans l'enseignement",
    "CATEGORISATION_BIOMETRIQUE": "catégorisation biométrique déduisant des données sensibles (origine, opinions, orientation…)",
    "IDENTIFICATION_BIOMETRIQUE_TEMPS_REEL": "identification biométrique à distance en temps réel dans l'espace public",
}
RISQUES_INTERDITS = {"inacceptable", "interdit", "prohibe", "interdite", "article_5"}
# Phrases that declare a prohibited practice in a solution's own text (folded).
_DECLARATIONS = [
    (re.compile(r"notation sociale|score social|credit social|scoring social"), "NOTATION_SOCIALE"),
    (
        re.compile(
            r"(reconnaissance|detection|analyse) des emotions.{0,60}(salarie|employe|collaborateur|travail|eleve|etudiant|ecole|classe)"
        ),
        "EMOTIONS_TRAVAIL_EDUCATION",
    ),
    (
        re.compile(
            r"(salarie|employe|collaborateur|eleve|etudiant).{0,60}(reconnaissance|detection|analyse) des emotions"
        ),
        "EMOTIONS_TRAVAIL_EDUCATION",
    ),
    (re.compile(r"subliminal"), "MANIPULATION"),
    (
        re.compile(
            r"moissonnage.{0,40}(visage|facial|faciale)|(visage|facial|faciale).{0,40}moissonnage|aspiration massive.{0,30}visage"
        ),
        "MOISSONNAGE_FACIAL",
    ),
    (
        re.compile(r"police predictive|predire.{0,30}(infraction|delinquance|crime)"),
        "POLICE_PREDICTIVE",
    ),
    (
        re.compile(
            r"deduire.{0,40}(orientation sexuelle|opinions? politiques?|religion|origine ethnique)"
        ),
        "CATEGORISATION_BIOMETRIQUE",
    ),
]

# A word every pattern of `_DECLARATIONS` needs: a text with none of them declares nothing.
_DECLARATION_WORDS = re.compile(
    r"social|emotions|subliminal|moissonnage|aspiration massive|police predictive|predire|deduire"
)

_LANG = re.compile(r"^[a-z]{2}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# French telephone numbers: ten digits beginning with 0 (« 01 23 45 67 89 »), or the same
# without its 0 after +33 / 0033 (« +33 1 23 45 67 89 », « +33 (0)1 23 45 67 89 »), or after
# the codes of the overseas departments (+262, +269, +590, +594, +596). Spaces, dots and
# hyphens between digits are tolerated; nothing else.
TELEPHONE_RULE = (
    "numéro français à 10 chiffres (01 23 45 67 89) ou international en +33 "
    "(+33 1 23 45 67 89) ; espaces, points et tirets acceptés"
)
_PHONE_SEPARATORS = re.compile(r"[\s.\-]")
_PHONE_NATIONAL = re.compile(r"0[1-9]\d{8}")
_PHONE_INTERNATIONAL = re.compile(r"(?:\+|00)(33|262|269|590|594|596)(?:\(0\))?([1-9]\d{8})")


def phone_number(value: str) -> str:
    """`value` stripped when it is a French number (`TELEPHONE_RULE`), else ValueError
    (French message). The number is kept as typed."""
    value = (value or "").strip()
    compact = _PHONE_SEPARATORS.sub("", value)
    if not compact:
        return ""
    if not (_PHONE_NATIONAL.fullmatch(compact) or _PHONE_INTERNATIONAL.fullmatch(compact)):
        raise ValueError(f"numéro de téléphone invalide : {TELEPHONE_RULE}")
    return value


MAX_NOM, MAX_RESUME, MAX_DESCRIPTION = 200, 400, 10_000
# Bounds of the lists and of their items (a line stays a few tens of kilobytes at most).
MAX_SECTEURS = 100
MAX_LANGUES = 30
MAX_MODELES_IA, MAX_MODELE_IA = 20, 100
MAX_REFERENCES, MAX_CLIENT, MAX_RESULTAT = 20, 200, 500
MAX_SITE_WEB, MAX_EMAIL, MAX_TELEPHONE = 500, 254, 30
MAX_FOURNISSEUR_NOM = 255


class InvalidSolution(ValueError):
    """`errors` maps a field to its French message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ; ".join(f"{k} : {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class SolutionData:
    id_externe: str
    nom: str
    fournisseur_nom: str
    fournisseur_siren: str
    resume: str
    description: str
    familles: list[str]
    secteurs: list[str]
    tailles: list[str]
    tarif_modele: str
    tarif_min_eur_mois: int | None
    tarif_max_eur_mois: int | None
    deploiement: list[str]
    hebergement: str
    risque_ia_act: str
    langues: list[str] = field(default_factory=lambda: ["fr"])
    site_web: str = ""
    certifications: list[str] = field(default_factory=list)
    rgpd_dpa: bool = False
    modeles_ia: list[str] = field(default_factory=list)
    references: list[dict] = field(default_factory=list)
    contact_email: str = ""
    contact_telephone: str = ""

    def contenu(self) -> dict:
        """The stored content of a version (everything but the identity and the provider)."""
        data = asdict(self)
        for key in ("id_externe", "fournisseur_nom", "fournisseur_siren"):
            data.pop(key)
        return data

    def to_line(self) -> dict:
        """Back to the exchange format."""
        return to_line(
            self.id_externe, self.fournisseur_nom, self.fournisseur_siren, self.contenu()
        )


def to_line(id_externe: str, fournisseur_nom: str, fournisseur_siren: str, contenu: dict) -> dict:
    return {
        "id_externe": id_externe,
        "nom": contenu["nom"],
        "fournisseur": {"nom": fournisseur_nom, "siren": fournisseur_siren},
        "resume": contenu["resume"],
        "description": contenu["description"],
        "familles": contenu["familles"],
        "secteurs": contenu["secteurs"],
        "tailles": contenu["tailles"],
        "tarif": {
            "modele": contenu["tarif_modele"],
            "min_eur_mois": contenu["tarif_min_eur_mois"],
            "max_eur_mois": contenu["tarif_max_eur_mois"],
        },
        "deploiement": contenu["deploiement"],
        "hebergement": contenu["hebergement"],
        "risque_ia_act": contenu["risque_ia_act"],
        "langues": contenu["langues"],
        "site_web": contenu["site_web"],
        "certifications": contenu["certifications"],
        "rgpd_dpa": contenu["rgpd_dpa"],
        "modeles_ia": contenu["modeles_ia"],
        "references": contenu["references"],
        "contact": {"email": contenu["contact_email"], "telephone": contenu["contact_telephone"]},
    }


def _text(
    raw: dict, key: str, errors: dict, required: bool = True, limit: int | None = None
) -> str:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[key] = "champ obligatoire"
        return ""
    if not isinstance(value, str):
        errors[key] = "doit être un texte"
        return ""
    if forbidden_characters(value, multiline=key == "description"):
        errors[key] = MESSAGE
        return ""
    value = value.strip()
    if limit and len(value) > limit:
        errors[key] = f"ne doit pas dépasser {limit} caractères"
    return value


def _codes(raw: dict, key: str, allowed, errors: dict, required: bool = True) -> list[str]:
    value = raw.get(key)
    if value is None:
        value = []
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors[key] = "doit être une liste de codes"
        return []
    if len(value) > 2 * len(allowed):
        errors[key] = f"{len(allowed)} valeurs possibles au plus"
        return []
    value = list(dict.fromkeys(v.strip() for v in value))
    unknown = [v for v in value if v not in allowed]
    if unknown:
        shown = [v if not forbidden_characters(v) else "?" for v in unknown[:5]]
        errors[key] = (
            f"valeur inconnue : {', '.join(shown)} (valeurs possibles : {', '.join(allowed)})"
        )
        return []
    if required and not value:
        errors[key] = "au moins une valeur est obligatoire"
    return value


def _choice(raw: dict, key: str, allowed, errors: dict) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or value not in allowed:
        shown = value if isinstance(value, str) and not forbidden_characters(value) else "?"
        errors[key] = f"« {shown[:50]} » n'est pas une valeur possible ({', '.join(allowed)})"
        return ""
    return value


def euros(amount: int) -> str:
    """« 15 000 000 € » (thin spaces between thousands, as French typography writes them)."""
    return f"{amount:,}".replace(",", "\u202f") + "\u00a0€"


PRICE_TOO_HIGH = f"ne peut pas dépasser {euros(MAX_PRIX_EUR_MOIS)} par mois"
PRICE_NEGATIVE = "ne peut pas être négatif"


def _amount(value, key: str, errors: dict) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        errors[key] = "doit être un nombre entier d'euros"
        return None
    if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
        errors[key] = "doit être un nombre entier d'euros"
        return None
    if isinstance(value, str) and len(value.strip()) > 20:
        errors[key] = PRICE_TOO_HIGH
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, float) else int(value)
    except ValueError:
        errors[key] = "doit être un nombre entier d'euros"
        return None
    if number < 0:
        errors[key] = PRICE_NEGATIVE
        return None
    if number > MAX_PRIX_EUR_MOIS:
        errors[key] = PRICE_TOO_HIGH
        return None
    return number


def _text_list(raw: dict, errors: dict) -> list[str]:
    """`modeles_ia`: at most MAX_MODELES_IA texts of MAX_MODELE_IA characters."""
    values = raw.get("modeles_ia") or []
    if not isinstance(values, list) or not all(isinstance(x, str) for x in values):
        errors["modeles_ia"] = "doit être une liste de textes"
        return []
    if len(values) > MAX_MODELES_IA:
        errors["modeles_ia"] = f"{MAX_MODELES_IA} modèles au plus"
        return []
    cleaned = []
    for value in values:
        if forbidden_characters(value):
            errors["modeles_ia"] = MESSAGE
            return []
        if len(value.strip()) > MAX_MODELE_IA:
            errors["modeles_ia"] = f"chaque nom de modèle compte {MAX_MODELE_IA} caractères au plus"
            return []
        if value.strip():
            cleaned.append(value.strip())
    return list(dict.fromkeys(cleaned))


def _references(raw: dict, errors: dict) -> list[dict]:
    """`references`: at most MAX_REFERENCES objects {"client", "resultat"} of bounded texts."""
    values = raw.get("references") or []
    if not isinstance(values, list) or not all(isinstance(x, dict) for x in values):
        errors["references"] = 'doit être une liste d\'objets {"client", "resultat"}'
        return []
    if len(values) > MAX_REFERENCES:
        errors["references"] = f"{MAX_REFERENCES} références au plus"
        return []
    cleaned = []
    for index, value in enumerate(values):
        reference_errors: dict[str, str] = {}
        client = _text(value, "client", reference_errors, limit=MAX_CLIENT)
        resultat = _text(value, "resultat", reference_errors, required=False, limit=MAX_RESULTAT)
        for key, message in reference_errors.items():
            errors[f"references.{index}.{key}"] = message
        cleaned.append({"client": client, "resultat": resultat})
    return cleaned


def _fold(text: str) -> str:
    """The same text as `socle.texte.fold`, without its character-by-character loop: each
    combining mark the decomposed text holds (a few accents) is taken off by one `replace`."""
    text = unicodedata.normalize("NFKD", text)
    if not text.isascii():
        for char in set(text):
            if unicodedata.combining(char):
                text = text.replace(char, "")
    return text.replace("œ", "oe").replace("æ", "ae").lower()


@functools.lru_cache(maxsize=4096)
def _siren(value: str) -> str:
    """The SIREN of a SIREN or SIRET (`parse_siren_or_siret`), remembered: a catalogue names
    the same providers on many lines (a wrong number raises each time, it is not kept)."""
    return parse_siren_or_siret(value).siren


def prohibited_practices(raw: dict) -> list[str]:
    """The AI Act article 5 practices a line declares: explicitly (`risque_ia_act` set to an
    unacceptable level, or `pratiques_interdites`) or in its own words."""
    found = []
    declared = raw.get("pratiques_interdites") or []
    if isinstance(declared, str):
        declared = [declared]
    if isinstance(declared, list):
        found += [str(code).upper() for code in declared if str(code).strip()]
    if (
        isinstance(raw.get("risque_ia_act"), str)
        and _fold(raw["risque_ia_act"]).strip() in RISQUES_INTERDITS
    ):
        found.append("ARTICLE_5")
    text = _fold(" ".join(str(raw.get(k) or "") for k in ("nom", "resume", "description")))
    if _DECLARATION_WORDS.search(text):  # one cheap scan; most texts stop here
        for pattern, code in _DECLARATIONS:
            if pattern.search(text):
                found.append(code)
    return list(dict.fromkeys(found))


def validate_line(raw: dict, known_naf) -> SolutionData:
    """Check one solution of the exchange format; `known_naf` is the set of NAF codes."""
    if not isinstance(raw, dict):
        raise InvalidSolution({"ligne": "doit être un objet JSON"})
    errors: dict[str, str] = {}
    practices = prohibited_practices(raw)
    if practices:
        labels = [PRATIQUES_INTERDITES.get(p, "pratique interdite déclarée") for p in practices]
        errors["risque_ia_act"] = (
            "pratique interdite par l'article 5 du règlement européen sur l'IA ("
            + " ; ".join(dict.fromkeys(labels))
            + ") : cette solution ne peut pas figurer au catalogue"
        )
    try:
        id_externe = external_id(raw.get("id_externe"))
    except InvalidExternalId as exc:
        errors["id_externe"] = str(exc)
        id_externe = ""
    nom = _text(raw, "nom", errors, limit=MAX_NOM)
    provider = raw.get("fournisseur")
    fournisseur_nom, fournisseur_siren = "", ""
    if not isinstance(provider, dict):
        errors["fournisseur"] = 'objet obligatoire : {"nom": …, "siren": …}'
    else:
        fournisseur_nom = _text(provider, "nom", errors_provider := {}, limit=MAX_FOURNISSEUR_NOM)
        try:
            fournisseur_siren = _siren(str(provider.get("siren") or ""))
        except InvalidIdentifier as exc:
            errors_provider["siren"] = str(exc)
        for key, message in errors_provider.items():
            errors[f"fournisseur.{key}"] = message
    resume = _text(raw, "resume", errors, limit=MAX_RESUME)
    description = _text(raw, "description", errors, required=False, limit=MAX_DESCRIPTION)
    familles = _codes(raw, "familles", FAMILLES, errors)
    secteurs_raw = raw.get("secteurs", [])
    secteurs: list[str] = []
    if isinstance(secteurs_raw, str):
        secteurs_raw = [s for s in secteurs_raw.split(",") if s.strip()]
    if not isinstance(secteurs_raw, list) or not all(isinstance(s, str) for s in secteurs_raw):
        errors["secteurs"] = "doit être une liste de codes NAF ([] pour tous les secteurs)"
    elif len(secteurs_raw) > MAX_SECTEURS:
        errors["secteurs"] = f"{MAX_SECTEURS} codes NAF au plus"
    else:
        secteurs = list(dict.fromkeys(normalize_code(s) for s in secteurs_raw))
        unknown = [s for s in secteurs if s not in known_naf]
        if unknown:
            shown = [s[:10] if not forbidden_characters(s) else "?" for s in unknown[:5]]
            errors["secteurs"] = f"code NAF inconnu : {', '.join(shown)}"
    tailles = _codes(raw, "tailles", TAILLES, errors)
    tarif = raw.get("tarif")
    modele, minimum, maximum = "", None, None
    if not isinstance(tarif, dict):
        errors["tarif"] = 'objet obligatoire : {"modele", "min_eur_mois", "max_eur_mois"}'
    else:
        modele = _choice(tarif, "modele", MODELES_TARIF, tarif_errors := {})
        minimum = _amount(tarif.get("min_eur_mois"), "min_eur_mois", tarif_errors)
        maximum = _amount(tarif.get("max_eur_mois"), "max_eur_mois", tarif_errors)
        if minimum is not None and maximum is not None and minimum > maximum:
            tarif_errors["max_eur_mois"] = "doit être supérieur ou égal au minimum"
        if modele == "gratuit" and (minimum or maximum):
            tarif_errors["modele"] = "une solution gratuite n'a pas de prix"
        for key, message in tarif_errors.items():
            errors[f"tarif.{key}"] = message
    deploiement = _codes(raw, "deploiement", DEPLOIEMENTS, errors)
    hebergement = _choice(raw, "hebergement", HEBERGEMENTS, errors)
    risque = "" if "risque_ia_act" in errors else _choice(raw, "risque_ia_act", RISQUES, errors)
    langues = raw.get("langues") or ["fr"]
    if not isinstance(langues, list) or not all(
        isinstance(x, str) and _LANG.fullmatch(x) for x in langues
    ):
        errors["langues"] = "liste de codes de langue à deux lettres (fr, en…)"
        langues = []
    elif len(langues) > MAX_LANGUES:
        errors["langues"] = f"{MAX_LANGUES} langues au plus"
    site_web = _text(raw, "site_web", errors, required=False, limit=MAX_SITE_WEB)
    if site_web and not _URL.match(site_web):
        errors["site_web"] = "adresse web invalide (https://…)"
    certifications = _codes(raw, "certifications", CERTIFICATIONS, errors, required=False)
    dpa = raw.get("rgpd_dpa", False)
    if not isinstance(dpa, bool):
        errors["rgpd_dpa"] = "doit valoir true ou false"
    modeles_ia = _text_list(raw, errors)
    references = _references(raw, errors)
    contact = raw.get("contact") or {}
    email, telephone = "", ""
    if not isinstance(contact, dict):
        errors["contact"] = 'doit être un objet {"email", "telephone"}'
    else:
        contact_errors: dict[str, str] = {}
        email = _text(contact, "email", contact_errors, required=False, limit=MAX_EMAIL)
        telephone = _text(contact, "telephone", contact_errors, required=False, limit=MAX_TELEPHONE)
        if email and not _EMAIL.match(email):
            contact_errors["email"] = "adresse électronique invalide"
        if telephone and "telephone" not in contact_errors:
            try:
                telephone = phone_number(telephone)
            except ValueError as exc:
                contact_errors["telephone"] = str(exc)
        for key, message in contact_errors.items():
            errors[f"contact.{key}"] = message
    if errors:
        raise InvalidSolution(errors)
    return SolutionData(
        id_externe=id_externe,
        nom=nom,
        fournisseur_nom=fournisseur_nom,
        fournisseur_siren=fournisseur_siren,
        resume=resume,
        description=description,
        familles=familles,
        secteurs=secteurs,
        tailles=tailles,
        tarif_modele=modele,
        tarif_min_eur_mois=minimum,
        tarif_max_eur_mois=maximum,
        deploiement=deploiement,
        hebergement=hebergement,
        risque_ia_act=risque,
        langues=list(dict.fromkeys(langues)),
        site_web=site_web,
        certifications=certifications,
        rgpd_dpa=dpa,
        modeles_ia=modeles_ia,
        references=references,
        contact_email=email,
        contact_telephone=telephone,
    )


# CSV: the same fields, lists separated by « | » (a « | » inside an item written « \| », a
# backslash « \\ »), the provider and price flattened, the references as a JSON list.
CSV_COLUMNS = [
    "id_externe",
    "nom",
    "fournisseur_nom",
    "fournisseur_siren",
    "resume",
    "description",
    "familles",
    "secteurs",
    "tailles",
    "tarif_modele",
    "tarif_min_eur_mois",
    "tarif_max_eur_mois",
    "deploiement",
    "hebergement",
    "risque_ia_act",
    "langues",
    "site_web",
    "certifications",
    "rgpd_dpa",
    "modeles_ia",
    "contact_email",
    "contact_telephone",
    "references",
]
_LIST_COLUMNS = {
    "familles",
    "secteurs",
    "tailles",
    "deploiement",
    "langues",
    "certifications",
    "modeles_ia",
}


def join_items(items) -> str:
    """A list in one CSV cell: items separated by « | », escaped so that any text survives."""
    return "|".join(str(i).replace("\\", "\\\\").replace("|", "\\|") for i in items)


def split_items(cell: str) -> list[str]:
    """The reverse of `join_items`. Only « \\| » and « \\\\ » are escapes: a cell written by hand
    with plain « | » and lone backslashes (« C:\\Modèles ») reads as typed."""
    items, current, index, cell = [], [], 0, cell or ""
    while index < len(cell):
        char = cell[index]
        if char == "\\" and cell[index + 1 : index + 2] in ("|", "\\"):
            current.append(cell[index + 1])
            index += 2
            continue
        if char == "|":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def _csv_references(cell: str | None):
    """The `references` cell: a JSON list of {"client", "resultat"}; left as given when it is
    not JSON, so that validation reports it in French."""
    if not (cell or "").strip():
        return []
    try:
        return json.loads(cell)
    except ValueError:
        return cell


def csv_row_to_line(row: dict) -> dict:
    """A CSV row (columns above) back to the JSON line form, before validation."""

    def listed(key):
        return split_items(row.get(key) or "")

    return {
        "id_externe": row.get("id_externe") or "",
        "nom": row.get("nom"),
        "fournisseur": {"nom": row.get("fournisseur_nom"), "siren": row.get("fournisseur_siren")},
        "resume": row.get("resume"),
        "description": row.get("description"),
        "familles": listed("familles"),
        "secteurs": listed("secteurs"),
        "tailles": listed("tailles"),
        "tarif": {
            "modele": (row.get("tarif_modele") or "").strip(),
            "min_eur_mois": row.get("tarif_min_eur_mois") or None,
            "max_eur_mois": row.get("tarif_max_eur_mois") or None,
        },
        "deploiement": listed("deploiement"),
        "hebergement": (row.get("hebergement") or "").strip(),
        "risque_ia_act": (row.get("risque_ia_act") or "").strip(),
        "langues": listed("langues") or ["fr"],
        "site_web": row.get("site_web") or "",
        "certifications": listed("certifications"),
        "rgpd_dpa": (row.get("rgpd_dpa") or "").strip().lower() in {"1", "true", "oui", "vrai"},
        "modeles_ia": listed("modeles_ia"),
        "contact": {
            "email": row.get("contact_email") or "",
            "telephone": row.get("contact_telephone") or "",
        },
        "references": _csv_references(row.get("references")),
    }


def line_to_csv_row(line: dict) -> dict:
    row = {
        "id_externe": line["id_externe"],
        "nom": line["nom"],
        "fournisseur_nom": line["fournisseur"]["nom"],
        "fournisseur_siren": line["fournisseur"]["siren"],
        "resume": line["resume"],
        "description": line["description"],
        "tarif_modele": line["tarif"]["modele"],
        "tarif_min_eur_mois": ""
        if line["tarif"]["min_eur_mois"] is None
        else line["tarif"]["min_eur_mois"],
        "tarif_max_eur_mois": ""
        if line["tarif"]["max_eur_mois"] is None
        else line["tarif"]["max_eur_mois"],
        "hebergement": line["hebergement"],
        "risque_ia_act": line["risque_ia_act"],
        "site_web": line["site_web"],
        "rgpd_dpa": "true" if line["rgpd_dpa"] else "false",
        "contact_email": line["contact"]["email"],
        "contact_telephone": line["contact"]["telephone"],
        "references": json.dumps(line.get("references") or [], ensure_ascii=False)
        if line.get("references")
        else "",
    }
    for key in _LIST_COLUMNS:
        row[key] = join_items(line[key])
    return row
