"""What the apps' demo data share while `seed_demo` runs them in order (pure Python).

Each app with demo data has a `demo.py` with `seed(context)`, which creates what is missing of
its own rows through its own services (and other apps' services, never their tables), and
optionally `size()`, its number of progress steps. The site layer (`portail.demo`) runs them in
its declared order with one `DemoContext`, so that later apps find the people created before.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DemoLogin:
    email: str
    libelle: str


@dataclass
class DemoContext:
    # The demo people by e-mail, created or found by `comptes.demo`.
    users: dict[str, Any] = field(default_factory=dict)
    # The logins printed at the end, one per role.
    logins: list[DemoLogin] = field(default_factory=list)
    # How many rows of each kind this run created (0 on a second run).
    created: dict[str, int] = field(default_factory=dict)
    # Called once per progress step.
    progress: Callable[[], None] | None = None

    def advance(self) -> None:
        if self.progress:
            self.progress()

    def count(self, kind: str, number: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + number
