"""The scheduler of one-to-one business meetings (pure Python, no Django).

`planifier(donnees, limite_s=30)` reads an instance in the exchange format of the contract
(IN.json), checks it (`InstanceInvalide` with a French message otherwise), and answers OUT.json:
the meetings with their slot and table, the objective (sum of the weights of the scheduled
pairs), a proven upper bound and the status (`optimal` only when the bound equals the objective).

Method (docs/evenements.md):
1. the relaxed model R — pair variables y_p, each participant at most
   min(max_rendez_vous, free available slots) meetings, at most Σ_s min(free tables of s,
   ⌊available participants of s / 2⌋) meetings in all, a pair only if its two sides share a free
   slot — is a relaxation of the problem; its LP dual, made feasible by hand, is a valid upper
   bound whatever the solver's tolerances; its integer optimum (MILP) is one too;
2. the pairs of R's integer solution are given slots (list edge colouring with per-slot
   capacity, one-step repairs), then other pairs are added while they fit;
3. when the bound is not reached and the instance is small enough, the exact MILP over
   (pair, slot) variables (HiGHS through scipy) is solved within the remaining time;
4. tie-breaks that never lower the objective: the fairness floor (equal-weight swaps that give
   a meeting to someone who has none), fewer idle gaps (moves of a meeting to another free slot).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, csr_matrix, vstack

MAX_ID = 100
EXACT_MAX_VARIABLES = 60_000


class InstanceInvalide(ValueError):
    """An instance that breaks the contract; the message is French and says where."""


@dataclass
class Instance:
    creneaux: list[str]  # slot ids in the order of the file
    debuts: list[datetime]
    tables: int
    participants: list[str]
    disponibilites: list[frozenset[int]]  # slot indexes per participant
    max_rdv: list[int]
    poids: dict[tuple[int, int], float]  # pair (i < j) → weight > 0, refusals removed
    imposes: list[tuple[int, int, int, int | None]]  # (i, j, slot, table or None), i < j
    entiers: bool = True  # all weights are integers
    index_creneau: dict[str, int] = field(default_factory=dict)
    index_participant: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Reading and checking
# ---------------------------------------------------------------------------------------------


def _ident(valeur, ou: str) -> str:
    if not isinstance(valeur, str) or not valeur.strip():
        raise InstanceInvalide(f"{ou} : identifiant manquant ou qui n'est pas un texte.")
    if len(valeur) > MAX_ID or any(ord(c) < 32 or ord(c) == 127 for c in valeur):
        raise InstanceInvalide(
            f"{ou} : identifiant invalide (au plus {MAX_ID} caractères, sans caractère de contrôle)."
        )
    return valeur


def _date(valeur, ou: str) -> datetime:
    if not isinstance(valeur, str):
        raise InstanceInvalide(f"{ou} : date manquante (format ISO 8601 attendu).")
    try:
        return datetime.fromisoformat(valeur)
    except ValueError:
        raise InstanceInvalide(
            f"{ou} : date mal formée « {valeur[:40]} » (format ISO 8601 attendu, "
            "par exemple 2027-03-11T09:00:00+01:00)."
        ) from None


def _entier(valeur, ou: str, minimum: int = 0) -> int:
    if isinstance(valeur, bool) or not isinstance(valeur, int | float):
        raise InstanceInvalide(f"{ou} : nombre entier attendu.")
    if isinstance(valeur, float) and (not math.isfinite(valeur) or not valeur.is_integer()):
        raise InstanceInvalide(f"{ou} : nombre entier attendu.")
    valeur = int(valeur)
    if valeur < minimum:
        raise InstanceInvalide(f"{ou} : doit être supérieur ou égal à {minimum}.")
    return valeur


def _liste(donnees: dict, cle: str, requis: bool = True) -> list:
    valeur = donnees.get(cle)
    if valeur is None and not requis:
        return []
    if not isinstance(valeur, list):
        raise InstanceInvalide(f"« {cle} » : une liste est attendue.")
    return valeur


def lire_instance(donnees) -> Instance:
    """The instance of IN.json, checked; `InstanceInvalide` (French) on the first defect."""
    if not isinstance(donnees, dict):
        raise InstanceInvalide("L'instance doit être un objet JSON.")
    creneaux, debuts, index_creneau = [], [], {}
    for n, c in enumerate(_liste(donnees, "creneaux"), 1):
        if not isinstance(c, dict):
            raise InstanceInvalide(f"Créneau n° {n} : un objet est attendu.")
        ident = _ident(c.get("id"), f"Créneau n° {n}")
        if ident in index_creneau:
            raise InstanceInvalide(f"Créneau « {ident} » : identifiant en double.")
        debut = _date(c.get("debut"), f"Créneau « {ident} », début")
        fin = _date(c.get("fin"), f"Créneau « {ident} », fin")
        if (debut.tzinfo is None) != (fin.tzinfo is None):
            raise InstanceInvalide(
                f"Créneau « {ident} » : le début et la fin doivent tous deux porter un fuseau "
                "horaire, ou aucun des deux."
            )
        if fin <= debut:
            raise InstanceInvalide(f"Créneau « {ident} » : la fin doit suivre le début.")
        index_creneau[ident] = len(creneaux)
        creneaux.append(ident)
        debuts.append(debut)
    if "tables" not in donnees:
        raise InstanceInvalide("« tables » : nombre de tables manquant.")
    tables = _entier(donnees.get("tables"), "« tables »")

    participants, disponibilites, max_rdv, index_participant = [], [], [], {}
    for n, p in enumerate(_liste(donnees, "participants"), 1):
        if not isinstance(p, dict):
            raise InstanceInvalide(f"Participant n° {n} : un objet est attendu.")
        ident = _ident(p.get("id"), f"Participant n° {n}")
        if ident in index_participant:
            raise InstanceInvalide(f"Participant « {ident} » : identifiant en double.")
        dispo = p.get("disponibilites", [])
        if not isinstance(dispo, list):
            raise InstanceInvalide(
                f"Participant « {ident} » : « disponibilites » doit être une liste de créneaux."
            )
        indexes = set()
        for c in dispo:
            if not isinstance(c, str) or c not in index_creneau:
                raise InstanceInvalide(
                    f"Participant « {ident} » : créneau inconnu « {str(c)[:40]} » dans ses "
                    "disponibilités."
                )
            if index_creneau[c] in indexes:
                raise InstanceInvalide(
                    f"Participant « {ident} » : créneau « {c} » en double dans ses disponibilités."
                )
            indexes.add(index_creneau[c])
        maximum = p.get("max_rendez_vous", len(creneaux))
        maximum = _entier(maximum, f"Participant « {ident} », max_rendez_vous")
        index_participant[ident] = len(participants)
        participants.append(ident)
        disponibilites.append(frozenset(indexes))
        max_rdv.append(maximum)

    def participant(valeur, ou: str) -> int:
        ident = _ident(valeur, ou)
        if ident not in index_participant:
            raise InstanceInvalide(f"{ou} : participant inconnu « {ident} ».")
        return index_participant[ident]

    diriges: dict[tuple[int, int], float] = {}
    refus: set[tuple[int, int]] = set()
    vus: set[tuple[int, int]] = set()
    entiers = True
    for n, it in enumerate(_liste(donnees, "interets", requis=False), 1):
        if not isinstance(it, dict):
            raise InstanceInvalide(f"Intérêt n° {n} : un objet est attendu.")
        de = participant(it.get("de"), f"Intérêt n° {n}, « de »")
        vers = participant(it.get("vers"), f"Intérêt n° {n}, « vers »")
        if de == vers:
            raise InstanceInvalide(
                f"Intérêt n° {n} : « {participants[de]} » ne peut marquer d'intérêt pour lui-même."
            )
        if (de, vers) in vus:
            raise InstanceInvalide(
                f"Intérêt n° {n} : intérêt de « {participants[de]} » vers "
                f"« {participants[vers]} » en double."
            )
        vus.add((de, vers))
        est_refus = it.get("refus", False)
        if not isinstance(est_refus, bool):
            raise InstanceInvalide(f"Intérêt n° {n} : « refus » doit valoir true ou false.")
        poids = it.get("poids", 0)
        if isinstance(poids, bool) or not isinstance(poids, int | float):
            raise InstanceInvalide(f"Intérêt n° {n} : le poids doit être un nombre.")
        if not math.isfinite(poids) or poids < 0:
            raise InstanceInvalide(f"Intérêt n° {n} : le poids ne peut être négatif ni infini.")
        if est_refus:
            refus.add((min(de, vers), max(de, vers)))
        elif poids > 0:
            diriges[(de, vers)] = poids
            entiers = entiers and float(poids).is_integer()
    poids_paires: dict[tuple[int, int], float] = {}
    for (de, vers), p in diriges.items():
        cle = (min(de, vers), max(de, vers))
        if cle not in refus:
            poids_paires[cle] = poids_paires.get(cle, 0) + p

    inst = Instance(
        creneaux=creneaux,
        debuts=debuts,
        tables=tables,
        participants=participants,
        disponibilites=disponibilites,
        max_rdv=max_rdv,
        poids=poids_paires,
        imposes=[],
        entiers=entiers,
        index_creneau=index_creneau,
        index_participant=index_participant,
    )
    inst.imposes = _lire_imposes(inst, _liste(donnees, "imposes", requis=False), refus)
    return inst


def _lire_imposes(inst: Instance, imposes: list, refus: set) -> list:
    lus = []
    paires, occupe, tables_prises, compte = set(), set(), set(), [0] * len(inst.participants)
    par_creneau = [0] * len(inst.creneaux)
    for n, r in enumerate(imposes, 1):
        ou = f"Rendez-vous imposé n° {n}"
        if not isinstance(r, dict):
            raise InstanceInvalide(f"{ou} : un objet est attendu.")
        a = _ident(r.get("a"), f"{ou}, « a »")
        b = _ident(r.get("b"), f"{ou}, « b »")
        for x in (a, b):
            if x not in inst.index_participant:
                raise InstanceInvalide(f"{ou} : participant inconnu « {x} ».")
        c = _ident(r.get("creneau"), f"{ou}, « creneau »")
        if c not in inst.index_creneau:
            raise InstanceInvalide(f"{ou} : créneau inconnu « {c} ».")
        i, j, s = inst.index_participant[a], inst.index_participant[b], inst.index_creneau[c]
        if i == j:
            raise InstanceInvalide(f"{ou} : « {a} » ne peut avoir rendez-vous avec lui-même.")
        table = r.get("table")
        if table is not None:
            table = _entier(table, f"{ou}, « table »", minimum=1)
            if table > inst.tables:
                raise InstanceInvalide(
                    f"{ou} : table {table} hors de la salle (tables numérotées de 1 à {inst.tables})."
                )
            if (s, table) in tables_prises:
                raise InstanceInvalide(
                    f"{ou} : la table {table} est déjà prise au créneau « {c} »."
                )
            tables_prises.add((s, table))
        cle = (min(i, j), max(i, j))
        if cle in refus:
            raise InstanceInvalide(f"{ou} : « {a} » et « {b} » ont refusé de se rencontrer.")
        if cle not in inst.poids:
            raise InstanceInvalide(
                f"{ou} : la paire « {a} » – « {b} » n'a aucun intérêt (poids 0) : elle n'est "
                "jamais planifiée."
            )
        if cle in paires:
            raise InstanceInvalide(f"{ou} : « {a} » et « {b} » se rencontrent déjà une fois.")
        paires.add(cle)
        for x, nom in ((i, a), (j, b)):
            if s not in inst.disponibilites[x]:
                raise InstanceInvalide(f"{ou} : « {nom} » n'est pas disponible au créneau « {c} ».")
            if (x, s) in occupe:
                raise InstanceInvalide(
                    f"{ou} : « {nom} » a déjà un rendez-vous au créneau « {c} »."
                )
            occupe.add((x, s))
            compte[x] += 1
            if compte[x] > inst.max_rdv[x]:
                raise InstanceInvalide(
                    f"{ou} : « {nom} » dépasse son nombre maximal de rendez-vous "
                    f"({inst.max_rdv[x]})."
                )
        par_creneau[s] += 1
        if par_creneau[s] > inst.tables:
            raise InstanceInvalide(
                f"{ou} : le créneau « {c} » compte plus de rendez-vous que de tables ({inst.tables})."
            )
        lus.append((cle[0], cle[1], s, table))
    return lus


# ---------------------------------------------------------------------------------------------
# Checking a schedule (used by the solver on its own answer and by the tests)
# ---------------------------------------------------------------------------------------------


def verifier(donnees, rendez_vous: list[dict]) -> list[str]:
    """Every rule a schedule breaks, in French; an empty list for a valid schedule."""
    inst = donnees if isinstance(donnees, Instance) else lire_instance(donnees)
    fautes = []
    paires, occupe, tables, compte = set(), set(), set(), {}
    par_creneau: dict[int, int] = {}
    for r in rendez_vous:
        a, b, c, t = r.get("a"), r.get("b"), r.get("creneau"), r.get("table")
        if a not in inst.index_participant or b not in inst.index_participant or a == b:
            fautes.append(f"rendez-vous {a}–{b} : participants invalides")
            continue
        if c not in inst.index_creneau:
            fautes.append(f"rendez-vous {a}–{b} : créneau inconnu {c}")
            continue
        i, j, s = inst.index_participant[a], inst.index_participant[b], inst.index_creneau[c]
        cle = (min(i, j), max(i, j))
        if cle not in inst.poids:
            fautes.append(f"rendez-vous {a}–{b} : paire de poids nul ou refusée")
        if cle in paires:
            fautes.append(f"rendez-vous {a}–{b} : paire planifiée deux fois")
        paires.add(cle)
        if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= inst.tables:
            fautes.append(f"rendez-vous {a}–{b} : table {t} hors de 1..{inst.tables}")
        elif (s, t) in tables:
            fautes.append(f"créneau {c} : table {t} donnée deux fois")
        tables.add((s, t))
        par_creneau[s] = par_creneau.get(s, 0) + 1
        for x in (i, j):
            if s not in inst.disponibilites[x]:
                fautes.append(f"{inst.participants[x]} indisponible au créneau {c}")
            if (x, s) in occupe:
                fautes.append(f"{inst.participants[x]} a deux rendez-vous au créneau {c}")
            occupe.add((x, s))
            compte[x] = compte.get(x, 0) + 1
    for x, n in compte.items():
        if n > inst.max_rdv[x]:
            fautes.append(
                f"{inst.participants[x]} : {n} rendez-vous pour {inst.max_rdv[x]} au plus"
            )
    for s, n in par_creneau.items():
        if n > inst.tables:
            fautes.append(f"créneau {inst.creneaux[s]} : {n} rendez-vous pour {inst.tables} tables")
    donnes = {(r.get("a"), r.get("b"), r.get("creneau")) for r in rendez_vous}
    donnes |= {(r.get("b"), r.get("a"), r.get("creneau")) for r in rendez_vous}
    for i, j, s, t in inst.imposes:
        a, b, c = inst.participants[i], inst.participants[j], inst.creneaux[s]
        if (a, b, c) not in donnes:
            fautes.append(f"rendez-vous imposé {a}–{b} au créneau {c} absent")
        elif t is not None and not any(
            {r.get("a"), r.get("b")} == {a, b} and r.get("table") == t for r in rendez_vous
        ):
            fautes.append(f"rendez-vous imposé {a}–{b} : table {t} non conservée")
    return fautes


def objectif(inst: Instance, rendez_vous: list[dict]) -> float:
    total = 0.0
    for r in rendez_vous:
        i, j = inst.index_participant[r["a"]], inst.index_participant[r["b"]]
        total += inst.poids[(min(i, j), max(i, j))]
    return total


# ---------------------------------------------------------------------------------------------
# The state of a schedule being built
# ---------------------------------------------------------------------------------------------


class Planning:
    """Meetings (pair → slot), who is busy when, the load of each slot."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.creneau_de: dict[tuple[int, int], int] = {}
        self.occupe: list[dict[int, tuple[int, int]]] = [{} for _ in inst.participants]
        self.charge = [0] * len(inst.creneaux)
        self.fixes: set[tuple[int, int]] = set()
        self.capacite = [inst.tables] * len(inst.creneaux)
        self.reunions: list[set[tuple[int, int]]] = [set() for _ in inst.creneaux]
        self.journal: list | None = None

    def annuler(self, marque: int) -> None:
        """Undo the changes written in the journal after `marque`."""
        journal, self.journal = self.journal, None
        while len(journal) > marque:
            sens, p, s = journal.pop()
            if sens == "+":
                self.retirer(p)
            else:
                self.poser(p, s)
        self.journal = journal

    def copie(self) -> Planning:
        autre = Planning.__new__(Planning)
        autre.inst = self.inst
        autre.creneau_de = dict(self.creneau_de)
        autre.occupe = [dict(o) for o in self.occupe]
        autre.charge = list(self.charge)
        autre.fixes = set(self.fixes)
        autre.capacite = self.capacite
        autre.reunions = [set(r) for r in self.reunions]
        autre.journal = None
        return autre

    def poids(self) -> float:
        return sum(self.inst.poids[p] for p in self.creneau_de)

    def degre(self, i: int) -> int:
        return len(self.occupe[i])

    def libre(self, i: int, s: int) -> bool:
        return s in self.inst.disponibilites[i] and s not in self.occupe[i]

    def poser(self, p: tuple[int, int], s: int) -> None:
        i, j = p
        if s in self.occupe[i] or s in self.occupe[j] or p in self.creneau_de:
            raise AssertionError("créneau déjà occupé")
        self.creneau_de[p] = s
        self.occupe[i][s] = p
        self.occupe[j][s] = p
        self.charge[s] += 1
        self.reunions[s].add(p)
        if self.journal is not None:
            self.journal.append(("+", p, s))

    def retirer(self, p: tuple[int, int]) -> int:
        s = self.creneau_de.pop(p)
        del self.occupe[p[0]][s]
        del self.occupe[p[1]][s]
        self.charge[s] -= 1
        self.reunions[s].discard(p)
        if self.journal is not None:
            self.journal.append(("-", p, s))
        return s

    def creneaux_possibles(self, p: tuple[int, int]):
        i, j = p
        d = self.inst.disponibilites
        return [
            s
            for s in d[i] & d[j]
            if s not in self.occupe[i]
            and s not in self.occupe[j]
            and self.charge[s] < self.capacite[s]
        ]

    def peut_ajouter(self, p: tuple[int, int]) -> bool:
        i, j = p
        m = self.inst.max_rdv
        return p not in self.creneau_de and self.degre(i) < m[i] and self.degre(j) < m[j]

    def _deplacer(self, q: tuple[int, int], interdit: int, bloque: set) -> bool:
        """Move meeting q to another slot (not `interdit`); False if it is fixed or cannot."""
        if q in self.fixes or q in bloque:
            return False
        possibles = [s for s in self.creneaux_possibles(q) if s != interdit]
        if not possibles:
            return False
        self.retirer(q)
        self.poser(q, min(possibles, key=lambda s: self.charge[s]))
        return True

    def placer(self, p: tuple[int, int], reparer: bool = True) -> bool:
        """Give pair p a slot, moving at most one meeting of each side (or of a full slot)."""
        possibles = self.creneaux_possibles(p)
        if possibles:
            self.poser(p, min(possibles, key=lambda s: (self.charge[s], s)))
            return True
        if not reparer or sum(self.charge) >= sum(self.capacite):
            return False
        i, j = p
        d = self.inst.disponibilites
        for s in sorted(d[i] & d[j], key=lambda s: self.charge[s]):
            genants = {q for q in (self.occupe[i].get(s), self.occupe[j].get(s)) if q}
            if any(q in self.fixes for q in genants):
                continue
            sauvegarde = [(q, self.creneau_de[q]) for q in genants]
            ok = all(self._deplacer(q, s, set()) for q in genants)
            if ok and self.charge[s] >= self.capacite[s]:
                # the slot is full: move any one of its meetings elsewhere
                ok = any(self._deplacer(q, s, {p}) for q in list(self.reunions[s])[:20])
            if ok and s not in self.occupe[i] and s not in self.occupe[j]:
                self.poser(p, s)
                return True
            for q, c in sauvegarde:  # undo
                if q in self.creneau_de:
                    self.retirer(q)
                self.poser(q, c)
        return False


# ---------------------------------------------------------------------------------------------
# Bounds
# ---------------------------------------------------------------------------------------------


@dataclass
class Relache:
    """The relaxed model R on the pairs left once the imposed meetings are placed."""

    paires: list[tuple[int, int]]
    poids: np.ndarray
    cap: np.ndarray  # per participant
    total: int  # meetings in all
    poids_imposes: float


def relache(inst: Instance, base: Planning) -> Relache:
    n = len(inst.participants)
    libres = [
        frozenset(
            s
            for s in inst.disponibilites[i]
            if s not in base.occupe[i] and base.charge[s] < base.capacite[s]
        )
        for i in range(n)
    ]
    cap = np.array(
        [max(0, min(inst.max_rdv[i] - base.degre(i), len(libres[i]))) for i in range(n)],
        dtype=float,
    )
    paires = [
        p
        for p in sorted(inst.poids)
        if p not in base.creneau_de
        and cap[p[0]] > 0
        and cap[p[1]] > 0
        and libres[p[0]] & libres[p[1]]
    ]
    presents = [0] * len(inst.creneaux)
    concernes = {x for p in paires for x in p}
    for i in concernes:
        for s in libres[i]:
            presents[s] += 1
    total = sum(
        min(base.capacite[s] - base.charge[s], presents[s] // 2) for s in range(len(inst.creneaux))
    )
    return Relache(
        paires=paires,
        poids=np.array([inst.poids[p] for p in paires], dtype=float),
        cap=cap,
        total=int(total),
        poids_imposes=base.poids(),
    )


def _matrice_degres(r: Relache, n: int) -> csr_matrix:
    m = len(r.paires)
    lignes = np.array([x for p in r.paires for x in p], dtype=np.int64)
    colonnes = np.repeat(np.arange(m, dtype=np.int64), 2)
    return coo_matrix((np.ones(2 * m), (lignes, colonnes)), shape=(n, m)).tocsr()


def _arrondir_borne(inst: Instance, borne: float) -> float:
    """A float bound made safe: a little slack, and the floor when every weight is an integer."""
    borne = borne + 1e-9 * max(1.0, abs(borne))
    if inst.entiers:
        return float(math.floor(borne + 1e-6))
    return borne


def borne_lp(inst: Instance, r: Relache) -> float:
    """Upper bound: the LP of R, certified by a dual solution checked by hand (weak duality)."""
    if not r.paires:
        return r.poids_imposes
    n = len(inst.participants)
    a = _matrice_degres(r, n)
    m = len(r.paires)
    a_ub = vstack([a, csr_matrix(np.ones((1, m)))]).tocsr()
    b_ub = np.concatenate([r.cap, [r.total]])
    res = linprog(-r.poids, A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs")
    simple = _borne_simple(r)
    if res.status != 0:
        return _arrondir_borne(inst, r.poids_imposes + simple)
    duals = np.maximum(0.0, -np.asarray(res.ineqlin.marginals))
    u, v = duals[:n], duals[n]
    i = np.array([p[0] for p in r.paires])
    j = np.array([p[1] for p in r.paires])
    z = np.maximum(0.0, r.poids - u[i] - u[j] - v)
    certifiee = float(r.cap @ u + r.total * v + z.sum())
    return _arrondir_borne(inst, r.poids_imposes + min(certifiee, simple))


def _borne_simple(r: Relache) -> float:
    """Without a solver: the heaviest `total` pairs, and half the best weights around each one."""
    tri = np.sort(r.poids)[::-1]
    par_total = float(tri[: r.total].sum())
    autour: dict[int, list[float]] = {}
    for (i, j), w in zip(r.paires, r.poids, strict=True):
        autour.setdefault(i, []).append(w)
        autour.setdefault(j, []).append(w)
    par_degres = sum(sum(sorted(ws, reverse=True)[: int(r.cap[x])]) for x, ws in autour.items()) / 2
    return min(par_total, par_degres)


def paires_relachees(inst: Instance, r: Relache, temps: float) -> tuple[list, float | None]:
    """R's integer optimum (pairs) within `temps` seconds, and its proven bound (or None)."""
    if not r.paires:
        return [], r.poids_imposes
    n = len(inst.participants)
    a = _matrice_degres(r, n)
    m = len(r.paires)
    contraintes = [
        LinearConstraint(a, -np.inf, r.cap),
        LinearConstraint(np.ones((1, m)), -np.inf, r.total),
    ]
    res = milp(
        -r.poids,
        constraints=contraintes,
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
        options={"time_limit": max(0.5, temps), "mip_rel_gap": 0, "presolve": True},
    )
    borne = None
    if getattr(res, "mip_dual_bound", None) is not None and math.isfinite(res.mip_dual_bound):
        borne = _arrondir_borne(inst, r.poids_imposes - res.mip_dual_bound)
    if res.x is None:
        return [], borne
    choisies = [p for p, x in zip(r.paires, res.x, strict=True) if x > 0.5]
    return choisies, borne


# ---------------------------------------------------------------------------------------------
# Building schedules
# ---------------------------------------------------------------------------------------------


def planning_impose(inst: Instance) -> Planning:
    base = Planning(inst)
    for i, j, s, _t in inst.imposes:
        base.poser((i, j), s)
        base.fixes.add((i, j))
    return base


def glouton(inst: Instance) -> Planning:
    """The baseline: heaviest pairs first, each in the first slot where it fits, no repair."""
    plan = planning_impose(inst)
    for p in sorted(inst.poids, key=lambda p: (-inst.poids[p], p)):
        if plan.peut_ajouter(p):
            possibles = plan.creneaux_possibles(p)
            if possibles:
                plan.poser(p, min(possibles))
    return plan


def _completer(plan: Planning, paires, fin: float) -> None:
    inst = plan.inst
    for p in sorted(paires, key=lambda p: (-inst.poids[p], p)):
        if time.monotonic() > fin:
            return
        if plan.peut_ajouter(p):
            plan.placer(p)


def colorier(inst: Instance, base: Planning, choisies: list, fin: float) -> Planning:
    """The chosen pairs given slots, hardest first, then the other pairs while they fit."""
    plan = base.copie()
    d = inst.disponibilites

    def difficulte(p):
        return (len(d[p[0]] & d[p[1]]), -inst.poids[p], p)

    for p in sorted(choisies, key=difficulte):
        if plan.peut_ajouter(p):
            plan.placer(p)
    _completer(plan, inst.poids, fin)
    return plan


def _ameliorer(plan: Planning, fin: float, tours: int = 4) -> None:
    """Ejections: an unscheduled pair takes a slot from at most two meetings of its sides, which
    look for another slot; kept only when the objective rises."""
    inst = plan.inst
    d = inst.disponibilites
    candidates = sorted(inst.poids, key=lambda p: (-inst.poids[p], p))
    for _ in range(tours):
        gain_total = 0.0
        for p in candidates:
            if time.monotonic() > fin:
                return
            if not plan.peut_ajouter(p):
                continue
            if plan.placer(p):
                gain_total += inst.poids[p]
                continue
            i, j = p
            w = inst.poids[p]
            for s in d[i] & d[j]:
                genants = {q for q in (plan.occupe[i].get(s), plan.occupe[j].get(s)) if q}
                if not genants or any(q in plan.fixes for q in genants):
                    continue
                perte = sum(inst.poids[q] for q in genants)
                if perte > w * 2:  # re-placing both is unlikely to pay
                    continue
                if plan.charge[s] - len(genants) >= plan.capacite[s]:
                    continue
                plan.journal = []
                for q in genants:
                    plan.retirer(q)
                plan.poser(p, s)
                plan.fixes.add(p)
                replaces = [q for q in genants if plan.peut_ajouter(q) and plan.placer(q)]
                plan.fixes.discard(p)
                perdu = sum(inst.poids[q] for q in genants if q not in replaces)
                if w - perdu > 1e-12:
                    gain_total += w - perdu
                    plan.journal = None
                    break
                plan.annuler(0)
                plan.journal = None
        if gain_total <= 0:
            return


def _echanges_equite(plan: Planning, fin: float) -> None:
    """Fairness floor, at equal weight: a meeting of someone who has ≥ 2 handed to someone who has
    none, in the same slot, when the pair is as heavy."""
    inst = plan.inst
    voisins: dict[int, list[tuple[int, int]]] = {}
    for p in inst.poids:
        voisins.setdefault(p[0], []).append(p)
        voisins.setdefault(p[1], []).append(p)
    for i in range(len(inst.participants)):
        if time.monotonic() > fin:
            return
        if plan.degre(i) or inst.max_rdv[i] == 0 or i not in voisins:
            continue
        for p in sorted(voisins[i], key=lambda p: -inst.poids[p]):
            j = p[1] if p[0] == i else p[0]
            if plan.peut_ajouter(p) and plan.placer(p):
                break
            fait = False
            for s, q in list(plan.occupe[j].items()):
                if q in plan.fixes or s not in inst.disponibilites[i]:
                    continue
                k = q[1] if q[0] == j else q[0]
                if inst.poids[q] <= inst.poids[p] and plan.degre(k) >= 2:
                    plan.retirer(q)
                    if plan.peut_ajouter(p) and plan.libre(i, s) and plan.libre(j, s):
                        plan.poser(p, s)
                        fait = True
                        break
                    plan.poser(q, s)
            if fait:
                break


def _trous(plan: Planning, i: int) -> int:
    creneaux = sorted(plan.occupe[i])
    if len(creneaux) < 2:
        return 0
    return creneaux[-1] - creneaux[0] + 1 - len(creneaux)


def _moins_de_trous(plan: Planning, ordre: list[int], fin: float) -> None:
    """Move single meetings to other free slots when the two sides' idle gaps shrink."""
    for _ in range(3):
        ameliore = False
        for p in list(plan.creneau_de):
            if time.monotonic() > fin:
                return
            if p in plan.fixes:
                continue
            i, j = p
            avant = _trous(plan, i) + _trous(plan, j)
            if avant == 0:
                continue
            s0 = plan.retirer(p)
            meilleur, valeur = s0, avant
            for s in plan.creneaux_possibles(p):
                plan.poser(p, s)
                v = _trous(plan, i) + _trous(plan, j)
                plan.retirer(p)
                if v < valeur:
                    meilleur, valeur = s, v
            plan.poser(p, meilleur)
            ameliore = ameliore or meilleur != s0
        if not ameliore:
            return


def _ordre_chronologique(inst: Instance) -> list[int]:
    try:
        return sorted(range(len(inst.creneaux)), key=lambda s: (inst.debuts[s], s))
    except TypeError:  # naive and aware dates mixed across slots
        return list(range(len(inst.creneaux)))


def exact(inst: Instance, base: Planning, temps: float, paires=None):
    """The MILP over (pair, slot) variables; (planning or None, proven bound or None, optimal).
    With `paires`, only those pairs are given slots (the bound is then that of the subset)."""
    d = inst.disponibilites
    variables = []
    for p in sorted(inst.poids if paires is None else paires):
        if p in base.creneau_de:
            continue
        for s in sorted(d[p[0]] & d[p[1]]):
            if base.libre(p[0], s) and base.libre(p[1], s) and base.charge[s] < base.capacite[s]:
                variables.append((p, s))
    if not variables:
        return base.copie(), base.poids(), True
    m = len(variables)
    n = len(inst.participants)
    nc = len(inst.creneaux)
    index_paire: dict[tuple[int, int], int] = {}
    lignes, colonnes = [], []
    ligne = 0
    # one meeting per pair
    for k, (p, _s) in enumerate(variables):
        if p not in index_paire:
            index_paire[p] = len(index_paire)
        lignes.append(index_paire[p])
        colonnes.append(k)
    ligne = len(index_paire)
    bornes = [1.0] * ligne
    # one meeting per participant and slot
    cle_ps: dict[tuple[int, int], int] = {}
    for k, (p, s) in enumerate(variables):
        for x in p:
            if (x, s) not in cle_ps:
                cle_ps[(x, s)] = ligne + len(cle_ps)
            lignes.append(cle_ps[(x, s)])
            colonnes.append(k)
    ligne += len(cle_ps)
    bornes += [1.0] * len(cle_ps)
    # at most max_rendez_vous
    for k, (p, _s) in enumerate(variables):
        for x in p:
            lignes.append(ligne + x)
            colonnes.append(k)
    bornes += [float(inst.max_rdv[x] - base.degre(x)) for x in range(n)]
    ligne += n
    # tables per slot
    for k, (_p, s) in enumerate(variables):
        lignes.append(ligne + s)
        colonnes.append(k)
    bornes += [float(base.capacite[s] - base.charge[s]) for s in range(nc)]
    ligne += nc
    a = coo_matrix((np.ones(len(lignes)), (lignes, colonnes)), shape=(ligne, m)).tocsr()
    c = -np.array([inst.poids[p] for p, _s in variables])
    res = milp(
        c,
        constraints=[LinearConstraint(a, -np.inf, np.array(bornes))],
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
        options={"time_limit": max(0.5, temps), "mip_rel_gap": 0, "presolve": True},
    )
    borne = None
    if getattr(res, "mip_dual_bound", None) is not None and math.isfinite(res.mip_dual_bound):
        borne = _arrondir_borne(inst, base.poids() - res.mip_dual_bound)
    if res.x is None:
        return None, borne, False
    plan = base.copie()
    for (p, s), x in zip(variables, res.x, strict=True):
        libre = plan.libre(p[0], s) and plan.libre(p[1], s) and plan.charge[s] < plan.capacite[s]
        if x > 0.5 and plan.peut_ajouter(p) and libre:
            plan.poser(p, s)
    return plan, borne, res.status == 0


# ---------------------------------------------------------------------------------------------
# The answer
# ---------------------------------------------------------------------------------------------


def _tables(inst: Instance, plan: Planning) -> list[dict]:
    """Table numbers: the imposed ones kept, the others the smallest free numbers of the slot."""
    imposees = {(min(i, j), max(i, j)): t for i, j, _s, t in inst.imposes if t is not None}
    prises: dict[int, set[int]] = {}
    for p, t in imposees.items():
        prises.setdefault(plan.creneau_de[p], set()).add(t)
    suivante: dict[int, int] = {}
    sortie = []
    for p, s in sorted(plan.creneau_de.items(), key=lambda e: (e[1], e[0])):
        t = imposees.get(p)
        if t is None:
            t = suivante.get(s, 1)
            while t in prises.get(s, ()):
                t += 1
            suivante[s] = t + 1
        sortie.append(
            {
                "a": inst.participants[p[0]],
                "b": inst.participants[p[1]],
                "creneau": inst.creneaux[s],
                "table": t,
            }
        )
    ordre = {s: k for k, s in enumerate(inst.creneaux)}
    sortie.sort(key=lambda r: (ordre[r["creneau"]], r["table"]))
    return sortie


def _nombre(x: float):
    return float(round(x, 9))


def planifier(donnees, limite_s: float = 30.0, avec_glouton: bool = False) -> dict:
    """OUT.json for an IN.json instance (see the module's docstring)."""
    debut = time.monotonic()
    inst = donnees if isinstance(donnees, Instance) else lire_instance(donnees)
    limite_s = max(1.0, float(limite_s))
    fin = debut + limite_s * 0.92
    base = planning_impose(inst)
    r = relache(inst, base)
    borne = borne_lp(inst, r)

    choisies, borne_entiere = paires_relachees(
        inst, r, temps=min(limite_s * 0.3, fin - time.monotonic())
    )
    if borne_entiere is not None:
        borne = min(borne, borne_entiere)
    plan = colorier(inst, base, choisies, fin)
    places = sum(1 for p in choisies if p in plan.creneau_de)
    taille = sum(len(inst.disponibilites[p[0]] & inst.disponibilites[p[1]]) for p in choisies)
    if places < len(choisies) and taille <= EXACT_MAX_VARIABLES and fin - time.monotonic() > 1:
        # the chosen pairs did not all find a slot: the exact assignment of those pairs
        assigne, _b, _ok = exact(inst, base, min(limite_s * 0.25, fin - time.monotonic()), choisies)
        if assigne is not None:
            _completer(assigne, inst.poids, fin)
            if assigne.poids() > plan.poids():
                plan = assigne
    _ameliorer(plan, min(fin, debut + limite_s * 0.7), tours=2)
    meilleur = plan
    reference = glouton(inst)
    if reference.poids() > meilleur.poids():
        meilleur = reference
    optimal = _atteint(inst, meilleur.poids(), borne)

    if not optimal:
        nb_vars = sum(len(inst.disponibilites[p[0]] & inst.disponibilites[p[1]]) for p in r.paires)
        reste = fin - time.monotonic()
        if nb_vars <= EXACT_MAX_VARIABLES and reste > 0.5:
            plan_exact, borne_exacte, prouve = exact(inst, base, reste)
            if plan_exact is not None and plan_exact.poids() > meilleur.poids():
                meilleur = plan_exact
            if borne_exacte is not None:
                borne = min(borne, borne_exacte)
            if prouve and plan_exact is not None and not _atteint(inst, meilleur.poids(), borne):
                borne = min(borne, _arrondir_borne(inst, meilleur.poids()))
            optimal = _atteint(inst, meilleur.poids(), borne)

    ordre = _ordre_chronologique(inst)
    _echanges_equite(meilleur, debut + limite_s * 0.97)
    _moins_de_trous(meilleur, ordre, debut + limite_s * 0.97)
    rendez_vous = _tables(inst, meilleur)
    fautes = verifier(inst, rendez_vous)
    if fautes:  # never expected: fall back to the imposed meetings alone, which are valid
        rendez_vous = _tables(inst, base)
    valeur = objectif(inst, rendez_vous)
    borne = max(borne, valeur)
    optimal = _atteint(inst, valeur, borne)
    if optimal:
        borne = valeur
    sortie = {
        "rendez_vous": rendez_vous,
        "objectif": _nombre(valeur),
        "borne_superieure": _nombre(borne),
        "statut": "optimal" if optimal else "realisable",
        "duree_s": round(time.monotonic() - debut, 3),
    }
    if avec_glouton:
        sortie["glouton"] = _nombre(reference.poids())
    return sortie


def _atteint(inst: Instance, valeur: float, borne: float) -> bool:
    if inst.entiers:
        return round(valeur) >= math.floor(borne + 1e-6)
    return valeur >= borne - 1e-7 * max(1.0, abs(borne))
