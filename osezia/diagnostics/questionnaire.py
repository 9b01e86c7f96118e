"""The questionnaire as plain data (pure Python): versions, steps, questions, options.

The same structure is built from the versioned JSON file (to load a new version) and from the
database rows (what a diagnostic was answered against), so scoring never depends on Django.
"""

from dataclasses import dataclass, field

SINGLE = "choix_unique"
MULTIPLE = "choix_multiple"
QUESTION_TYPES = (SINGLE, MULTIPLE)


@dataclass(frozen=True)
class Option:
    code: str
    libelle: str
    points: int
    familles: dict[str, float] = field(default_factory=dict)
    exclusif: bool = False


@dataclass(frozen=True)
class Question:
    code: str
    etape: str
    dimension: str | None
    type: str
    libelle: str
    aide: str
    obligatoire: bool
    options: tuple[Option, ...]
    max_choix: int | None = None
    familles_usage: tuple[str, ...] = ()

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class Etape:
    code: str
    titre: str
    description: str


@dataclass(frozen=True)
class Questionnaire:
    version: int
    titre: str
    introduction: str
    etapes: tuple[Etape, ...]
    questions: tuple[Question, ...]

    def question(self, code: str) -> Question | None:
        return self._by_code().get(code)

    def _by_code(self) -> dict[str, Question]:
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = {q.code: q for q in self.questions}
            object.__setattr__(self, "_cache", cache)
        return cache

    def questions_of(self, etape: str) -> list[Question]:
        return [q for q in self.questions if q.etape == etape]

    def scored_by_dimension(self) -> dict[str, tuple[Question, ...]]:
        """The scored questions of each dimension (computed once per version)."""
        cache = self.__dict__.get("_by_dimension")
        if cache is None:
            cache = {}
            for q in self.questions:
                if q.dimension:
                    cache.setdefault(q.dimension, ())
                    cache[q.dimension] += (q,)
            object.__setattr__(self, "_by_dimension", cache)
        return cache

    @classmethod
    def from_dict(cls, data: dict) -> "Questionnaire":
        return cls(
            version=int(data["version"]),
            titre=data["titre"],
            introduction=data.get("introduction", ""),
            etapes=tuple(
                Etape(e["code"], e["titre"], e.get("description", "")) for e in data["etapes"]
            ),
            questions=tuple(
                Question(
                    code=q["code"],
                    etape=q["etape"],
                    dimension=q.get("dimension"),
                    type=q["type"],
                    libelle=q["libelle"],
                    aide=q.get("aide", ""),
                    obligatoire=bool(q.get("obligatoire", False)),
                    max_choix=q.get("max_choix"),
                    familles_usage=tuple(q.get("familles_usage") or ()),
                    options=tuple(
                        Option(
                            code=o["code"],
                            libelle=o["libelle"],
                            points=int(o.get("points", 0)),
                            familles=dict(o.get("familles") or {}),
                            exclusif=bool(o.get("exclusif", False)),
                        )
                        for o in q["options"]
                    ),
                )
                for q in data["questions"]
            ),
        )

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "titre": self.titre,
            "introduction": self.introduction,
            "etapes": [e.__dict__ for e in self.etapes],
            "questions": [
                {
                    "code": q.code,
                    "etape": q.etape,
                    "dimension": q.dimension,
                    "type": q.type,
                    "libelle": q.libelle,
                    "aide": q.aide,
                    "obligatoire": q.obligatoire,
                    "max_choix": q.max_choix,
                    "familles_usage": list(q.familles_usage),
                    "options": [
                        {
                            "code": o.code,
                            "libelle": o.libelle,
                            "points": o.points,
                            "familles": o.familles,
                            "exclusif": o.exclusif,
                        }
                        for o in q.options
                    ],
                }
                for q in self.questions
            ],
        }
