"""The Académie's training format: codes and the validation of one training (no Django here).

A training (`formation`) arrives as a plain dict, from the LHEO importer, the demo file or the
API, always in the same normalized shape (documented in docs/academie.md):

    {"reference", "intitule", "objectifs", "resultats_attendus", "contenu", "certifiante",
     "certification": {"code_rncp"|"code_rs"} | None, "niveau_entree", "familles", "url",
     "organisme": {"siret", "numero_activite", "nom", "raison_sociale", ...},
     "actions": [{"reference", "publics", "modalite", "lieu": {...} | None, "duree_heures",
                  "prix_ttc_centimes", "financements", "sessions": [{"reference", "debut",
                  "fin", "places", "etat_recrutement"}]}]}

`check_formation` returns the cleaned dict and the list of errors, each with the path of the
element in cause, so that a training is stored whole or not at all.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from stdnum.fr import siret as stdnum_siret

from osezia.referentiels import codes
from osezia.socle.regles import MESSAGE, forbidden_path, is_external_id

PUBLICS = codes.labels("public", short=True)
MODALITES = {"presentiel": "Présentiel", "mixte": "Mixte", "distance": "À distance"}
# LHEO dict-modalites-enseignement: 0 présentiel, 1 mixte, 2 distance
MODALITE_LHEO = {"0": "presentiel", "1": "mixte", "2": "distance"}
FINANCEMENTS = {
    "CPF": "Compte personnel de formation (CPF)",
    "OPCO": "OPCO",
    "FRANCE_TRAVAIL": "France Travail",
    "GRATUIT": "Gratuit",
}
# Recruitment state of a session (the model's `Session.EtatRecrutement` is built from it).
ETATS_RECRUTEMENT = {"ouvert": "Ouvert", "ferme": "Fermé", "suspendu": "Suspendu"}
# LHEO dict-etat-recrutement: 1 ouvert, 2 fermé, 3 suspendu (the wire values, read and written
# only at the LHEO boundary; the normalized format also accepts them, as older files use them)
ETAT_RECRUTEMENT_LHEO = {"1": "ouvert", "2": "ferme", "3": "suspendu"}
LHEO_ETAT_RECRUTEMENT = {v: k for k, v in ETAT_RECRUTEMENT_LHEO.items()}
NIVEAUX_TUTORIEL = {"debutant": "Débutant", "intermediaire": "Intermédiaire", "avance": "Avancé"}
DUREES = {
    "courte": "Moins d'une journée (7 h au plus)",
    "jours": "De 1 à 5 jours (8 à 35 h)",
    "longue": "Plus de 5 jours (plus de 35 h)",
}
# Entry level, from the LHEO dict-niveaux codes (old and new nomenclatures) to five steps
NIVEAUX = {
    "aucun": "Sans niveau spécifique",
    "3": "CAP, BEP (niveau 3)",
    "4": "Baccalauréat (niveau 4)",
    "5": "Bac + 2 (niveau 5)",
    "6": "Bac + 3 et plus (niveaux 6 à 8)",
}
NIVEAU_LHEO = {
    "0": "aucun", "1": "aucun", "2": "aucun", "3": "aucun", "11": "aucun", "12": "aucun",
    "4": "3", "13": "3", "5": "4", "14": "4", "6": "5", "15": "5",
    "7": "6", "8": "6", "16": "6", "17": "6", "18": "6",
}  # fmt: skip
RNCP = re.compile(r"^RNCP\d{1,6}$")
RS = re.compile(r"^RS\d{1,6}$")
NUMERO_ACTIVITE = re.compile(r"^\d{11}$")
POSTAL = re.compile(r"^\d{5}$")
MAX_HOURS = 5000
MAX_PRICE_CENTS = 10_000_000  # 100,000 € incl. VAT
MAX_SEATS = 10_000
LIMITS = {"intitule": 255, "objectifs": 3000, "resultats_attendus": 3000, "contenu": 3000}


def duree_bucket(hours: int | None) -> str | None:
    if hours is None:
        return None
    if hours <= 7:
        return "courte"
    if hours <= 35:
        return "jours"
    return "longue"


def departement_of_postal(code_postal: str) -> str | None:
    """The département of a French postal code (Corsica and overseas included)."""
    if not POSTAL.match(code_postal or ""):
        return None
    if code_postal.startswith("97") or code_postal.startswith("98"):
        return code_postal[:3]
    if code_postal.startswith("20"):
        return "2A" if int(code_postal) < 20200 else "2B"
    return code_postal[:2]


@dataclass
class Problems:
    """Errors found in one training, each with the path of the element in cause."""

    prefix: str
    items: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # accepted, but worth telling

    def add(self, path: str, message: str) -> None:
        self.items.append((f"{self.prefix}{path}", message))

    def note(self, path: str, message: str) -> None:
        self.notes.append(f"{self.prefix}{path} : {message}")


def _text(problems, data, key, path, required=True):
    value = data.get(key)
    value = "" if value is None else str(value).strip()
    if required and not value:
        problems.add(path, "élément obligatoire absent ou vide")
    limit = LIMITS.get(key)
    if limit and len(value) > limit:
        problems.add(path, f"texte trop long ({len(value)} caractères, au plus {limit})")
    return value


def _int(problems, value, path, minimum, maximum, required=False):
    if value is None or value == "":
        if required:
            problems.add(path, "élément obligatoire absent ou vide")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        problems.add(path, f"« {value} » n'est pas un nombre entier")
        return None
    if not minimum <= number <= maximum:
        problems.add(path, f"{number} est hors des limites ({minimum} à {maximum})")
        return None
    return number


def _date(problems, value, path):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or ""))
    except ValueError:
        problems.add(path, f"« {value or ''} » n'est pas une date (AAAA-MM-JJ)")
        return None


def _codes(problems, values, allowed, path, label):
    values = list(dict.fromkeys(values or []))
    unknown = [v for v in values if v not in allowed]
    if unknown:
        problems.add(path, f"{label} inconnu(s) : {', '.join(map(str, unknown))}")
    return [v for v in values if v in allowed]


def _one_line(value) -> str:
    """A name on one line: an XML file may wrap it over several (indentation, line breaks),
    and names end up in e-mail subjects and certificates."""
    return " ".join(str(value or "").split())


def check_organisme(problems, data, path) -> dict:
    data = data or {}
    siret = re.sub(r"\s", "", str(data.get("siret") or ""))
    if not re.fullmatch(r"\d{14}", siret):
        problems.add(f"{path}/SIRET", f"« {siret} » n'est pas un numéro SIRET (14 chiffres)")
    elif not stdnum_siret.is_valid(siret):
        # LHEO asks for 14 characters only: a wrong check digit is reported, not refused.
        problems.note(f"{path}/SIRET", f"la clé de contrôle du SIRET {siret} est fausse")
    numero = re.sub(r"\s", "", str(data.get("numero_activite") or ""))
    if numero and not NUMERO_ACTIVITE.match(numero):
        problems.add(
            f"{path}/numero-activite",
            f"« {numero} » n'est pas un numéro de déclaration d'activité (11 chiffres)",
        )
    nom = _one_line(_text(problems, data, "nom", f"{path}/nom-organisme"))
    return {
        "siret": siret,
        "numero_activite": numero,
        "nom": nom[:250],
        "raison_sociale": _one_line(data.get("raison_sociale") or nom)[:250],
        "adresse": _one_line(data.get("adresse"))[:250],
        "code_postal": str(data.get("code_postal") or "").strip()[:5],
        "ville": _one_line(data.get("ville"))[:100],
        "courriel": str(data.get("courriel") or "").strip()[:254],
        "telephone": str(data.get("telephone") or "").strip()[:30],
    }


def check_lieu(problems, lieu, path, departements: dict[str, str]) -> dict | None:
    """A place must name a known département (given, or derived from the postal code)."""
    if not lieu:
        return None
    code_postal = str(lieu.get("code_postal") or "").strip()
    departement = str(lieu.get("departement") or "").strip().upper()
    if departement and len(departement) == 1:
        departement = "0" + departement
    if not departement:
        departement = departement_of_postal(code_postal) or ""
    if departement not in departements:
        problems.add(
            f"{path}/departement",
            f"département inconnu « {departement or code_postal or '?'} »",
        )
        return None
    region = departements[departement]
    given_region = str(lieu.get("region") or "").strip()
    if given_region and given_region != region:
        # Often an old (pre-2016) region code: the département decides.
        problems.note(
            f"{path}/region",
            f"région « {given_region} » remplacée par {region}, celle du département {departement}",
        )
    return {
        "adresse": str(lieu.get("adresse") or "").strip()[:250],
        "code_postal": code_postal[:5],
        "ville": str(lieu.get("ville") or "").strip()[:100],
        "departement": departement,
        "region": region,
    }


def check_session(problems, data, path) -> dict:
    """A dated session, or a permanent one (LHEO « entrées/sorties permanentes »: no dates)."""
    if data.get("permanente") and not data.get("debut"):
        debut, fin = None, None
    else:
        debut = _date(problems, data.get("debut"), f"{path}/periode/debut")
        fin = _date(problems, data.get("fin"), f"{path}/periode/fin")
    if debut and fin and fin < debut:
        problems.add(f"{path}/periode/fin", "la fin de session précède son début")
    etat = str(data.get("etat_recrutement") or "ouvert")
    etat = ETAT_RECRUTEMENT_LHEO.get(etat, etat)
    if etat not in ETATS_RECRUTEMENT:
        problems.add(f"{path}/etat-recrutement", f"état de recrutement inconnu « {etat} »")
    places = _int(problems, data.get("places"), f"{path}/places", 0, MAX_SEATS)
    reference = str(data.get("reference") or "").strip()
    if reference and not is_external_id(reference):
        problems.add(f"{path}/@numero", f"identifiant de session invalide « {reference[:90]} »")
    return {
        "reference": reference,
        "debut": debut,
        "fin": fin,
        "places": places,
        "etat_recrutement": etat,
    }


def check_action(problems, data, path, certifiante: bool, departements) -> dict:
    modalite = data.get("modalite")
    if modalite not in MODALITES:
        problems.add(f"{path}/modalites-enseignement", f"modalité inconnue « {modalite} »")
    publics = _codes(problems, data.get("publics"), PUBLICS, f"{path}/code-public-vise", "public")
    if not publics:
        problems.add(f"{path}/code-public-vise", "aucun des quatre publics de l'Académie")
    lieu = data.get("lieu")
    if modalite in ("presentiel", "mixte") and not lieu:
        problems.add(
            f"{path}/lieu-de-formation",
            "lieu obligatoire pour une formation en présentiel ou mixte",
        )
    lieu = check_lieu(problems, lieu, f"{path}/lieu-de-formation", departements)
    hours = _int(problems, data.get("duree_heures"), f"{path}/nombre-heures-total", 1, MAX_HOURS)
    price = _int(
        problems, data.get("prix_ttc_centimes"), f"{path}/prix-total-TTC", 0, MAX_PRICE_CENTS
    )
    financements = _codes(
        problems,
        data.get("financements"),
        FINANCEMENTS,
        f"{path}/organisme-financeur",
        "financement",
    )
    if "CPF" in financements and not certifiante:
        problems.add(
            f"{path}/organisme-financeur",
            "le CPF ne finance que les formations certifiantes (RNCP ou répertoire spécifique)",
        )
    if price == 0 and "GRATUIT" not in financements:
        financements.append("GRATUIT")
    if "GRATUIT" in financements and price:
        problems.add(f"{path}/prix-total-TTC", "une formation gratuite ne peut pas avoir de prix")
    sessions_data = data.get("sessions") or []
    if not sessions_data:
        problems.add(f"{path}/session", "au moins une session est obligatoire")
    sessions = [
        check_session(problems, s, f"{path}/session[{i}]") for i, s in enumerate(sessions_data, 1)
    ]
    references = [s["reference"] for s in sessions if s["reference"]]
    if len(references) != len(set(references)):
        problems.add(f"{path}/session", "deux sessions portent le même identifiant")
    reference = str(data.get("reference") or "").strip()
    if reference and not is_external_id(reference):
        problems.add(f"{path}/@numero", f"identifiant d'action invalide « {reference[:90]} »")
    return {
        "reference": reference,
        "publics": [p for p in PUBLICS if p in publics],
        "codes_public_lheo": list(data.get("codes_public_lheo") or []),
        "modalite": modalite,
        "lieu": lieu,
        "duree_heures": hours,
        "prix_ttc_centimes": price,
        "financements": [f for f in FINANCEMENTS if f in financements],
        "codes_financeurs_lheo": list(data.get("codes_financeurs_lheo") or []),
        "rythme": str(data.get("rythme") or "").strip()[:3000],
        "conditions": str(data.get("conditions") or "").strip()[:3000],
        "sessions": sessions,
    }


def check_formation(
    data: dict, departements: dict[str, str], familles: set[str], path: str = "/formation"
) -> tuple[dict, list[tuple[str, str]]]:
    """The cleaned training and its errors (path, French message); `departements` maps each
    département code to its region code, `familles` is the set of use-case family codes."""
    problems = Problems(path)
    bad = forbidden_path(data)
    if bad is not None:
        # Control characters or lone surrogates anywhere: the training is refused whole.
        problems.add(f"/{bad.replace('.', '/')}", MESSAGE)
        return {}, problems.items
    reference = str(data.get("reference") or "").strip()
    if reference and not is_external_id(reference):
        problems.add("/@numero", f"identifiant de formation invalide « {reference[:90]} »")
    cleaned = {
        "reference": reference,
        "intitule": _text(problems, data, "intitule", "/intitule-formation"),
        "objectifs": _text(problems, data, "objectifs", "/objectif-formation"),
        "resultats_attendus": _text(
            problems, data, "resultats_attendus", "/resultats-attendus", required=False
        ),
        "contenu": _text(problems, data, "contenu", "/contenu-formation"),
        "url": str(data.get("url") or "").strip()[:400],
        "niveau_entree": str(data.get("niveau_entree") or "0"),
        "lheo": data.get("lheo") or {},
    }
    if cleaned["niveau_entree"] not in NIVEAU_LHEO:
        problems.note(
            "/code-niveau-entree",
            f"code de niveau inconnu « {cleaned['niveau_entree']} », enregistré comme non communiqué",
        )
        cleaned["niveau_entree"] = "0"
    certifiante = data.get("certifiante")
    if not isinstance(certifiante, bool):
        problems.add("/certifiante", "valeur attendue : 0 ou 1 (vrai ou faux)")
        certifiante = False
    certification = data.get("certification") or {}
    rncp = str(certification.get("code_rncp") or "").strip().upper()
    rs = str(certification.get("code_rs") or "").strip().upper()
    if rncp and not RNCP.match(rncp):
        problems.add(
            "/certification/code-RNCP",
            f"« {rncp} » n'est pas un code RNCP (RNCP suivi de chiffres)",
        )
    if rs and not RS.match(rs):
        problems.add(
            "/certification/code-RS", f"« {rs} » n'est pas un code RS (RS suivi de chiffres)"
        )
    if certifiante and not (rncp or rs):
        if data.get("lheo_source"):
            problems.note(
                "/certification",
                "certifiante sans code RNCP ni RS : enregistrée comme non certifiante",
            )
            certifiante = False
        else:
            problems.add("/certification", "une formation certifiante indique son code RNCP ou RS")
    cleaned.update(certifiante=certifiante, code_rncp=rncp, code_rs=rs)
    cleaned["familles"] = _codes(
        problems, data.get("familles"), familles, "/extras/famille", "famille de cas d'usage"
    )
    cleaned["organisme"] = check_organisme(
        problems, data.get("organisme"), "/organisme-formation-responsable"
    )
    actions_data = data.get("actions") or []
    if not actions_data:
        problems.add("/action", "au moins une action de formation est obligatoire")
    cleaned["actions"] = [
        check_action(problems, a, f"/action[{i}]", certifiante, departements)
        for i, a in enumerate(actions_data, 1)
    ]
    references = [a["reference"] for a in cleaned["actions"] if a["reference"]]
    if len(references) != len(set(references)):
        problems.add("/action", "deux actions portent le même identifiant")
    cleaned["remarques"] = problems.notes
    return cleaned, problems.items


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def check_tutoriel(data: dict, familles: set[str]) -> tuple[dict, list[tuple[str, str]]]:
    """A tutorial: text or video, minutes, audiences, families and a quiz of 1 to 10
    questions (each 2 to 6 choices and the index of the right one)."""
    problems = Problems("/tutoriel")
    bad = forbidden_path(data)
    if bad is not None:
        problems.add(f"/{bad.replace('.', '/')}", MESSAGE)
        return {}, problems.items
    slug = str(data.get("slug") or "").strip()
    if not SLUG.match(slug) or len(slug) > 60:
        problems.add(
            "/slug", f"identifiant invalide « {slug[:70]} » (minuscules, chiffres, tirets)"
        )
    cleaned = {
        "slug": slug,
        "titre": _text(problems, data, "titre", "/titre")[:150],
        "resume": _text(problems, data, "resume", "/resume")[:250],
        "contenu": str(data.get("contenu") or "").strip(),
        "video_url": str(data.get("video_url") or "").strip(),
    }
    if not cleaned["contenu"] and not cleaned["video_url"]:
        problems.add("/contenu", "un tutoriel a un texte ou un lien vidéo")
    if cleaned["video_url"] and not cleaned["video_url"].startswith("https://"):
        problems.add("/video_url", "le lien vidéo doit commencer par https://")
    cleaned["minutes"] = _int(problems, data.get("minutes"), "/minutes", 1, 120, required=True)
    niveau = data.get("niveau")
    if niveau not in NIVEAUX_TUTORIEL:
        problems.add("/niveau", f"niveau inconnu « {niveau} »")
    cleaned["niveau"] = niveau
    cleaned["publics"] = _codes(problems, data.get("publics"), PUBLICS, "/publics", "public")
    if not cleaned["publics"]:
        problems.add("/publics", "au moins un des quatre publics")
    cleaned["familles"] = _codes(
        problems, data.get("familles"), familles, "/familles", "famille de cas d'usage"
    )
    quiz = data.get("quiz") or []
    if not 1 <= len(quiz) <= 10:
        problems.add("/quiz", "le quiz compte de 1 à 10 questions")
    cleaned_quiz = []
    for i, question in enumerate(quiz, 1):
        choices = [str(c).strip() for c in question.get("choix") or [] if str(c).strip()]
        answer = question.get("reponse")
        if not str(question.get("question") or "").strip():
            problems.add(f"/quiz[{i}]/question", "question vide")
        if not 2 <= len(choices) <= 6:
            problems.add(f"/quiz[{i}]/choix", "de 2 à 6 choix")
        if not isinstance(answer, int) or not 0 <= answer < len(choices):
            problems.add(f"/quiz[{i}]/reponse", "l'indice de la bonne réponse est hors des choix")
        cleaned_quiz.append(
            {
                "question": str(question.get("question") or "").strip(),
                "choix": choices,
                "reponse": answer,
                "explication": str(question.get("explication") or "").strip(),
            }
        )
    cleaned["quiz"] = cleaned_quiz
    return cleaned, problems.items


def is_plural(value) -> bool:
    """French agreement: plural from 2 on (« 0 bonne réponse », « 1,5 heure », « 2 heures »)."""
    try:
        return abs(float(value)) >= 2
    except (TypeError, ValueError):
        return False


def accord(n: int, singulier: str, pluriel: str) -> str:
    """« 1 bonne réponse », « 3 bonnes réponses »: the number and its agreed words."""
    return f"{n} {pluriel if is_plural(n) else singulier}"
