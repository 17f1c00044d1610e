"""Revisions of articles and contributors, kept by django-reversion.

Every admin save stores a revision: who, when, a comment, and a copy of the
article with its bylines and tags. Corrections are not part of it: they are
dated notices readers have already seen, so going back to an older text must
never withdraw one.

This module says what is versioned, turns two revisions into a readable
comparison, finds what someone else changed since an editor opened the form,
and restores an article's content from a revision without touching where it
stands in the workflow. Comparisons are of what people see: the body's words
and structure, not its markup; times as the admin shows them.
"""

import datetime
import difflib
import re
from dataclasses import dataclass, field
from functools import partial

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Version

from journal.content_generation import end_on_commit
from journal.images.renditions import IMAGE_FIELDS
from journal.models import Article, Byline, Contributor
from journal.sanitiser import body_lines, body_marks
from journal.search.index import index_articles
from journal.signals import sync_renditions
from summits.models import Country, Framework, Summit

reversion.register(Contributor)
reversion.register(Byline)
reversion.register(Article, follow=["bylines"])

# What restoring an article brings back. Everything else stays as it is now:
# status, publish time, featuring and the review note belong to the workflow
# (only `article_transition` moves them), the slug is the live address (old
# ones redirect only when a save records them), and the timestamps and author
# are facts about the row. A new field is kept, not restored, until listed here.
RESTORED_FIELDS = (
    "title",
    "standfirst",
    "body",
    "editors_note",
    "credit_line",
    "section",
    "hero_image",
    "hero_width",
    "hero_height",
    "hero_alt",
    "hero_caption",
    "hero_credit",
)
TAG_MODELS = {"countries": Country, "frameworks": Framework, "summits": Summit}
# The fields a comparison shows, in form order.
COMPARED_FIELDS = (
    "title",
    "title_is_provisional",
    "bylines_need_checking",
    "slug",
    "standfirst",
    "body",
    "language",
    "translation_of",
    "editors_note",
    "credit_line",
    "section",
    "hero_image",
    "hero_alt",
    "hero_caption",
    "hero_credit",
    "status",
    "publish_at",
    "featured",
    "review_note",
)
LONG_TEXT_FIELDS = {"body", "standfirst", "editors_note", "review_note"}
# Word-level marking compares every word with every other; past this many
# pairs (two paragraphs of about a thousand words) the whole line is marked.
WORD_DIFF_LIMIT = 4_000_000

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
_LINE_END = re.compile(
    r"(</(?:p|h[1-6]|li|ul|ol|blockquote|figure|figcaption)\s*>|<br\s*/?>|<hr\s*/?>)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool = False


@dataclass(frozen=True)
class DiffLine:
    """One line of a diff: `same`, `removed`, `added`, or `gap` for skipped lines."""

    kind: str
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: list[DiffLine]
    restored: bool = True
    # The model field, or "bylines".
    name: str = ""
    # A list (bylines, tags): every line is shown, changed or not.
    listed: bool = False

    def excerpt(self, *, limit: int = 160) -> str:
        """What the newer side says where it differs, in a few words."""
        if self.listed:
            now = [
                "".join(segment.text for segment in line.segments)
                for line in self.lines
                if line.kind in ("same", "added")
            ]
            return ", ".join(now) or "—"
        for kind in ("added", "removed", "note"):
            found = [
                "".join(segment.text for segment in line.segments)
                for line in self.lines
                if line.kind == kind
            ]
            if found:
                text = " … ".join(found)
                shown = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
                if kind == "removed":
                    return _("removed “%(text)s”") % {"text": shown}
                return shown if kind == "note" else f"“{shown}”"
        return ""


@dataclass
class ArticleSnapshot:
    """An article as one revision stored it (or as its row is now), names resolved."""

    version: Version | None
    values: dict
    bylines: list[str]
    tags: dict[str, list[str]]


@dataclass
class ArticleComparison:
    """What differs between two revisions: one section per changed field, bylines, tag list."""

    old: ArticleSnapshot
    new: ArticleSnapshot
    sections: list[FieldDiff] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def text_lines(value: str) -> list[str]:
    """`value` as lines to compare: HTML is broken after each block element."""
    broken = _LINE_END.sub(lambda match: match.group(1) + "\n", value)
    return [line.strip() for line in broken.splitlines() if line.strip()]


def _append(segments: list[Segment], text: str, changed: bool) -> None:
    if segments and segments[-1].changed == changed:
        segments[-1] = Segment(segments[-1].text + text, changed)
    else:
        segments.append(Segment(text, changed))


def _word_segments(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Both lines cut into runs of unchanged and changed words."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(old_tokens) * len(new_tokens) > WORD_DIFF_LIMIT:
        return (Segment(old, True),), (Segment(new, True),)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    opcodes = matcher.get_opcodes()
    old_segments: list[Segment] = []
    new_segments: list[Segment] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        was, now = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        # A lone space between two changes reads as part of one change.
        inner_space = tag == "equal" and 0 < index < len(opcodes) - 1 and not was.strip()
        changed = tag != "equal" or inner_space
        if was:
            _append(old_segments, was, changed)
        if now:
            _append(new_segments, now, changed)
    return tuple(old_segments), tuple(new_segments)


def line_diff(old: list[str], new: list[str], *, context: int | None = 2) -> list[DiffLine]:
    """A unified diff of two lists of lines, changed words marked within changed lines.

    With `context=None` every line is listed (short lists such as bylines);
    otherwise unchanged runs are cut to `context` lines around each change.
    """
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    groups = [matcher.get_opcodes()] if context is None else matcher.get_grouped_opcodes(context)
    lines: list[DiffLine] = []
    for number, group in enumerate(groups):
        if number:
            lines.append(DiffLine("gap"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", (Segment(text),)) for text in old[i1:i2]]
                continue
            removed = [DiffLine("removed", (Segment(text, True),)) for text in old[i1:i2]]
            added = [DiffLine("added", (Segment(text, True),)) for text in new[j1:j2]]
            if tag == "replace":
                # Pair the lines up so a small edit in a long paragraph stands out.
                for index in range(min(len(removed), len(added))):
                    was, now = _word_segments(old[i1 + index], new[j1 + index])
                    removed[index] = DiffLine("removed", was)
                    added[index] = DiffLine("added", now)
            lines += removed + added
    return lines


def _display(name: str, value) -> str:
    """`value` of the field `name` as the admin shows it (the body as its lines of text)."""
    model_field = Article._meta.get_field(name)
    if value in (None, "") or (value is False and isinstance(model_field, models.FileField)):
        return ""  # False: an image the form clears
    if name == "body":
        return "\n".join(body_lines(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if model_field.is_relation:
        if not isinstance(value, Article):
            value = Article.objects.filter(pk=value).first() or _("deleted article #%s") % value
        return str(value)
    return str(getattr(value, "name", value))


def same_value(name: str, one, other) -> bool:
    """Whether two values of the field `name` look the same to an editor.

    Spaces and line endings are not differences; the body is compared by its
    words and structure (`body_marks`), times as the admin shows them.
    """
    if one == other:
        return True
    if name == "body":
        return body_marks(one or "") == body_marks(other or "")
    return _display(name, one).split() == _display(name, other).split()


def field_diff(name: str, was, now) -> FieldDiff:
    """How the field `name` changed from `was` to `now`, as lines of text."""
    model_field = Article._meta.get_field(name)
    label = capfirst(model_field.verbose_name)
    restored = name in RESTORED_FIELDS
    if name == "body":
        lines = line_diff(body_lines(was or ""), body_lines(now or ""))
        if not any(line.kind in ("removed", "added") for line in lines):
            note = _("The words are the same; formatting, links or images changed.")
            lines = [DiffLine("note", (Segment(note),))]
        return FieldDiff(label, lines, restored=restored, name=name)
    was, now = _display(name, was), _display(name, now)
    if name in LONG_TEXT_FIELDS:
        lines = line_diff(text_lines(was), text_lines(now))
    else:
        lines = line_diff([was] if was else [], [now] if now else [])
    return FieldDiff(label, lines, restored=restored, name=name)


def _byline_versions(version: Version) -> list[Version]:
    """The bylines stored with `version`'s article, in reader order."""
    byline_type = ContentType.objects.get_for_model(Byline)
    article_id = int(version.object_id)
    found = [
        byline
        for byline in version.revision.version_set.filter(content_type=byline_type)
        if byline.field_dict["article_id"] == article_id
    ]
    return sorted(found, key=lambda byline: (byline.field_dict["order"], int(byline.object_id)))


def article_snapshot(version: Version) -> ArticleSnapshot:
    """What `version` of an article held, as an editor would read it."""
    values = version.field_dict
    bylines = [byline.field_dict for byline in _byline_versions(version)]
    people = Contributor.objects.in_bulk([byline["contributor_id"] for byline in bylines])
    roles = dict(Byline.Role.choices)
    names = []
    for byline in bylines:
        person = people.get(byline["contributor_id"])
        name = person.name if person else _("deleted contributor #%s") % byline["contributor_id"]
        names.append(f"{name} ({roles.get(byline['role'], byline['role'])})")
    tags = {}
    for name, model in TAG_MODELS.items():
        ids = values.get(name, [])
        rows = model.objects.in_bulk(ids)
        tags[name] = sorted(str(rows[pk]) if pk in rows else f"#{pk} (deleted)" for pk in ids)
    return ArticleSnapshot(version=version, values=values, bylines=names, tags=tags)


def article_current_snapshot(article: Article) -> ArticleSnapshot:
    """`article` as its row and relations are now, in a revision's terms."""
    values = {
        model_field.attname: getattr(article, model_field.attname)
        for model_field in Article._meta.concrete_fields
    }
    bylines = [
        f"{byline.contributor.name} ({byline.get_role_display()})"
        for byline in article.bylines.select_related("contributor").order_by("order", "pk")
    ]
    tags = {name: sorted(str(tag) for tag in getattr(article, name).all()) for name in TAG_MODELS}
    return ArticleSnapshot(version=None, values=values, bylines=bylines, tags=tags)


def compare_snapshots(old: ArticleSnapshot, new: ArticleSnapshot) -> ArticleComparison:
    """Field by field, what changed from one state of an article to another."""
    comparison = ArticleComparison(old=old, new=new)
    for name in COMPARED_FIELDS:
        attname = Article._meta.get_field(name).attname
        if attname not in old.values or attname not in new.values:
            continue  # a revision older than the field
        was, now = old.values[attname], new.values[attname]
        if same_value(name, was, now):
            comparison.unchanged.append(capfirst(Article._meta.get_field(name).verbose_name))
        else:
            comparison.sections.append(field_diff(name, was, now))
    lists = [("bylines", _("Bylines"), old.bylines, new.bylines)]
    lists += [
        (name, capfirst(Article._meta.get_field(name).verbose_name), old_tags, new.tags[name])
        for name, old_tags in old.tags.items()
    ]
    for name, label, was, now in lists:
        if was == now:
            comparison.unchanged.append(label)
        else:
            lines = line_diff(was, now, context=None)
            comparison.sections.append(FieldDiff(label, lines, name=name, listed=True))
    return comparison


def compare_article_versions(old: Version, new: Version) -> ArticleComparison:
    """Field by field, what changed between two revisions of one article."""
    return compare_snapshots(article_snapshot(old), article_snapshot(new))


def article_version_saved_at(article: Article, updated_at: datetime.datetime) -> Version | None:
    """The revision that stored `article` as its save at `updated_at` left it.

    What a form opened after that save showed. Revisions store times to the
    millisecond. None when no revision kept that save (an article older than
    the revisions, or saved outside the admin and the services).
    """
    wanted = updated_at.replace(microsecond=updated_at.microsecond // 1000 * 1000)
    newest = Version.objects.get_for_object(article).select_related("revision").order_by("-pk")
    # Only saves since the form was opened come after it: a few, even on a busy day.
    for version in newest[:50]:
        try:
            stored = version.field_dict.get("updated_at")
        except RevertError:  # stored data the current models cannot read
            return None
        if stored == wanted:
            return version
        if stored is not None and stored < wanted:
            return None
    return None


def _stored_value(value):
    # Files are stored by name; the rest is stored as the serializer read it.
    return getattr(value, "name", value)


def restore_values(obj, version: Version, field_names) -> None:
    """Write `version`'s values of `field_names` to `obj`'s row, without `save()`.

    No signal, no `auto_now`: the row's update time stays that of the current
    version, which the form saved next compares against. An image brought
    back gets its renditions again (and the one it replaces loses them) once
    the transaction commits, as when an image is changed in a form.
    """
    model = type(obj)
    values = version.field_dict
    restored = {}
    for name in field_names:
        model_field = model._meta.get_field(name)
        if model_field.attname not in values:  # a revision older than the field
            continue
        value = restored[model_field.attname] = _stored_value(values[model_field.attname])
        current = getattr(obj, name)
        if (model, name) in IMAGE_FIELDS and current.name != value:
            replace = partial(sync_renditions, old=current.name, new=value, storage=current.storage)
            transaction.on_commit(replace, robust=True)
    model._base_manager.filter(pk=obj.pk).update(**restored)


@transaction.atomic
def article_restore_revision(*, article: Article, version: Version) -> list[str]:
    """Put back `article`'s content, tags and bylines as `version` stored them.

    Only `RESTORED_FIELDS` change; the workflow state, the slug, the
    timestamps and the corrections stay as they are, so the change form's
    conflict guard still sees the current version. The admin's restore view
    calls this before showing the change form and saves that form afterwards,
    which validates the result and records it as a new revision. Returns notes
    about what could not come back (deleted contributors or tags).
    """
    if version.content_type.model_class() is not Article or version.object_id != str(article.pk):
        raise ValueError("The version is not one of this article's.")
    restore_values(article, version, RESTORED_FIELDS)
    values = version.field_dict

    notes = []
    for name, model in TAG_MODELS.items():
        ids = values.get(name, [])
        existing = list(model.objects.filter(pk__in=ids))
        getattr(article, name).set(existing)
        if len(existing) < len(ids):
            notes.append(
                _("%(tags)s tagged then and since deleted were left out.")
                % {"tags": str(model._meta.verbose_name_plural).capitalize()}
            )

    bylines = [Byline(**byline.field_dict) for byline in _byline_versions(version)]
    living = set(
        Contributor.objects.filter(
            pk__in=[byline.contributor_id for byline in bylines]
        ).values_list("pk", flat=True)
    )
    kept = [byline for byline in bylines if byline.contributor_id in living]
    if len(kept) < len(bylines):
        notes.append(
            _("%(count)d byline(s) could not come back: the contributor was deleted.")
            % {"count": len(bylines) - len(kept)}
        )
    # Replaced all at once, old primary keys included: updating row by row
    # could trip the one-role-per-contributor constraint when roles swapped.
    article.bylines.all().delete()
    Byline.objects.bulk_create(kept)
    # bulk_create sends no signals: the search index learns the names here.
    index_articles([article.pk])
    # Written with update() and bulk_create: what readers see, lists and
    # counts included, ends with this transaction.
    end_on_commit()
    return notes
