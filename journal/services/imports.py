"""Importing plain-text exports as drafts: contributors found or created, one report per file."""

import enum
import functools
import logging
import operator
import unicodedata
from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from journal.models import Article, ArticleSlugHistory, Byline, Contributor
from journal.services.plaintext import ExportRejected, ParsedExport, decode_export, parse_export
from journal.services.plaintext_names import CYRILLIC, HANGUL, KNOWN_OUTLETS
from summits.slugs import first_free, slugify

# Importing plain-text exports -----------------------------------------------

logger = logging.getLogger(__name__)

# Typographic apostrophes, quotes and hyphens, as names are compared.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})


class ImportOutcome(enum.StrEnum):
    CREATED = "created"
    SKIPPED = "skipped"
    REJECTED = "rejected"
    FAILED = "failed"


@dataclass
class ImportResult:
    """What happened to one file, as the import report tells it.

    `article` is the new draft, or the earlier import of the same text when
    the file was skipped. A dry run leaves it unsaved (no pk).
    """

    name: str
    outcome: ImportOutcome
    message: str
    article: Article | None = None
    bylines: list[str] = field(default_factory=list)
    # What was read besides the text, for the editor to check: the dateline,
    # a wire's notes left out of the body.
    found: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # (kind, names) for frameworks, countries and summits: every strong
    # suggestion, strongest first within its kind.
    suggested_tags: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.outcome in (ImportOutcome.REJECTED, ImportOutcome.FAILED)


def _unique_slug(model, text: str, *, fallback: str, max_length: int = 80) -> str:
    """A free slug for `text`, cut at a word near `max_length`, numbered when taken.

    The record's slug rule (`summits.slugs`), as the admin fills slugs in:
    Hangul and Cyrillic stay where the model's slugs allow them (articles');
    where they do not (contributors'), they are spelled in Latin letters.
    """
    allow_unicode = model._meta.get_field("slug").allow_unicode
    base = slugify(text, allow_unicode=allow_unicode, max_length=max_length) or fallback
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if model is Article:  # a former address still takes its old links to its article
        taken.update(
            ArticleSlugHistory.objects.filter(old_slug__startswith=base).values_list(
                "old_slug", flat=True
            )
        )
    return first_free(base, taken)


def name_key(name: str) -> str:
    """A person's name as compared when matching contributors: case, spacing and
    typographic apostrophes and hyphens do not count."""
    folded = unicodedata.normalize("NFKC", name).translate(_QUOTES).translate(_DASHES)
    return " ".join(folded.casefold().split())


def contributor_find(*, name: str) -> Contributor | None:
    """The contributor called `name`, ignoring case, spacing and curly apostrophes.

    The database narrows the candidates by the ASCII words of the name (its
    case-insensitive LIKE only folds ASCII); a name without any is compared
    with every contributor.
    """
    key = name_key(name)
    words = [word for word in name.split() if word.isascii() and len(word) > 1]
    candidates = Contributor.objects.order_by("pk")
    if words:
        candidates = candidates.filter(
            functools.reduce(operator.or_, (Q(name__icontains=word) for word in words))
        )
    return next((c for c in candidates.iterator() if name_key(c.name) == key), None)


def _contributor_for(
    *,
    name: str,
    kind: str,
    position: str = "",
    affiliation: str = "",
    said_by: str = "the note",
    result: ImportResult,
) -> tuple[Contributor, bool]:
    """An existing contributor of that name, or a new one (True)."""
    position, affiliation = position[:255], affiliation[:255]
    contributor = contributor_find(name=name)
    if contributor is None:
        contributor = Contributor(
            name=name,
            slug=_unique_slug(Contributor, name, fallback="contributor"),
            kind=kind,
            position=position,
            affiliation=affiliation,
        )
        contributor.full_clean()
        contributor.save()
        return contributor, True
    # Someone already on file keeps what the desk wrote about them; a blank
    # position is filled in, a different one only reported.
    if position and not contributor.position:
        contributor.position = position
        contributor.save(update_fields=["position", "updated_at"])
    elif position and name_key(position) != name_key(contributor.position):
        result.warnings.append(
            f"{contributor.name} is on file as “{contributor.position}”; {said_by} says "
            f"“{position}”. Left unchanged."
        )
    return contributor, False


def article_import(*, name: str, data: bytes, user=None, dry_run: bool = False) -> ImportResult:
    """Create a draft article from one plain-text export (see journal/services/plaintext.py).

    A file that cannot be imported is rejected with the reason and leaves no
    trace. The fingerprint of the text is stored on the article, so the same
    file imported again changes nothing and is reported as skipped. Without a
    headline line the article gets its first words as a provisional title,
    which must be confirmed before it can be published. `dry_run` does all
    the work and the checks, then rolls it back.
    """
    try:
        parsed = parse_export(decode_export(data), outlets=(settings.SITE_NAME, *KNOWN_OUTLETS))
    except ExportRejected as error:
        return ImportResult(name, ImportOutcome.REJECTED, f"rejected. {error}")
    previous = Article.objects.filter(import_key=parsed.key).first()
    if previous is not None:
        return ImportResult(
            name, ImportOutcome.SKIPPED, f"already imported as “{previous}”", article=previous
        )
    result = ImportResult(name, ImportOutcome.CREATED, "", warnings=list(parsed.warnings))
    if parsed.dateline:
        result.found.append(_("Dateline: %(dateline)s") % {"dateline": parsed.dateline})
    for note in parsed.wire_notes:
        result.warnings.append(
            _("Left out “%(note)s”, read as a wire's note about the version.") % {"note": note}
        )
    try:
        with transaction.atomic(), reversion.create_revision():
            result.article = _create_draft(parsed, user=user, result=result)
            if user is not None and user.pk:
                reversion.set_user(user)
            reversion.set_comment(_("Imported from %(name)s") % {"name": name})
            if dry_run:
                # Marks the innermost block, reversion's, which holds every write.
                transaction.set_rollback(True)
    except IntegrityError:
        # The same text, imported at the same moment by someone else.
        previous = Article.objects.filter(import_key=parsed.key).first()
        if previous is None:
            raise
        return ImportResult(
            name, ImportOutcome.SKIPPED, f"already imported as “{previous}”", article=previous
        )
    except ValidationError as error:
        return ImportResult(name, ImportOutcome.REJECTED, f"rejected. {' '.join(error.messages)}")
    article = result.article
    if dry_run:  # the row was rolled back; the instance must not pass for a saved one
        article.pk, article._state.adding = None, True
    verb = "would create" if dry_run else "created"
    checks = []
    if article.title_is_provisional:
        checks.append(" (provisional title: confirm it before publishing)")
    if article.bylines_need_checking:
        checks.append(" (bylines guessed: check them before publishing)")
    result.message = f"{verb} draft “{article}”" + "".join(checks)
    result.suggested_tags = _suggested_tags(article, published=parsed.dateline_day)
    return result


def _suggested_tags(article: Article, *, published=None) -> list[tuple[str, list[str]]]:
    """Every tag the text points to strongly, ranked and grouped by kind, for the report.

    `published` is the day the dateline gives, against which "on Thursday"
    is read. Tagging stays the editor's call.
    """
    try:
        from summits.tagging import suggest_tags
    except ImportError:  # the suggester is optional here
        return []
    try:
        found = suggest_tags(
            title=article.title,
            standfirst=article.standfirst,
            body=article.body,
            published=published,
        ).strong()
    except Exception:
        # A report without suggestions beats an import reported as failed.
        logger.exception("Tag suggestions failed for an imported article")
        return []
    groups = [
        ("frameworks", found.frameworks),
        ("countries", found.countries),
        ("summits", found.summits),
    ]
    return [(kind, [str(s.obj) for s in found]) for kind, found in groups if found]


# The scripts of the journal's languages other than English.
SCRIPTS = {"ko": HANGUL, "ru": CYRILLIC}


def written_in(text: str) -> str:
    """The journal's language `text` is written in, told by its script.

    Korean by Hangul, Russian by Cyrillic, when most letters are in it;
    otherwise the default language. Quoted names in another script do not
    change an article's language.
    """
    letters = sum(1 for character in text if character.isalpha())
    for language, script in SCRIPTS.items():
        if letters and len(script.findall(text)) > letters / 2:
            return language
    return settings.LANGUAGE_CODE


def _create_draft(parsed: ParsedExport, *, user, result: ImportResult) -> Article:
    title = parsed.title or parsed.provisional_title
    credit_line = parsed.credit_line
    if len(credit_line) > 255:
        result.warnings.append("The channel in the editor's note is too long for a credit line.")
        credit_line = ""
    note_author = parsed.contributor_name
    article = Article(
        title=title,
        title_is_provisional=parsed.title is None,
        bylines_need_checking=parsed.byline_guessed,
        slug=_unique_slug(Article, title.rstrip("\u2026"), fallback="imported-article"),
        language=written_in(f"{title} {parsed.standfirst} {parsed.body_html}"),
        standfirst=parsed.standfirst,
        body=parsed.body_html,
        editors_note=parsed.editors_note,
        credit_line=credit_line,
        section=Article.Section.CONTRIBUTION if note_author else Article.Section.NEWS,
        status=Article.Status.DRAFT,
        import_key=parsed.key,
        created_by=user if user is not None and user.pk else None,
    )
    article.full_clean()
    article.save()

    # Who gets a byline. The editor's note names who wrote a contributed piece,
    # so that person is the author, a guest with the position the note gives.
    # The "By" line names who filed it for the outlet (the desk's own staff
    # when the outlet is ours): the author when there is no note, otherwise
    # credited after the author as a contributor, so the export's credit is
    # kept and the editor can drop it with one click. A person on both lines
    # gets one byline.
    ours = {name_key(settings.SITE_NAME), *(name_key(o) for o in KNOWN_OUTLETS)}
    # The outlet the byline names, else the agency the dateline credits: copy
    # filed for someone else is by outside writers, guests with that affiliation.
    outlet = parsed.outlet or parsed.agency
    other_outlet = outlet if outlet and name_key(outlet) not in ours else ""
    Kind, Role = Contributor.Kind, Byline.Role
    # A Korean or Russian byline may say what the writer is ("김대식 전 주카자흐스탄
    # 대사") or that they write for us from outside ("специально для …"): a guest.
    credits = []
    if note_author:
        position = parsed.contributor_position or ""
        credits.append((note_author, Kind.GUEST, position, "", Role.AUTHOR, "the note"))
    positions = (*parsed.byline_positions, *[""] * len(parsed.byline_people))
    for person, position in zip(parsed.byline_people, positions, strict=False):
        credits.append(
            (
                person,
                Kind.GUEST if other_outlet or position or parsed.byline_guest else Kind.STAFF,
                position,
                other_outlet,
                Role.CONTRIBUTOR if note_author else Role.AUTHOR,
                "the byline",
            )
        )
    credited = []
    for name, kind, position, affiliation, role, said_by in credits:
        contributor, created = _contributor_for(
            name=name,
            kind=kind,
            position=position,
            affiliation=affiliation,
            said_by=said_by,
            result=result,
        )
        if contributor.pk in credited:
            continue
        byline = Byline(article=article, contributor=contributor, role=role, order=len(credited))
        byline.full_clean()
        byline.save()
        credited.append(contributor.pk)
        result.bylines.append(
            f"{contributor.name}, {byline.get_role_display().lower()} ("
            + (f"new {contributor.get_kind_display().lower()}" if created else "already on file")
            + ")"
        )
    return article
