"""The Korean and Russian catalogues: complete, compiled, and true to their placeholders."""

import ast
import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR).glob("*/locale/*/LC_MESSAGES/django.po"))
TRANSLATED = [language for language, _name in settings.LANGUAGES if language != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def test_every_language_but_english_has_its_catalogues():
    found = {(path.parts[-5], path.parts[-3]) for path in CATALOGUES}
    assert found == {(app, language) for app in ("journal", "summits") for language in TRANSLATED}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: "/".join(path.parts[-5:-2]))
def test_a_catalogue_is_complete_and_compiled(path):
    catalogue = polib.pofile(str(path))
    assert catalogue.metadata["Language"] == path.parts[-3]
    assert not catalogue.untranslated_entries(), [e.msgid for e in catalogue.untranslated_entries()]
    assert not catalogue.fuzzy_entries(), [e.msgid for e in catalogue.fuzzy_entries()]

    problems = []
    for entry in catalogue.translated_entries():
        # Plurals are left out: a language's "one" form may spell the number.
        if not entry.msgid_plural and sorted(PLACEHOLDER.findall(entry.msgstr)) != sorted(
            PLACEHOLDER.findall(entry.msgid)
        ):
            problems.append(f"{entry.msgid!r}: {entry.msgstr!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)

    # The .mo the site reads says what the .po says (run `make messages`).
    with path.with_suffix(".mo").open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    stale = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            got, wanted = (
                compiled.ngettext(entry.msgid, entry.msgid_plural, 1),
                entry.msgstr_plural[0],
            )
        elif entry.msgctxt:
            got, wanted = compiled.pgettext(entry.msgctxt, entry.msgid), entry.msgstr
        else:
            got, wanted = compiled.gettext(entry.msgid), entry.msgstr
        if got != wanted:
            stale.append(entry.msgid)
    assert not stale, f"{path.with_suffix('.mo')} is out of date: {stale[:5]}"


def source_messages() -> set[str]:
    """Messages marked in the simplest way: `{% translate "…" %}` and `_("…")` with one literal."""
    base = Path(settings.BASE_DIR)
    found = set()
    for template in (base / "templates").rglob("*.html"):
        found.update(
            match.group(2)
            for match in re.finditer(r"{% translate ([\"'])(.+?)\1 %}", template.read_text())
        )
    for app in ("journal", "summits"):
        for module in (base / app).rglob("*.py"):
            if "tests" in module.parts or "migrations" in module.parts:
                continue
            for node in ast.walk(ast.parse(module.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", None) in {"_", "gettext", "gettext_lazy"}
                    and len(node.args) == 1
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_message_is_in_the_catalogues(language):
    known = set()
    for app in ("journal", "summits"):
        path = Path(settings.BASE_DIR) / app / "locale" / language / "LC_MESSAGES" / "django.po"
        known.update(entry.msgid for entry in polib.pofile(str(path)))
    missing = sorted(source_messages() - known)
    assert not missing, f"run `make messages` and translate: {missing[:10]}"
