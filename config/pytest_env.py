"""What the test run needs before Django's settings are read (loaded by pytest as `-p
config.pytest_env`, see pyproject.toml):

- `OSEZIA_ENV=test`, whatever the shell says, so a test run never runs as production;
- one fresh OSEZIA_VAR_DIR for the whole run (its xdist workers inherit it), removed at the end:
  the test database, the generated development key, the PDF cache and the search index are
  written there, never in the repository's var/ (tests/conftest.py fails the run if the
  working tree changed).
"""

import os
import shutil
import tempfile

_SESSION_DIR_VARIABLE = "OSEZIA_TEST_VAR_DIR"
_created_dir: str | None = None

os.environ["OSEZIA_ENV"] = "test"
if _SESSION_DIR_VARIABLE not in os.environ:  # the controller; xdist workers inherit the value
    _created_dir = tempfile.mkdtemp(prefix="osezia-tests-")
    os.environ[_SESSION_DIR_VARIABLE] = _created_dir
os.environ["OSEZIA_VAR_DIR"] = os.environ[_SESSION_DIR_VARIABLE]
for _name in ("SEARCH_INDEX_DIR", "PDF_CACHE_DIR"):  # they follow OSEZIA_VAR_DIR
    os.environ.pop(_name, None)
# Hypothesis keeps its examples there too, not in the working directory's .hypothesis/.
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = os.path.join(
    os.environ[_SESSION_DIR_VARIABLE], "hypothesis"
)


def pytest_unconfigure(config):
    if _created_dir and not hasattr(config, "workerinput"):
        shutil.rmtree(_created_dir, ignore_errors=True)
