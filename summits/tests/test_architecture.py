"""`journal` imports `summits`; `summits` never imports `journal` nor names its URLs or modules."""

import ast
import re
from pathlib import Path

import pytest

import summits

SUMMITS_DIR = Path(summits.__file__).resolve().parent
# "journal:country_detail", f"journal:{name}", "journal.models", the app label
# "journal"; not prose such as "the journal's pages" or "tagged by the journal."
JOURNAL_NAME = re.compile(r"(?<![\w.])journal(?::|\.\w)|^journal$")


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


def docstrings(tree: ast.AST) -> set[ast.AST]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(first.value)
    return found


def journal_names(source: str) -> list[str]:
    """String literals, docstrings aside, that name a journal URL, module or app."""
    tree = ast.parse(source)
    prose = docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node not in prose
        and JOURNAL_NAME.search(node.value)
    ]


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


@pytest.mark.parametrize(
    "source",
    [
        'reverse("journal:country_detail", kwargs={"slug": slug})',
        'url = f"journal:{name}"',
        "template = \"{% url 'journal:home' %}\"",
        'importlib.import_module("journal.models")',
        'mock.patch("journal.services.article_publish")',
        'apps.get_model("journal", "Article")',
        'def f():\n    """Docstring."""\n    return "journal:home"\n',
    ],
)
def test_checker_spots_journal_names(source):
    assert journal_names(source)


@pytest.mark.parametrize(
    "source",
    [
        '"""Records the journal writes about: see journal.views."""',
        'class Country:\n    """What the journal: calls a country."""\n',
        'help_text = "Shown on the journal\'s country pages."',
        'note = "Tagged by the journal."',
        'reverse("summits:country_detail")',
        '"journalism"',
        '"summits.journal_export"',
    ],
)
def test_checker_ignores_prose_and_other_names(source):
    assert journal_names(source) == []


def test_summits_never_names_journal():
    # This file quotes what it looks for.
    files = sorted(set(SUMMITS_DIR.rglob("*.py")) - {Path(__file__).resolve()})
    assert SUMMITS_DIR / "models.py" in files

    offenders = {
        str(path.relative_to(SUMMITS_DIR)): names
        for path in files
        if (names := journal_names(path.read_text()))
    }

    assert offenders == {}
