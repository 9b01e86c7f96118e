"""Similar proposals (`consultation/similaires.py`): 10,000 synthetic French proposals drawn
from templates (an action, a public, a subject, a context, a purpose, each with two or three
wordings: 145,152 combinations), the index built, then 600 paraphrases of proposals of the
index typed as queries — another wording of every part, and in turn: nothing more, the
purpose first, the verb as a noun (« former » → « la formation de »), the public in the
singular, a typo. The same on the first 1,000 proposals. Measured: the one-time load of the
process (the French word list, the synonyms), build time (the first build, its stems not
cached yet, then a second one), query p50 / p99, recall@10 (the paraphrased proposal among
the 10 suggestions) by kind, and the suggestions given to 50 proposals on unrelated subjects
(target: none). Pure Python and numpy, no database."""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _support import emit, percentile  # noqa: E402

from osezia.consultation.similaires import Index, vocabulary  # noqa: E402
from osezia.langue.texte import french_words  # noqa: E402

PROPOSALS = int(os.environ.get("BENCH_PROPOSITIONS", "10000"))
PARAPHRASES = int(os.environ.get("BENCH_PARAPHRASES", "600"))
SMALL = 1000  # a large consultation of ordinary size: the first 1,000 of the same proposals
SEED = 2026

# (verb form, noun form): « Il faut former … » / « La formation de … est indispensable »
ACTIONS = [
    (["former", "mieux former"], ["la formation de", "l'apprentissage de"]),
    (["sensibiliser", "acculturer"], ["la sensibilisation de", "l'acculturation de"]),
    (["accompagner", "aider", "soutenir"], ["l'accompagnement de", "le soutien à"]),
    (["initier"], ["l'initiation de"]),
    (["préparer"], ["la préparation de"]),
    (["certifier les compétences de"], ["la certification des compétences de"]),
]
PUBLICS = [  # (plural wordings, singular wording)
    (["les salariés des PME", "les employés des petites entreprises"], "chaque salarié de PME"),
    (["les enseignants", "les professeurs"], "chaque enseignant"),
    (["les élèves du collège", "les collégiens"], "chaque collégien"),
    (["les agents publics", "les fonctionnaires"], "chaque agent public"),
    (["les seniors", "les personnes âgées"], "chaque senior"),
    (["les agriculteurs", "les exploitants agricoles"], "chaque agriculteur"),
    (["les demandeurs d'emploi", "les chômeurs"], "chaque demandeur d'emploi"),
    (["les médecins", "les soignants"], "chaque médecin"),
    (["les artisans", "les travailleurs indépendants"], "chaque artisan"),
    (["les étudiants", "les élèves de l'université"], "chaque étudiant"),
    (["les élus locaux", "les maires"], "chaque élu local"),
    (["les journalistes", "les médias"], "chaque journaliste"),
]
SUBJECTS = [
    ["à l'intelligence artificielle", "à l'IA"],
    ["aux risques de la désinformation", "aux dangers des fausses informations"],
    ["à la cybersécurité", "à la sécurité informatique"],
    ["à la protection des données personnelles", "au respect de la vie privée"],
    ["aux usages de ChatGPT", "à l'IA générative"],
    ["aux métiers du numérique", "aux emplois du digital"],
    ["aux biais des algorithmes", "aux discriminations algorithmiques"],
    ["aux logiciels libres", "à l'open source"],
    ["à la sobriété numérique", "à la frugalité des outils numériques"],
    ["aux enjeux éthiques de l'IA", "à la morale de l'intelligence artificielle"],
    ["à la détection des deepfakes", "au repérage des hypertrucages"],
    ["au droit d'auteur face à l'IA", "à la propriété intellectuelle et l'IA"],
]
CONTEXTS = [
    ["dans les territoires ruraux", "dans les zones rurales"],
    ["partout en France", "sur tout le territoire national"],
    ["grâce à des financements publics", "avec des subventions de l'État"],
    ["gratuitement", "sans frais"],
    ["avec les collectivités", "en lien avec les communes"],
    ["pendant le temps de travail", "sur leurs heures de travail"],
    ["avec l'Éducation nationale", "avec les écoles"],
    ["avec les syndicats", "avec les partenaires sociaux"],
    ["en s'appuyant sur la recherche publique", "avec les laboratoires publics"],
    ["à l'échelle européenne", "avec l'Union européenne"],
    ["avant 2030", "d'ici 2030"],
    ["chaque année", "tous les ans"],
    ["en commençant par les plus fragiles", "en priorité pour les plus vulnérables"],
    ["dans les quartiers populaires", "dans les quartiers prioritaires"],
]
PURPOSES = [
    ["pour préserver l'emploi", "afin de protéger les emplois"],
    ["pour renforcer la confiance", "afin de gagner la confiance du public"],
    ["pour réduire les inégalités", "afin de limiter les inégalités"],
    ["pour gagner en compétitivité", "afin d'être plus compétitifs"],
    ["pour lutter contre la fracture numérique", "afin de réduire l'illectronisme"],
    ["pour anticiper la transformation des métiers", "afin de préparer l'évolution des emplois"],
    ["pour garantir notre souveraineté", "afin d'assurer notre indépendance"],
    ["pour éviter les dérives", "afin de prévenir les abus"],
    ["pour favoriser l'innovation", "afin d'encourager l'innovation"],
    ["pour rassurer la population", "afin de rassurer les citoyens"],
    ["pour améliorer les services publics", "afin de moderniser l'administration"],
    ["pour protéger les plus jeunes", "afin de préserver les enfants"],
]
UNRELATED = [
    "Il faut rénover les piscines municipales",
    "Il faudrait plus de pistes cyclables en centre-ville",
    "Il faut baisser le prix des billets de train",
    "Il faut construire davantage de logements sociaux",
    "Il faut ouvrir les bibliothèques le dimanche",
    "Il faut replanter des haies le long des champs",
    "Il faut limiter la vitesse à trente kilomètres par heure en ville",
    "Il faut interdire les terrasses chauffées",
    "Il faut soutenir les clubs de football amateurs",
    "Il faut multiplier les fontaines d'eau potable dans les parcs",
]
UNRELATED_ENDINGS = ["", " le week-end", " dès cet été", " près des gares", " en montagne"]


def typo(text: str, rng: random.Random) -> str:
    candidates = [w for w in text.split() if len(w) >= 8 and w.isalpha()]
    if not candidates:
        return text
    word = rng.choice(candidates)
    i = rng.randrange(1, len(word) - 1)
    broken = word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]
    return text.replace(word, broken, 1)


def sentence(parts: dict, rng: random.Random, other: dict | None = None, kind: str = "") -> str:
    """One wording of a proposal; with other (the original's wording), every part differs
    where it can."""

    def pick(options, chosen=None):
        rest = [o for o in options if o != chosen] or options
        return rng.choice(rest)

    verbs, nouns = ACTIONS[parts["action"]]
    plural, singular = PUBLICS[parts["public"]]
    used = other or {}
    verb = pick(verbs, used.get("verb"))
    public = pick(plural, used.get("public"))
    subject = pick(SUBJECTS[parts["subject"]], used.get("subject"))
    context = pick(CONTEXTS[parts["context"]], used.get("context"))
    purpose = pick(PURPOSES[parts["purpose"]], used.get("purpose"))
    wording = {"verb": verb, "public": public, "subject": subject, "context": context}
    wording["purpose"] = purpose
    if kind == "singulier":
        public = singular
    if kind == "nom":
        noun = rng.choice(nouns)
        article = "des " + public.removeprefix("les ") if public.startswith("les ") else public
        text = f"{noun.capitalize()} {article} {subject} {context} est indispensable {purpose}"
    elif kind == "ordre":
        text = f"{purpose.capitalize()}, il faudrait {verb} {public} {subject} {context}"
    else:
        text = f"Il faut {verb} {public} {subject} {context} {purpose}"
    text = (
        text.replace(" de des ", " des ").replace(" à des ", " aux ").replace(" de les ", " des ")
    )
    if kind == "faute":
        text = typo(text, rng)
    return text, wording


def main() -> None:
    rng = random.Random(SEED)
    combos = [
        {"action": a, "public": p, "subject": s, "context": c, "purpose": g}
        for a in range(len(ACTIONS))
        for p in range(len(PUBLICS))
        for s in range(len(SUBJECTS))
        for c in range(len(CONTEXTS))
        for g in range(len(PURPOSES))
    ]
    rng.shuffle(combos)
    combos = combos[:PROPOSALS]
    items, wordings = [], []
    for ident, parts in enumerate(combos, 1):
        text, wording = sentence(parts, rng)
        items.append((ident, text))
        wordings.append(wording)

    start = time.perf_counter()
    french_words(), vocabulary()  # once per process: the word list and the synonyms
    once = time.perf_counter() - start
    start = time.perf_counter()
    index = Index(items)
    first_build = time.perf_counter() - start
    start = time.perf_counter()
    index = Index(items)
    build = time.perf_counter() - start

    kinds = ["synonymes", "ordre", "nom", "singulier", "faute"]
    timings: list[float] = []
    examples: dict[str, list[str]] = {}

    def recall(index: Index, size: int) -> tuple[dict, float, float]:
        found = dict.fromkeys(kinds, 0)
        asked = dict.fromkeys(kinds, 0)
        first = 0
        for n, position in enumerate(rng.sample(range(size), PARAPHRASES)):
            kind = kinds[n % len(kinds)]
            query, _ = sentence(combos[position], rng, wordings[position], kind)
            examples.setdefault(kind, [items[position][1], query])
            start = time.perf_counter()
            result = index.similar(query)
            timings.append((time.perf_counter() - start) * 1000)
            ids = [i for i, _ in result]
            asked[kind] += 1
            found[kind] += items[position][0] in ids
            first += bool(ids) and ids[0] == items[position][0]
        by_kind = {k: round(found[k] / asked[k], 3) for k in kinds}
        return by_kind, sum(found.values()) / PARAPHRASES, first / PARAPHRASES

    small = Index(items[:SMALL])
    small_by_kind, small_recall, small_first = recall(small, SMALL)
    timings.clear()
    by_kind, full_recall, full_first = recall(index, len(items))
    unrelated_suggestions = 0
    unrelated = [u + e for u in UNRELATED for e in UNRELATED_ENDINGS]
    for text in unrelated:
        start = time.perf_counter()
        unrelated_suggestions += len(index.similar(text))
        timings.append((time.perf_counter() - start) * 1000)

    emit(
        bench="similaires",
        propositions=len(items),
        chargement_unique_s=round(once, 3),
        construction_premiere_s=round(first_build, 3),
        construction_s=round(build, 3),
        requete_p50_ms=round(percentile(timings, 50), 2),
        requete_p99_ms=round(percentile(timings, 99), 2),
        requete_max_ms=round(max(timings), 2),
        rappel_a_10=round(full_recall, 3),
        rappel_a_10_par_sorte=by_kind,
        original_en_tete=round(full_first, 3),
        rappel_a_10_sur_1000=round(small_recall, 3),
        rappel_a_10_sur_1000_par_sorte=small_by_kind,
        original_en_tete_sur_1000=round(small_first, 3),
        hors_sujet_textes=len(unrelated),
        hors_sujet_suggestions=unrelated_suggestions,
        exemples=examples,
    )
    assert build < 1.0, f"construction en {build:.2f} s"
    assert percentile(timings, 99) < 20, "requêtes trop lentes"
    assert small_recall >= 0.95, f"rappel@10 sur {SMALL} : {small_recall:.3f}"
    assert unrelated_suggestions == 0, f"{unrelated_suggestions} suggestions hors sujet"


if __name__ == "__main__":
    main()
