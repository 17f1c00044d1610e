"""Keep derived data in step: renditions, slug history, search, related coverage, cached pages,
and staff status.

Image renditions follow the images they are made from.

Renditions are made once the transaction commits, so a rolled-back save
leaves no files behind and a bad image never fails the save. Rows changed
without signals (queryset.update, bulk_create, raw SQL) are caught up by
`manage.py generate_renditions`.
"""

from collections import defaultdict
from functools import partial

from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_init,
    post_save,
    pre_delete,
    pre_save,
)

from journal import content_generation
from journal.images.renditions import (
    IMAGE_FIELDS,
    delete_renditions,
    ensure_renditions,
    is_referenced,
)
from journal.models import Article, ArticleSlugHistory, Byline, Contributor
from journal.search.index import (
    index_article,
    index_articles,
    index_group,
    register_sqlite_functions,
    translations_to_index,
    unindex_article,
)
from journal.services.related import TAG_TABLES, related_articles_refresh_on_commit
from journal.services.staff import staff_follow_groups

# Where an instance keeps the image names it was loaded with, to spot a replacement.
LOADED_NAMES = "_journal_image_names"


def _file_name(value) -> str:
    return getattr(value, "name", value) or ""


def remember_names(sender, instance, *, field_names, **kwargs):
    # __dict__, not the attribute: reading a deferred field would cost a query.
    loaded = {name: _file_name(instance.__dict__.get(name)) for name in field_names}
    setattr(instance, LOADED_NAMES, loaded)


def image_saved(sender, instance, created, update_fields, using, *, field_names, **kwargs):
    loaded = getattr(instance, LOADED_NAMES, {})
    for name in field_names:
        if update_fields is not None and name not in update_fields:
            continue
        field_file = getattr(instance, name)
        old = "" if created else loaded.get(name, "")
        new = _file_name(field_file)
        if old == new and not created:
            continue
        transaction.on_commit(
            partial(sync_renditions, old=old, new=new, storage=field_file.storage),
            using=using,
            robust=True,
        )
        loaded[name] = new
    setattr(instance, LOADED_NAMES, loaded)


def image_deleted(sender, instance, using, *, field_names, **kwargs):
    for name in field_names:
        field_file = getattr(instance, name)
        if field_file:
            transaction.on_commit(
                partial(sync_renditions, old=field_file.name, new="", storage=field_file.storage),
                using=using,
                robust=True,
            )


def sync_renditions(*, old: str, new: str, storage) -> None:
    """Drop the renditions of a replaced or deleted image and make those of the new one.

    The original files are kept, as Django keeps them: a name stays unique while
    its file exists, so a new upload never inherits an old image's renditions.
    """
    if old and old != new and not is_referenced(old):
        delete_renditions(old, storage=storage)
    if new:
        ensure_renditions(new, storage=storage)


_fields_by_model = defaultdict(list)
for model, field_name in IMAGE_FIELDS:
    _fields_by_model[model].append(field_name)

for model, field_names in _fields_by_model.items():
    for signal, receiver in [
        (post_init, remember_names),
        (post_save, image_saved),
        (post_delete, image_deleted),
    ]:
        signal.connect(
            partial(receiver, field_names=field_names),
            sender=model,
            weak=False,
            dispatch_uid=f"journal.renditions.{receiver.__name__}.{model._meta.label}",
        )


# Old article slugs: every slug an article leaves behind redirects to it.
# Changes made without signals (queryset.update, bulk_update, raw SQL) are not
# recorded; the article page still serves live slugs first, so nothing breaks.
LOADED_SLUG = "_journal_loaded_slug"


def remember_slug(sender, instance, **kwargs):
    # __dict__, not the attribute: reading a deferred slug would cost a query.
    setattr(instance, LOADED_SLUG, instance.__dict__.get("slug"))


def read_unknown_slug(sender, instance, raw, using, update_fields, **kwargs):
    """Before the row is overwritten, read its slug if the instance cannot tell.

    That is when the slug was deferred, or when a new instance is given the pk
    of an existing row; in the usual case this makes no query.
    """
    if raw or (update_fields is not None and "slug" not in update_fields):
        return
    if instance._state.adding and instance.pk is None:
        return
    if instance._state.adding or getattr(instance, LOADED_SLUG, None) is None:
        stored = sender._base_manager.using(using).filter(pk=instance.pk)
        setattr(instance, LOADED_SLUG, stored.values_list("slug", flat=True).first())


def article_slug_saved(sender, instance, created, raw, using, update_fields, **kwargs):
    if raw or (update_fields is not None and "slug" not in update_fields):
        return
    old_slug = None if created else getattr(instance, LOADED_SLUG, None)
    if created or old_slug != instance.slug:
        ArticleSlugHistory.objects.db_manager(using).record_slug_change(
            article=instance, old_slug=old_slug
        )
    setattr(instance, LOADED_SLUG, instance.slug)


for signal, receiver in [
    (post_init, remember_slug),
    (pre_save, read_unknown_slug),
    (post_save, article_slug_saved),
]:
    signal.connect(
        receiver, sender=Article, dispatch_uid=f"journal.slug_history.{receiver.__name__}"
    )


# Full-text search: the index follows every save and delete of an article, and
# of its bylines, and a contributor's change of name.
# Writes that bypass signals are caught up by `manage.py rebuild_search_index`.
connection_created.connect(register_sqlite_functions, dispatch_uid="journal.search.functions")
for _opened in connections.all(initialized_only=True):
    if _opened.connection is not None:
        register_sqlite_functions(connection=_opened)

# An article's index also holds the words of its translations that readers
# may see (search/index.py), so a change of these re-indexes its group.
SEARCHED_FIELDS = {
    "title",
    "standfirst",
    "body",
    "status",
    "publish_at",
    "language",
    "translation_of",
}


# The translation group an article was loaded in: when it leaves it, the
# group's other articles must lose its words.
LOADED_GROUP = "_journal_loaded_group"
_UNKNOWN = object()


def remember_group(sender, instance, **kwargs):
    # __dict__, not the attribute: reading a deferred field would cost a query.
    loaded = instance.__dict__.get("translation_of_id", _UNKNOWN)
    setattr(instance, LOADED_GROUP, _UNKNOWN if loaded is _UNKNOWN else loaded or instance.pk)


def read_unknown_group(sender, instance, raw, using, update_fields, **kwargs):
    """Before the row is overwritten, read its group if the instance cannot tell (deferred)."""
    if raw or instance.pk is None or getattr(instance, LOADED_GROUP, None) is not _UNKNOWN:
        return
    stored = sender._base_manager.using(using).filter(pk=instance.pk)
    row = stored.values_list("translation_of_id", flat=True)
    setattr(instance, LOADED_GROUP, next(iter(row), None) or instance.pk)


def article_saved_for_search(sender, instance, using, update_fields, created, **kwargs):
    if update_fields is None or SEARCHED_FIELDS & set(update_fields):
        index_article(instance, using=using)
        left = getattr(instance, LOADED_GROUP, None)
        if not created and left not in (None, _UNKNOWN, instance.original_id):
            index_group(left, using=using)
    setattr(instance, LOADED_GROUP, instance.original_id)


def article_deleting_for_search(sender, instance, using, **kwargs):
    # Read before the deletion sets the translations' link to the original to NULL.
    instance._translations_to_index = translations_to_index(instance, using=using)


def article_deleted_for_search(sender, instance, using, **kwargs):
    unindex_article(instance.pk, using=using)
    if translations := getattr(instance, "_translations_to_index", None):
        index_articles(translations, using=using)


post_init.connect(remember_group, sender=Article, dispatch_uid="journal.search.remember_group")
pre_save.connect(read_unknown_group, sender=Article, dispatch_uid="journal.search.read_group")
post_save.connect(article_saved_for_search, sender=Article, dispatch_uid="journal.search.saved")


def byline_changed_for_search(sender, instance, using, **kwargs):
    index_articles([instance.article_id], using=using)


def contributor_renaming(sender, instance, raw, using, update_fields, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and "name" not in update_fields):
        return
    stored = sender._base_manager.using(using).filter(pk=instance.pk)
    if stored.exclude(name=instance.name).exists():
        articles = instance.bylines.values_list("article_id", flat=True)
        transaction.on_commit(
            partial(index_articles, list(articles), using=using), using=using, robust=True
        )


post_save.connect(
    byline_changed_for_search, sender=Byline, dispatch_uid="journal.search.byline_saved"
)
post_delete.connect(
    byline_changed_for_search, sender=Byline, dispatch_uid="journal.search.byline_deleted"
)
pre_save.connect(
    contributor_renaming, sender=Contributor, dispatch_uid="journal.search.contributor_renamed"
)
pre_delete.connect(
    article_deleting_for_search, sender=Article, dispatch_uid="journal.search.deleting"
)
post_delete.connect(
    article_deleted_for_search, sender=Article, dispatch_uid="journal.search.deleted"
)


# Related coverage: an article's rows are ranked again when its tags change or
# it is published. Connected to the pre_ signals, so that the rows are written
# before the commit's end of the content generation, which the post_ signals
# register. Writes that bypass signals are caught up by
# `manage.py refresh_related_articles`.
def article_publishing(sender, instance, raw, using, update_fields, **kwargs):
    if raw or instance.pk is None or instance.status != Article.Status.PUBLISHED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    if getattr(instance, content_generation.LOADED_STATUS, None) != Article.Status.PUBLISHED:
        related_articles_refresh_on_commit([instance.pk], using=using)


def article_tags_changing(sender, instance, action, reverse, pk_set, using, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if not reverse:
        related_articles_refresh_on_commit([instance.pk], using=using)
    elif pk_set is not None:
        related_articles_refresh_on_commit(pk_set, using=using)
    else:
        # A country, framework or summit cleared of all its articles.
        tagged = sender.objects.using(using).filter(**{sender_column(sender): instance.pk})
        related_articles_refresh_on_commit(tagged.values_list("article_id", flat=True), using=using)


def sender_column(through) -> str:
    return dict(TAG_TABLES)[through]


pre_save.connect(article_publishing, sender=Article, dispatch_uid="journal.related.publishing")
for through, _column in TAG_TABLES:
    m2m_changed.connect(
        article_tags_changing,
        sender=through,
        dispatch_uid=f"journal.related.{through._meta.label_lower}",
    )


# Staff status follows the newsroom groups (journal/services/staff.py), applied
# once the change commits, to what each account then has: `groups.set()`
# removes before it adds, and the admin's user form saves groups, then
# permissions.
def groups_changed_for_staff(sender, instance, action, reverse, pk_set, using, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # group.user_set.add(...), and the like
        members = instance.user_set.using(using).values_list("pk", flat=True)
        user, user_ids = None, set(members if pk_set is None else pk_set)
        group_ids = {instance.pk}
    else:
        groups = instance.groups.using(using).values_list("pk", flat=True)
        user, user_ids = instance, {instance.pk}
        group_ids = set(groups if pk_set is None else pk_set)
    left = () if action == "post_add" else group_ids
    transaction.on_commit(
        partial(follow_groups, user=user, user_ids=user_ids, left_group_ids=left, using=using),
        using=using,
    )


def follow_groups(*, user, **kwargs):
    changed = staff_follow_groups(**kwargs)
    if user is not None and user.pk in changed:
        user.is_staff = changed[user.pk]  # an account in hand saved later keeps it


m2m_changed.connect(
    groups_changed_for_staff,
    sender=get_user_model().groups.through,
    dispatch_uid="journal.staff.groups_changed",
)


# Cached pages: a change readers can see ends the content generation.
content_generation.connect()
