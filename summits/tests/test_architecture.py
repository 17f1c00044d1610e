"""`journal` imports `summits`; `summits` never imports `journal`."""

import ast
from pathlib import Path

import pytest

import summits

SUMMITS_DIR = Path(summits.__file__).resolve().parent


def journal_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name == "journal" or name.startswith("journal.")]
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import journal",
        "import journal.models",
        "import os, journal.views as v",
        "from journal import models",
        "from journal.models import Article",
        "def f():\n    from journal.services import article_publish\n",
    ],
)
def test_checker_spots_journal_imports(source):
    assert journal_imports(source)


@pytest.mark.parametrize(
    "source",
    ["import journalism", "from summits.models import Summit", "from . import journal_export"],
)
def test_checker_ignores_other_imports(source):
    assert journal_imports(source) == []


def test_summits_never_imports_journal():
    files = sorted(SUMMITS_DIR.rglob("*.py"))
    assert SUMMITS_DIR / "models.py" in files

    offenders = {
        str(path.relative_to(SUMMITS_DIR)): imports
        for path in files
        if (imports := journal_imports(path.read_text()))
    }

    assert offenders == {}
