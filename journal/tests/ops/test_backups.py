"""Backup and restore: a round trip that loses nothing, and refusals that change nothing."""

import datetime
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
import reversion
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from journal.content_generation import current as current_generation
from journal.images.renditions import renditions_for
from journal.models import (
    Article,
    ArticleEvent,
    ArticleSlugHistory,
    Assignment,
    Byline,
    Contributor,
    Correction,
    LibraryImage,
    PreviewLink,
    RelatedArticle,
)
from journal.ops.backups import DATABASE, FORMAT, MANIFEST, VERSION, backed_up_models
from journal.tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    ContributorFactory,
    PublishedArticleFactory,
    image_file,
)
from summits.models import Country, Summit
from summits.tests.factories import (
    BlocFactory,
    CountryFactory,
    FrameworkFactory,
    ParticipantFactory,
    SummitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings) -> Path:
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def archive(tmp_path) -> Path:
    return tmp_path / "backups" / "journal.tar.gz"


@pytest.fixture
def journal(editor, django_capture_on_commit_callbacks):
    """A little of everything a backup must keep, renditions made as a real save makes them."""
    with django_capture_on_commit_callbacks(execute=True):
        kazakhstan, uzbekistan = CountryFactory(code="KZ"), CountryFactory(code="UZ")
        korea = CountryFactory(name="Korea", slug="korea", code="KR")
        bloc = BlocFactory(name="Central Asia", slug="central-asia", code="CA")
        bloc.members.set([kazakhstan, uzbekistan])
        framework = FrameworkFactory(name="Korea-Central Asia", slug="korea-ca", partner=korea)
        framework.members.set([kazakhstan, uzbekistan, korea])
        summit = SummitFactory(
            title="Seoul summit", slug="seoul-summit", framework=framework, host_country=korea
        )
        for country in (kazakhstan, uzbekistan, korea):
            ParticipantFactory(summit=summit, country=country)

        writer = ContributorFactory(
            name="Aigerim Sadykova", photo=image_file("aigerim.jpg", (300, 300)), user=editor
        )
        guest = ContributorFactory(name="Li Wei", kind=Contributor.Kind.GUEST)
        picture = LibraryImage.objects.create(
            image=image_file("ministers.jpg", (800, 600)),
            alt_text="Ministers at the table",
            uploaded_by=editor,
        )
        published = PublishedArticleFactory(
            title="Ministers meet in Astana",
            slug="ministers-meet",
            body=(
                "<p>The ministers met on Monday.</p>"
                f'<figure><img src="{picture.image.url}" alt="Ministers at the table">'
                "<figcaption>The opening session</figcaption></figure>"
            ),
            hero_image=image_file("hero.jpg", (640, 360)),
            hero_alt="The conference hall",
            countries=[kazakhstan, korea],
            frameworks=[framework],
            summits=[summit],
            authors=[writer, guest],
            created_by=editor,
        )
        for title in ("Ministers meet in Seoul", "Ministers meet in Astana and Seoul"):
            with reversion.create_revision():
                reversion.set_user(editor)
                reversion.set_comment(f"Headline: {title}")
                published.title = title
                published.save()
        published.slug = "ministers-meet-in-astana-and-seoul"  # leaves its old slug behind
        published.save()
        Correction.objects.create(
            article=published, text="An earlier version misdated the meeting.", created_by=editor
        )
        ArticleEvent.objects.create(
            article=published,
            action=ArticleEvent.Action.PUBLISHED,
            user=editor,
            publish_at=published.publish_at,
        )
        draft = ArticleFactory(title="Water talks, a draft", countries=[uzbekistan])
        Byline.objects.create(article=draft, contributor=guest, role=Byline.Role.TRANSLATOR)
        PreviewLink.objects.create(
            article=draft, created_by=editor, expires_at=timezone.now() + datetime.timedelta(days=3)
        )
        # An assignment with its summit, tags, writer and the draft it led to.
        assignment = AssignmentFactory(
            title="Water talks", assigned_to=editor, summit=summit, countries=[uzbekistan]
        )
        Assignment.objects.filter(pk=assignment.pk).update(assigned_by=editor, article=draft)
        LogEntry.objects.log_actions(
            user_id=editor.pk,
            queryset=[draft],
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": ["Title"]}}],
            single_object=True,
        )
    return {"editor": editor, "article": published, "draft": draft, "summit": summit}


def rows() -> dict[str, list[dict]]:
    """Every backed-up row as serialized data, with content types and users by natural key."""
    return {
        model._meta.label_lower: serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        for model in backed_up_models()
    }


def files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def fresh_install(media):
    """Make this an empty, migrated install: no rows, no files, content types under new ids."""

    def wipe() -> None:
        if connection.vendor == "postgresql":
            # The test's own writes leave foreign-key checks pending, and
            # TRUNCATE refuses to run while any are.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        ContentType.objects.filter(app_label="journal").delete()
        ContentType.objects.create(app_label="elsewhere", model="placeholder")
        journal_app = apps.get_app_config("journal")
        create_contenttypes(journal_app, verbosity=0)
        create_permissions(journal_app, verbosity=0)
        shutil.rmtree(media)

    yield wipe
    # The ids cached for the new content types go with the test's transaction.
    ContentType.objects.clear_cache()


def manifest_of(path: Path) -> dict:
    with tarfile.open(path) as tar:
        return json.load(tar.extractfile(MANIFEST))


def rewritten(source: Path, target: Path, *, manifest=None, database=None, extra=()) -> Path:
    """A copy of an archive with its manifest or rows changed, or members added at the end."""
    with tarfile.open(source) as original, tarfile.open(target, "w:gz") as tar:
        for member in original:
            data = original.extractfile(member).read() if member.isfile() else None
            if member.name == MANIFEST and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            if member.name == DATABASE and database is not None:
                data = database(data)
            member.size = len(data or b"")
            tar.addfile(member, io.BytesIO(data) if data is not None else None)
        for info, file in extra:
            tar.addfile(info, file)
    return target


def member(name, *, kind=tarfile.REGTYPE, data=b"", link=""):
    """A tar member as `TarFile.addfile()` takes it: its header, and its content if a file."""
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    if kind != tarfile.REGTYPE:
        return info, None
    info.size = len(data)
    return info, io.BytesIO(data)


# The round trip


def test_a_round_trip_through_an_empty_install_loses_nothing(
    client, journal, media, archive, fresh_install, django_capture_on_commit_callbacks
):
    article = journal["article"]
    before_rows, before_files = rows(), files(media)
    versions = list(Version.objects.get_for_object(article).values_list("serialized_data"))
    assert len(versions) == 2
    assert renditions_for(article.hero_image.name) is not None
    assert ArticleSlugHistory.objects.filter(old_slug="ministers-meet").exists()
    article_type = ContentType.objects.get_for_model(Article).pk

    call_command("backup", output=archive, stdout=io.StringIO())
    fresh_install()
    assert not Article.objects.exists()
    assert ContentType.objects.get_for_model(Article).pk != article_type
    generation = current_generation().id

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("restore", archive, stdout=out)

    assert rows() == before_rows
    assert files(media) == before_files
    assert list(Version.objects.get_for_object(article).values_list("serialized_data")) == versions
    restored_versions = Version.objects.get_for_object(article).order_by("pk")
    assert [v.field_dict["title"] for v in restored_versions] == [
        "Ministers meet in Seoul",
        "Ministers meet in Astana and Seoul",
    ]
    assert restored_versions[0].revision.user.username == "editor"
    assert LogEntry.objects.get().get_edited_object() == journal["draft"]
    assert Summit.objects.get().participants.count() == 3
    assignment = Assignment.objects.get()
    assert (assignment.article, assignment.summit.slug) == (journal["draft"], "seoul-summit")
    assert assignment.assigned_to.username == assignment.assigned_by.username == "editor"
    assert [country.code for country in assignment.countries.all()] == ["UZ"]
    assert current_generation().id != generation
    assert "Restored" in out.getvalue()
    assert "journal.article: 2" in out.getvalue()

    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Ministers meet in Astana and Seoul" in page.text
    assert "An earlier version misdated the meeting." in page.text
    assert "Aigerim Sadykova" in page.text
    renditions = renditions_for(article.hero_image.name)
    assert renditions is not None
    assert f"/media/{renditions.name(renditions.widths[0], 'webp')}" in page.text
    assert LibraryImage.objects.get().image.url in page.text
    image = client.get(article.hero_image.url)
    assert image.status_code == 200
    assert b"".join(image.streaming_content) == before_files[article.hero_image.name]
    assert client.get("/en/articles/ministers-meet/").status_code == 301
    found = client.get(reverse("journal:search"), {"q": "Seoul"})
    assert "Ministers meet in Astana and Seoul" in found.text
    assert ArticleFactory().pk > journal["draft"].pk  # the id sequences were moved on


def test_the_archive_holds_a_manifest_the_rows_and_every_file(journal, media, archive):
    out = io.StringIO()
    call_command("backup", output=archive, stdout=out)

    assert archive.stat().st_mode & 0o777 == 0o600  # it holds password hashes
    manifest = manifest_of(archive)
    assert (manifest["format"], manifest["version"]) == (FORMAT, VERSION)
    assert manifest["database"] == connection.vendor
    assert manifest["counts"]["journal.article"] == 2
    assert manifest["counts"]["reversion.version"] == Version.objects.count() > 0
    assert manifest["counts"]["summits.participant"] == 3
    assert "contenttypes.contenttype" not in manifest["counts"]
    assert "auth.permission" not in manifest["counts"]
    assert "sessions.session" not in manifest["counts"]
    assert manifest["media_files"] == len(files(media)) > 3
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[:2] == [MANIFEST, DATABASE]
    assert sorted(names[2:]) == sorted(f"media/{name}" for name in files(media))
    assert f"Wrote {archive}" in out.getvalue()
    assert "journal.article: 2" in out.getvalue()


def test_by_default_the_archive_goes_to_var_backups_under_a_timestamp(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    out = io.StringIO()
    call_command("backup", stdout=out)

    (written,) = (tmp_path / "var" / "backups").iterdir()
    assert written.name.startswith(f"journal-{timezone.localdate():%Y-%m-%d}-")
    assert written.name.endswith(".tar.gz")
    assert str(written) in out.getvalue()


def test_an_archive_is_not_written_where_it_would_be_served(media):
    with pytest.raises(CommandError, match="inside MEDIA_ROOT"):
        call_command("backup", output=media / "backup.tar.gz")
    assert not media.exists() or not any(media.iterdir())


def test_force_replaces_the_database_and_the_files(journal, media, archive):
    call_command("backup", output=archive, stdout=io.StringIO())
    before_rows, before_files = rows(), files(media)
    Article.objects.filter(pk=journal["article"].pk).update(title="Changed since")
    ArticleFactory(title="Written after the backup", hero_image=image_file("later.jpg"))
    stray = media / "articles" / "stray.txt"
    stray.write_text("not in the archive")

    call_command("restore", archive, force=True, stdout=io.StringIO())

    assert rows() == before_rows
    assert files(media) == before_files
    assert not [path for path in media.iterdir() if path.name.startswith(".restore-")]


def test_a_restore_ranks_related_coverage_again(
    journal, media, archive, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PublishedArticleFactory(
            title="Also on Kazakhstan", countries=[Country.objects.get(code="KZ")]
        )
    related = sorted(RelatedArticle.objects.values_list("article_id", "related_id", "position"))
    assert len(related) == 2  # the two published articles list each other
    call_command("backup", output=archive, stdout=io.StringIO())
    RelatedArticle.objects.all().delete()

    call_command("restore", archive, force=True, stdout=io.StringIO())

    assert sorted(RelatedArticle.objects.values_list("article_id", "related_id", "position")) == (
        related
    )


# Refusals: nothing changes


def test_a_database_with_content_is_refused_without_force(journal, media, archive):
    call_command("backup", output=archive, stdout=io.StringIO())
    before_rows, before_files = rows(), files(media)

    with pytest.raises(CommandError, match=r"already holds content \(.*2 journal.article"):
        call_command("restore", archive)

    assert rows() == before_rows
    assert files(media) == before_files


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, not an archive", "not a gzip-compressed tar archive"),
        (b"", "not a gzip-compressed tar archive"),
    ],
)
def test_a_file_that_is_not_an_archive_is_refused(tmp_path, content, message):
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("restore", garbage)


def test_a_tar_that_is_not_ours_is_refused(tmp_path):
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        tar.addfile(*member("notes.txt", data=b"hello"))
    with pytest.raises(CommandError, match="does not begin with manifest.json"):
        call_command("restore", other)


def test_an_archive_of_another_format_or_version_is_refused(archive, tmp_path):
    call_command("backup", output=archive, stdout=io.StringIO())

    other_format = rewritten(
        archive, tmp_path / "a.tar.gz", manifest=lambda m: {**m, "format": "someone-else"}
    )
    with pytest.raises(CommandError, match="not of the diplomacy-journal-backup format"):
        call_command("restore", other_format)

    newer = rewritten(archive, tmp_path / "b.tar.gz", manifest=lambda m: {**m, "version": 99})
    with pytest.raises(CommandError, match="format version 99"):
        call_command("restore", newer)


def test_an_archive_from_a_newer_schema_is_refused(archive, tmp_path):
    call_command("backup", output=archive, stdout=io.StringIO())

    def future(manifest):
        manifest["migrations"]["journal"].append("9999_from_the_future")
        return manifest

    newer = rewritten(archive, tmp_path / "newer.tar.gz", manifest=future)
    with pytest.raises(CommandError, match=r"newer version.*journal.9999_from_the_future"):
        call_command("restore", newer)


@pytest.mark.parametrize(
    "evil",
    [
        member("media/../evil", data=b"outside"),
        member("../evil", data=b"outside"),
        member("media/articles/../../evil", data=b"outside"),
        member("/tmp/evil", data=b"outside"),
        member("media/evil", kind=tarfile.SYMTYPE, link="../../evil"),
        member("media/evil", kind=tarfile.LNKTYPE, link="manifest.json"),
        member("media/evil", kind=tarfile.FIFOTYPE),
        member("elsewhere/evil", data=b"outside"),
    ],
    ids=["dot-dot", "parent", "nested-dot-dot", "absolute", "symlink", "hardlink", "fifo", "other"],
)
def test_an_unsafe_member_is_refused_and_nothing_changes(journal, media, archive, tmp_path, evil):
    call_command("backup", output=archive, stdout=io.StringIO())
    Article.objects.filter(pk=journal["article"].pk).update(title="Changed since")
    before_rows, before_files = rows(), files(media)
    tampered = rewritten(archive, tmp_path / "tampered.tar.gz", extra=[evil])

    with pytest.raises(CommandError, match="nothing was changed|Nothing was changed"):
        call_command("restore", tampered, force=True)

    assert rows() == before_rows
    assert files(media) == before_files
    assert not list(tmp_path.rglob("evil"))
    assert not [path for path in media.iterdir() if path.name.startswith(".restore-")]


def test_rows_that_fail_to_load_leave_everything_as_it_was(journal, media, archive, tmp_path):
    call_command("backup", output=archive, stdout=io.StringIO())
    Article.objects.filter(pk=journal["article"].pk).update(title="Changed since")
    before_rows, before_files = rows(), files(media)

    def broken(data):
        """The last byline credits a contributor who does not exist."""
        lines = data.splitlines()
        last = max(i for i, line in enumerate(lines) if b'"journal.byline"' in line)
        row = json.loads(lines[last])
        row["fields"]["contributor"] = 424242
        lines[last] = json.dumps(row).encode()
        return b"\n".join(lines) + b"\n"

    tampered = rewritten(archive, tmp_path / "broken.tar.gz", database=broken)
    with pytest.raises(CommandError, match="could not be restored, nothing was changed"):
        call_command("restore", tampered, force=True)

    assert rows() == before_rows
    assert files(media) == before_files


def test_rows_that_do_not_match_the_manifest_are_refused(journal, media, archive, tmp_path):
    call_command("backup", output=archive, stdout=io.StringIO())
    before_rows = rows()

    def more_articles(manifest):
        manifest["counts"]["journal.article"] += 1
        return manifest

    altered = rewritten(archive, tmp_path / "altered.tar.gz", manifest=more_articles)
    with pytest.raises(CommandError, match="do not match its manifest"):
        call_command("restore", altered, force=True)
    assert rows() == before_rows
