"""The composition of the demo data: every app's `demo.py`, run in a declared order.

Each app owns its demo rows and their data file (`<app>/data/demo*.json[l]`) and creates them
through its own services; this module only decides the order and shares one `DemoContext`
(the people created first, the counts, the progress bar) between them. Idempotent: a second
run creates nothing.
"""

from importlib import import_module

from django.db import transaction

from osezia.comptes.demo import load_demo_file
from osezia.socle.demo import DemoContext, DemoLogin

# The apps whose `osezia.<app>.demo` runs, in this order: the accounts before the companies
# they administer, the companies before their diagnostics, the people before the catalogue
# and the Académie organisations they join.
DEMO_ORDER = [
    "comptes",
    "entreprises",
    "diagnostics",
    "catalogue",
    "academie",
    "consultation",
    "ambassadeurs",
    "expertise",
    "evenements",
]

__all__ = ["DEMO_ORDER", "DemoLogin", "demo_modules", "demo_size", "load_demo_file", "seed_demo"]


def demo_modules() -> list:
    return [import_module(f"osezia.{app}.demo") for app in DEMO_ORDER]


def demo_size() -> int:
    """The progress bar's length: every app's number of steps."""
    return sum(module.size() if hasattr(module, "size") else 1 for module in demo_modules())


@transaction.atomic
def seed_demo(progress=None) -> tuple[list[DemoLogin], dict]:
    """Create what is missing of the demo data; never duplicates, never overwrites."""
    context = DemoContext(progress=progress)
    for module in demo_modules():
        module.seed(context)
    return context.logins, context.created
