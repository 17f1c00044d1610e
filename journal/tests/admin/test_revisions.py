"""Article revisions: kept on every save, compared, restored without bypassing the workflow."""

import datetime
from html.parser import HTMLParser

import pytest
import reversion
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from journal.admin.history import ArticleHistoryMixin, ContributorHistoryMixin
from journal.images.renditions import renditions_for
from journal.models import Article, ArticleEvent, Contributor, Correction
from journal.services.workflow import article_publish
from journal.tests.factories import (
    ArticleFactory,
    ContributorFactory,
    article_post_data,
    image_file,
)
from summits.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:journal_article_change", args=[article.pk])


def history_url(article):
    return reverse("admin:journal_article_history", args=[article.pk])


def compare_url(article, a, b):
    url = reverse("admin:journal_article_compare", args=[article.pk])
    return f"{url}?a={a.pk}&b={b.pk}"


def restore_url(article, version):
    return reverse("admin:journal_article_revision", args=[article.pk, version.pk])


def versions(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision").order_by("pk"))


class FormFields(HTMLParser):
    """What a browser would post from the form with the given id."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.append(
                (attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.data.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data.append((self.textarea, ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            name, text = self.data.pop()
            self.data.append((name, text + data))


def posted_form(response, form_id="article_form"):
    """The form on `response`'s page as the browser would post it, unchanged."""
    parser = FormFields(form_id)
    parser.feed(response.text)
    data = {}
    for name, value in parser.data:
        if "__prefix__" in name:
            continue
        data.setdefault(name, []).append(value.removeprefix("\n"))
    return data


def save_in_admin(client, article, **changes):
    """Open the article's change form, change fields, and save it."""
    data = posted_form(client.get(change_url(article)))
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    article.refresh_from_db()
    return article


@pytest.fixture
def revised_article(editor, client):
    """A published article saved twice in the admin: headline, body, byline and tag changed."""
    client.force_login(editor)
    first, second = ContributorFactory(name="Aigerim Sadykova"), ContributorFactory(name="Li Wei")
    kazakhstan, korea = CountryFactory(code="KZ"), CountryFactory(name="Korea")
    publish_at = (timezone.now() - datetime.timedelta(days=2)).replace(microsecond=0)
    article = ArticleFactory(
        title="Ministers meet in Astana",
        body="<p>The ministers met on Monday.</p><p>They signed a water accord.</p>",
        status=Article.Status.PUBLISHED,
        publish_at=publish_at,
        countries=[kazakhstan],
        authors=[first],
    )
    save_in_admin(client, article)
    Correction.objects.create(article=article, text="An earlier version misdated the meeting.")
    byline = article.bylines.get()
    save_in_admin(
        client,
        article,
        title="Ministers meet in Seoul",
        body="<p>The ministers met on Monday.</p><p>They signed an energy accord.</p>",
        countries=[str(korea.pk)],
        **{"bylines-0-contributor": [str(second.pk)], "bylines-0-id": [str(byline.pk)]},
    )
    return article


def test_article_and_contributor_admins_keep_revisions():
    assert isinstance(admin.site._registry[Article], ArticleHistoryMixin), (
        "Add ArticleHistoryMixin to the bases of ArticleAdmin."
    )
    assert isinstance(admin.site._registry[Contributor], ContributorHistoryMixin), (
        "Add ContributorHistoryMixin to the bases of ContributorAdmin."
    )


def test_each_admin_save_keeps_a_revision_with_who_and_when(client, editor):
    client.force_login(editor)
    before = timezone.now()
    response = client.post(reverse("admin:journal_article_add"), article_post_data())
    assert response.status_code == 302
    article = Article.objects.get()
    save_in_admin(client, article, title="Ministers meet again")

    first, second = versions(article)
    assert (first.revision.user, second.revision.user) == (editor, editor)
    assert before <= first.revision.date_created <= second.revision.date_created <= timezone.now()
    assert first.revision.get_comment() == "Added."
    assert "Title" in second.revision.get_comment()
    assert first.field_dict["title"] == "Ministers meet in Astana"
    assert second.field_dict["title"] == "Ministers meet again"


def test_list_action_keeps_a_revision_of_each_article(client, editor):
    client.force_login(editor)
    ready = ArticleFactory(countries=[CountryFactory()], authors=[ContributorFactory()])
    client.post(
        reverse("admin:journal_article_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk]},
    )
    (version,) = versions(ready)
    assert version.field_dict["status"] == Article.Status.PUBLISHED
    assert version.revision.user == editor
    assert version.revision.get_comment().startswith("List action: Publish selected")


def test_history_lists_every_revision_to_compare(client, revised_article):
    response = client.get(history_url(revised_article))
    assert response.status_code == 200
    assert response.text.count('name="a"') == 2
    assert response.text.count('name="b"') == 2
    assert "Compare A ↔ B" in response.text
    assert "Changed Title" in response.text
    older = versions(revised_article)[0]
    assert f'href="{restore_url(revised_article, older)}"' in response.text


def test_history_page_queries_do_not_grow_with_revisions(
    client, revised_article, django_assert_max_num_queries
):
    for number in range(5):
        save_in_admin(client, revised_article, title=f"Ministers meet, take {number}")
    # 13: 12, and one for whether the user has a two-factor device.
    with django_assert_max_num_queries(13):
        assert client.get(history_url(revised_article)).status_code == 200


def test_compare_shows_changed_lines_bylines_and_tags(client, revised_article):
    old, new = versions(revised_article)
    response = client.get(compare_url(revised_article, new, old))  # either order reads old → new
    assert response.status_code == 200
    text = response.text
    assert "<del>Ministers meet in <mark>Astana</mark></del>" in text
    assert "<ins>Ministers meet in <mark>Seoul</mark></ins>" in text
    # Body lines are its paragraphs' words, never markup; the unchanged one is context.
    assert "The ministers met on Monday." in text
    assert "&lt;p&gt;" not in text
    assert "signed <mark>a water</mark> accord" in text
    assert "signed <mark>an energy</mark> accord" in text
    assert "<del><mark>Aigerim Sadykova</mark> (Author)</del>" in text
    assert "<ins><mark>Li Wei</mark> (Author)</ins>" in text
    assert "<del><mark>Kazakhstan</mark></del>" in text
    assert "<ins><mark>Korea</mark></ins>" in text
    assert "Unchanged:" in text and "Status" in text.split("Unchanged:")[1]


def test_compare_escapes_what_editors_typed(client, revised_article):
    save_in_admin(client, revised_article, title="<script>alert(1)</script>")
    old, new = versions(revised_article)[-2:]
    response = client.get(compare_url(revised_article, old, new))
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_compare_refuses_revisions_of_another_article(client, revised_article):
    other = ArticleFactory()
    save_in_admin(client, other)
    response = client.get(
        compare_url(revised_article, versions(revised_article)[0], *versions(other))
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_history_needs_permission_to_view_articles(client, make_user, revised_article):
    client.force_login(make_user("desk", "Summit desk"))
    old, new = versions(revised_article)
    assert client.get(history_url(revised_article)).status_code == 403
    assert client.get(compare_url(revised_article, old, new)).status_code == 403
    assert client.get(restore_url(revised_article, old)).status_code == 403


def test_opening_the_restore_form_changes_nothing(client, revised_article):
    old = versions(revised_article)[0]
    response = client.get(restore_url(revised_article, old))
    assert response.status_code == 200
    assert 'value="Ministers meet in Astana"' in response.text
    assert "stay as they are now" in response.text
    revised_article.refresh_from_db()
    assert revised_article.title == "Ministers meet in Seoul"
    assert revised_article.bylines.get().contributor.name == "Li Wei"
    assert list(revised_article.countries.values_list("name", flat=True)) == ["Korea"]


def test_restore_brings_back_content_but_keeps_workflow_and_corrections(
    client, editor, revised_article
):
    old, _ = versions(revised_article)
    # Since that revision the publish time moved, and the article was saved; a restore keeps it.
    new_time = (timezone.now() - datetime.timedelta(hours=3)).replace(microsecond=0)
    article_publish(article=revised_article, user=editor, at=new_time)
    save_in_admin(client, revised_article)
    events = ArticleEvent.objects.count()

    form = client.get(restore_url(revised_article, old))
    response = client.post(restore_url(revised_article, old), posted_form(form))
    assert response.status_code == 302, response.context["errors"] if response.context else ""

    article = Article.objects.get(pk=revised_article.pk)
    assert article.title == "Ministers meet in Astana"
    assert "water accord" in article.body
    assert [b.contributor.name for b in article.bylines.all()] == ["Aigerim Sadykova"]
    assert list(article.countries.values_list("name", flat=True)) == ["Kazakhstan"]
    assert (article.status, article.publish_at) == (Article.Status.PUBLISHED, new_time)
    assert article.slug == revised_article.slug
    assert article.corrections.count() == 1
    assert ArticleEvent.objects.count() == events  # no workflow move happened

    latest = versions(article)[-1]
    assert len(versions(article)) == 4
    assert latest.revision.user == editor
    assert latest.revision.get_comment().startswith("Restored the version of")
    assert latest.field_dict["title"] == "Ministers meet in Astana"


def test_restore_of_a_revision_with_another_status_does_not_move_the_article(
    client, editor, revised_article
):
    # The first revision was a draft: restoring it must not unpublish.
    first = versions(revised_article)[0]
    first.serialized_data = first.serialized_data.replace('"published"', '"draft"')
    first.save()
    form = client.get(restore_url(revised_article, first))
    assert '<div class="readonly">Published</div>' in form.text
    client.post(restore_url(revised_article, first), posted_form(form))
    revised_article.refresh_from_db()
    assert revised_article.status == Article.Status.PUBLISHED
    assert revised_article in Article.objects.published()


def test_restore_still_refuses_a_version_saved_after_the_form_was_opened(client, revised_article):
    old = versions(revised_article)[0]
    opened = posted_form(client.get(restore_url(revised_article, old)))
    save_in_admin(client, revised_article, title="A colleague's headline")

    response = client.post(restore_url(revised_article, old), opened)
    assert response.status_code == 200
    assert "after you opened it" in response.text
    revised_article.refresh_from_db()
    assert revised_article.title == "A colleague's headline"


def test_writer_restores_own_draft_but_not_others_articles(client, writer, editor):
    client.force_login(editor)
    own = ArticleFactory(title="My first headline", created_by=writer)
    theirs = ArticleFactory(title="Their headline", created_by=editor)
    for article in (own, theirs):
        save_in_admin(client, article)  # as the editor
        save_in_admin(client, article, title=article.title + ", revised")
    client.force_login(writer)

    old = versions(theirs)[0]
    assert client.get(history_url(theirs)).status_code == 200  # writers may read
    assert "Restore…" not in client.get(history_url(theirs)).text
    assert client.get(restore_url(theirs, old)).status_code == 403
    assert client.post(restore_url(theirs, old), {"title": "Defaced"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.title == "Their headline, revised"

    old = versions(own)[0]
    form = client.get(restore_url(own, old))
    assert client.post(restore_url(own, old), posted_form(form)).status_code == 302
    own.refresh_from_db()
    assert own.title == "My first headline"


def test_writer_cannot_restore_own_article_once_submitted(client, writer, editor):
    client.force_login(editor)
    article = ArticleFactory(title="Draft headline", created_by=writer)
    save_in_admin(client, article)
    save_in_admin(client, article, title="Submitted headline", workflow_step="submit")
    client.force_login(writer)
    # The old revision was a draft the writer could edit; what counts is the article now.
    assert client.get(restore_url(article, versions(article)[0])).status_code == 403


def test_restore_says_what_cannot_come_back_and_keeps_publishing_rules(client, revised_article):
    old = versions(revised_article)[0]
    Contributor.objects.get(name="Aigerim Sadykova").delete()  # credited then, not now
    response = client.get(restore_url(revised_article, old))
    assert "1 byline(s) could not come back" in response.text

    # Left without a byline, the published article cannot be saved: nothing changes.
    response = client.post(restore_url(revised_article, old), posted_form(response))
    assert response.status_code == 200
    assert "Add at least one byline before publishing." in response.text
    revised_article.refresh_from_db()
    assert revised_article.title == "Ministers meet in Seoul"
    assert [b.contributor.name for b in revised_article.bylines.all()] == ["Li Wei"]


def test_recovering_deleted_articles_is_not_offered(client, revised_article):
    assert client.get(reverse("admin:journal_article_recoverlist")).status_code == 404
    assert "Recover deleted" not in client.get(reverse("admin:journal_article_changelist")).text


def test_contributor_restore_keeps_address_and_login(admin_client, django_user_model):
    login = django_user_model.objects.create_user(username="aigerim")
    contributor = ContributorFactory(name="Aigerim Sadykova", bio="Former ambassador.")
    url = reverse("admin:journal_contributor_change", args=[contributor.pk])
    data = posted_form(admin_client.get(url), form_id="contributor_form")
    assert admin_client.post(url, data).status_code == 302
    data.update(bio=["Ambassador, retired."], slug=["aigerim"], user=[str(login.pk)])
    assert admin_client.post(url, data).status_code == 302

    old = versions(contributor)[0]
    revert = reverse("admin:journal_contributor_revision", args=[contributor.pk, old.pk])
    history = admin_client.get(reverse("admin:journal_contributor_history", args=[contributor.pk]))
    assert f'href="{revert}"' in history.text
    form = admin_client.get(revert)
    assert (
        admin_client.post(revert, posted_form(form, form_id="contributor_form")).status_code == 302
    )
    contributor.refresh_from_db()
    assert (contributor.bio, contributor.slug, contributor.user) == (
        "Former ambassador.",
        "aigerim",
        login,
    )


def test_an_unreadable_revision_is_reported_not_a_server_error(client, revised_article):
    old, new = versions(revised_article)
    Version.objects.filter(pk=old.pk).update(serialized_data="not json")
    response = client.get(compare_url(revised_article, old, new))
    assert response.status_code == 400
    assert "Could not load" in response.text
    response = client.get(restore_url(revised_article, old), follow=True)
    assert response.redirect_chain[-1][0] == history_url(revised_article)
    assert "Could not load" in response.text


def test_restoring_an_earlier_image_brings_back_its_renditions(
    client, revised_article, django_capture_on_commit_callbacks
):
    article = revised_article
    for name in ("first.jpg", "second.jpg"):
        with django_capture_on_commit_callbacks(execute=True), reversion.create_revision():
            article.hero_image, article.hero_alt = image_file(name), f"Photo {name}"
            article.save()
    first, second = versions(article)[-2:]
    first_name, second_name = first.field_dict["hero_image"].name, article.hero_image.name
    assert renditions_for(first_name) is None  # dropped when it was replaced

    with django_capture_on_commit_callbacks(execute=True):
        form = posted_form(client.get(restore_url(article, first)))
        assert client.post(restore_url(article, first), form).status_code == 302

    article.refresh_from_db()
    assert (article.hero_image.name, article.hero_alt) == (first_name, "Photo first.jpg")
    assert renditions_for(first_name) is not None
    assert renditions_for(second_name) is None
