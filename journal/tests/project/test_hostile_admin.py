"""Hostile input to the newsroom's and the summit desk's admin: form errors, never a 500.

Every admin change form is posted as the browser would send it, with
hypothesis-drawn values in some of its fields (oversized text, impossible
dates, markup, huge numbers, NUL, unicode), its inlines and management
fields included. A refused form answers 200 with its errors and leaves what
was saved exactly as it was; an accepted one stores only clean values. The
named cases (oversized fields, invalid dates, hostile body HTML, bad images)
are spelled out below, and every changelist meets hostile query strings.
"""

import datetime
import html.parser
import re
import struct
import zlib

import pytest
from django.contrib import admin
from django.forms.models import _get_foreign_key
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.images.uploads import checked_image
from journal.models import Article, Contributor, LibraryImage
from journal.tests.factories import ArticleFactory, ContributorFactory
from journal.tests.images.test_uploads import noisy_jpeg, picture, upload
from journal.tests.project.test_hostile_input import FORBIDDEN, encoded, hostile_text, raw_bytes
from summits.models import Country, Framework, Participant, Summit
from summits.tests.factories import CountryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

OVERSIZED = ["x" * 256, "y" * 1001, "\u0416" * 5000, "<b>" * 2000]
INVALID_DATES = [
    "2024-13-45",
    "not a date",
    "0000-01-01",
    "99999-01-01",
    "00/00/0000",
    "32/01/2024",
    "29/02/2023",
    "25:61:61",
    "24:00",
    "-1",
    "1e10",
]
# Real days, at the ends of what a date can be.
EXTREME_DATES = ["01/01/0001", "0001-01-01", "31/12/9999", "9999-12-31", "00:00:00", "23:59:59"]
HOSTILE_HTML = [
    "<script>alert(1)</script><p>text</p>",
    '<p onclick="alert(1)" onmouseover=alert(1)>text</p>',
    '<a href="javascript:alert(1)">link</a>',
    '<a href=" jav&#x09;ascript:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    "<img src=x onerror=alert(1)>",
    '<img src="/media/images/a.png" alt="a" onerror="alert(1)">',
    '<img src="/media/../../etc/passwd" alt="x">',
    '<p style="background:url(javascript:alert(1))">text</p>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://example.com"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<script>alert(1)</script>--><p>text</p>",
    "<p>unclosed <strong>bold <em>italic",
    "<<p>>text<</p>>",
    '<p title="x" hostile-attr="1">text</p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]
# What a field may be sent. (A browser sends UTF-8; the test client cannot post
# lone surrogates, and Django reads undecodable bytes as U+FFFD.)
field_values = st.one_of(
    hostile_text,
    st.sampled_from(OVERSIZED + INVALID_DATES + EXTREME_DATES + HOSTILE_HTML),
    st.integers(min_value=256, max_value=20_000).map(lambda n: "z" * n),
)


class AdminFormParser(html.parser.HTMLParser):
    """What a browser would post from the admin's change form: its fields and their values."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the newline that follows <textarea>.
            self.data.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_data(client: Client, url: str, model) -> dict[str, list[str]]:
    """The form at `url` as a browser would post it unchanged."""
    page = client.get(url)
    assert page.status_code == 200, url
    parser = AdminFormParser(f"{model._meta.model_name}_form")
    parser.feed(page.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        if "__prefix__" not in name:  # the template for an extra inline
            data.setdefault(name, []).append(value)
    assert data, f"no form found at {url}"
    return data


@pytest.fixture
def saved(one_of_each):
    """A row of each model in the admin, with what their forms require filled in."""
    one_of_each["framework"].members.add(one_of_each["country"])
    return one_of_each


def snapshot(model_admin, obj) -> dict:
    """Everything an object's change form can change: its row, its tags and its inlines' rows."""
    model = type(obj)
    state = {"row": model.objects.filter(pk=obj.pk).values().get()}
    for field in model._meta.many_to_many:
        state[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    for inline in model_admin.inlines:
        fk = _get_foreign_key(model, inline.model, fk_name=inline.fk_name)
        rows = inline.model.objects.filter(**{fk.name: obj.pk}).order_by("pk").values()
        state[inline.model._meta.label] = list(rows)
    return state


def form_errors(response) -> list:
    """The errors a refused admin form shows: its own and its inlines'."""
    context = response.context
    if context is None or "adminform" not in context:
        return []
    errors = [context["adminform"].form.errors]
    for inline in context.get("inline_admin_formsets", []):
        errors += [*inline.formset.errors, inline.formset.non_form_errors()]
    return [error for error in errors if error]


def unescaped(response) -> list[str]:
    body = response.content.decode(errors="replace")
    return [marker for marker in FORBIDDEN if marker in body]


SCRIPTING = re.compile(r"<script|<iframe|<svg|<style|\son\w+\s*=|javascript:|data:", re.I)


def assert_stored_values_are_clean(obj) -> None:
    model = type(obj)
    fields = [field.attname for field in model._meta.concrete_fields]
    row = model.objects.filter(pk=obj.pk).values(*fields).get()  # translated columns too
    for field in model._meta.concrete_fields:
        value = row[field.attname]
        if isinstance(value, str):
            assert "\x00" not in value, field.name
            if getattr(field, "max_length", None):
                assert len(value) <= field.max_length, field.name
    if model is Article:
        assert not SCRIPTING.search(row["body"]), row["body"]


# Who edits what: the desk that owns the model, and a superuser for everything.
DESKS = {
    "journal": "Editors",
    "summits": "Summit desk",
}
NEWSROOM_FORMS = [
    "journal.article",
    "journal.assignment",
    "journal.contributor",
    "journal.libraryimage",
    "summits.summit",
    "summits.country",
    "summits.framework",
]


def registered(label: str):
    return next(model for model in admin.site._registry if model._meta.label_lower == label)


def changeable_models() -> list[str]:
    """Every model of ours whose change form the admin offers (read-only lists have none)."""
    labels = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in DESKS:
            continue
        if type(model_admin).has_change_permission is not admin.ModelAdmin.has_change_permission:
            # Its own rule; the articles' is for writers, the others' refuse everyone.
            if model is not Article:
                continue
        labels.append(model._meta.label_lower)
    return sorted(labels)


@pytest.fixture
def desk_client(request, staff) -> Client:
    """A client logged in as the parametrized `role`: a superuser, or a member of a desk's group."""
    role = request.node.callspec.params["role"]
    return request.getfixturevalue("admin_client") if role == "superuser" else staff(role)


@pytest.mark.parametrize("label", changeable_models())
def test_each_change_form_as_parsed_saves_unchanged(admin_client, saved, label):
    """The fuzzing starts from a form the admin accepts: a refusal is the input's doing."""
    model = registered(label)
    obj = saved[model._meta.model_name]
    before = snapshot(admin.site._registry[model], obj)
    response = admin_client.post(change_url(obj), form_data(admin_client, change_url(obj), model))
    assert response.status_code == 302, form_errors(response)
    after = snapshot(admin.site._registry[model], obj)
    for state in (before, after):
        state["row"].pop("updated_at", None)
        # The form shows times to the second.
        for key, value in state["row"].items():
            if isinstance(value, datetime.datetime):
                state["row"][key] = value.replace(microsecond=0)
    assert after == before


def test_every_newsroom_and_summit_desk_form_is_fuzzed():
    assert set(NEWSROOM_FORMS) <= set(changeable_models())


@pytest.mark.parametrize(
    ("label", "role"),
    [(label, "superuser") for label in changeable_models()]
    + [(label, DESKS[label.split(".")[0]]) for label in NEWSROOM_FORMS],
)
@given(data=st.data())
def test_a_hostile_change_form_is_refused_or_saved_clean(
    label,
    role,
    data,
    saved,
    desk_client,
):
    client = desk_client
    model = registered(label)
    model_admin = admin.site._registry[model]
    obj = model.objects.get(pk=saved[model._meta.model_name].pk)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    posted = form_data(client, url, model)
    names = sorted(name for name in posted if name != "csrfmiddlewaretoken")
    # Fields are drawn by number: what the form holds changes as examples save.
    drawn = data.draw(
        st.lists(st.tuples(st.integers(min_value=0), field_values), min_size=1, max_size=4),
        label="changes (field number, value)",
    )
    changes = {names[number % len(names)]: value for number, value in drawn}
    posted.update({name: [value] for name, value in changes.items()})
    before = snapshot(model_admin, obj)

    response = client.post(url, posted)

    assert response.status_code in (200, 302), response.status_code
    assert not unescaped(response)
    if response.status_code == 200:
        assert form_errors(response), "a form answered 200 without an error"
        assert snapshot(model_admin, obj) == before, "a refused form changed what was saved"
    else:
        assert_stored_values_are_clean(obj)


# The named cases, each on its add and its change form.


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def assert_refused(client, url, model, changes, *, fields=None, obj=None):
    """Post the form at `url` with `changes`; it must be refused and change nothing."""
    posted = form_data(client, url, model)
    posted.update(changes)
    count = model.objects.count()
    before = snapshot(admin.site._registry[model], obj) if obj else None
    response = client.post(url, posted)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    errors = form_errors(response)
    assert errors, f"{url} gave no form error for {sorted(changes)}"
    if fields:
        named = {name for error in errors if isinstance(error, dict) for name in error}
        assert named & set(fields), f"{url}: errors {errors} name none of {fields}"
    assert not unescaped(response)
    assert model.objects.count() == count
    if obj is not None:
        assert snapshot(admin.site._registry[model], obj) == before
    return response


# (model, a text field with max_length, a date or time input in its form)
OVERSIZED_FIELDS = {
    Article: ("title", 255),
    Contributor: ("name", 150),
    LibraryImage: ("alt_text", None),
    Summit: ("title_en", 200),
    Country: ("name_en", 100),
    Framework: ("short_name_en", None),
}


@pytest.mark.parametrize("model", list(OVERSIZED_FIELDS), ids=lambda m: m._meta.model_name)
def test_a_field_beyond_its_length_is_a_form_error(admin_client, saved, model):
    name, _ = OVERSIZED_FIELDS[model]
    limit = model._meta.get_field(name).max_length
    obj = saved[model._meta.model_name]
    assert_refused(
        admin_client, change_url(obj), model, {name: "w" * (limit + 1)}, fields=[name], obj=obj
    )
    if model is not LibraryImage:  # its add form needs a file
        assert_refused(admin_client, add_url(model), model, {name: "w" * (limit + 1)})


# Each date input of the forms, as the split date and time widgets name them.
DATE_INPUTS = {
    Article: ["schedule_at_0", "schedule_at_1"],
    Summit: ["start_date", "end_date", "approximate_month"],
    Framework: ["established", "leaders_level_since"],
}


@pytest.mark.parametrize("model", list(DATE_INPUTS), ids=lambda m: m._meta.model_name)
def test_an_impossible_date_is_a_form_error(admin_client, saved, model):
    obj = saved[model._meta.model_name]
    url = change_url(obj)
    for value in INVALID_DATES:
        if model is Article:
            # The day with a good time, and the time with a good day, to schedule for.
            step = {"workflow_step": "schedule"}
            tries = [
                ({**step, "schedule_at_0": value, "schedule_at_1": "10:00:00"}, ["schedule_at"]),
                ({**step, "schedule_at_0": "01/05/2024", "schedule_at_1": value}, ["schedule_at"]),
            ]
        else:
            tries = [(dict.fromkeys(DATE_INPUTS[model], value), DATE_INPUTS[model])]
        for changes, fields in tries:
            response = assert_refused(admin_client, url, model, changes, fields=fields, obj=obj)
            refused = set(response.context["adminform"].form.errors)
            assert set(fields) <= refused, (value, refused)


@pytest.mark.parametrize(
    "value",
    [("01/01/0001", "00:00:00"), ("31/12/9999", "23:59:59"), ("01/01/1900", "00:00:00")],
    ids=["year-1", "year-9999", "year-1900"],
)
def test_a_publish_time_at_the_ends_of_the_calendar_is_refused_or_kept(admin_client, value):
    article = ArticleFactory(countries=[CountryFactory()], authors=[ContributorFactory()])
    day, time = value
    url = change_url(article)
    posted = form_data(admin_client, url, Article)
    posted.update(workflow_step=["schedule"], schedule_at_0=[day], schedule_at_1=[time])
    response = admin_client.post(url, posted)
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    if response.status_code == 200:
        assert form_errors(response)
        assert article.status == Article.Status.DRAFT
    else:
        assert article.status == Article.Status.PUBLISHED


@pytest.mark.parametrize(
    ("day", "time"),
    [
        ("2024-13-45", "10:00:00"),
        ("not a date", "10:00:00"),
        ("00/00/0000", "10:00:00"),
        ("01/05/2024", "25:61:61"),
        # Before the first moment of year 1 in UTC: no database column holds it.
        ("01/01/0001", "00:00:00"),
    ],
)
def test_an_impossible_correction_date_is_a_form_error(admin_client, saved, day, time):
    article = saved["article"]
    url = change_url(article)
    index = int(form_data(admin_client, url, Article)["corrections-TOTAL_FORMS"][0])
    changes = {
        "corrections-TOTAL_FORMS": [str(index + 1)],
        f"corrections-{index}-published_at_0": [day],
        f"corrections-{index}-published_at_1": [time],
        f"corrections-{index}-text": ["A date was wrong."],
    }
    assert_refused(admin_client, url, Article, changes, obj=article)


@pytest.mark.parametrize("value", ["-1", "70000", str(10**30), "1.5", "abc", ""])
def test_impossible_participants_are_a_form_error(admin_client, saved, value):
    summit = saved["summit"]
    url = change_url(summit)
    posted = form_data(admin_client, url, Summit)
    index = int(posted["participations-TOTAL_FORMS"][0])
    changes = {
        "participations-TOTAL_FORMS": [str(index + 1)],
        f"participations-{index}-order": [value or "0"],
        f"participations-{index}-country": [value or "' OR 1=1 --"],
        f"participations-{index}-representative_name": ["n" * 1000],
        f"participations-{index}-representative_title": ["<script>alert(1)</script>"],
    }
    assert_refused(admin_client, url, Summit, changes, obj=summit)


# A count past the formset's limit builds a thousand forms to refuse them: one such is enough.
@pytest.mark.parametrize("total", ["-1", "abc", str(10**30), ""])
def test_a_forged_inline_count_loses_no_participant(admin_client, saved, total):
    summit = saved["summit"]
    url = change_url(summit)
    posted = form_data(admin_client, url, Summit)
    posted["participations-TOTAL_FORMS"] = [total]
    before = list(Participant.objects.filter(summit=summit).values())
    response = admin_client.post(url, posted)
    # Fewer forms than saved rows is a form that does not mention them: they stay.
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert form_errors(response)
    assert list(Participant.objects.filter(summit=summit).values()) == before


@pytest.mark.parametrize("body", HOSTILE_HTML)
def test_hostile_body_html_is_refused_or_stored_clean(admin_client, body):
    article = ArticleFactory()
    url = change_url(article)
    posted = form_data(admin_client, url, Article)
    posted["body"] = [body]
    before = snapshot(admin.site._registry[Article], article)
    response = admin_client.post(url, posted)
    assert response.status_code in (200, 302)
    assert not unescaped(response)
    if response.status_code == 200:
        assert "body" in response.context["adminform"].form.errors
        assert snapshot(admin.site._registry[Article], article) == before
    else:
        article.refresh_from_db()
        assert not SCRIPTING.search(article.body), article.body
        reader = Client().get(reverse("journal:article_preview", args=[article.pk]))
        assert reader.status_code == 302  # readers are sent to log in; staff see it clean
        page = admin_client.get(reverse("journal:article_preview", args=[article.pk]))
        assert page.status_code == 200
        assert not unescaped(page)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header for an image of this size, and no pixels: a decompression bomb's shape."""
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + ihdr
        + struct.pack(">I", zlib.crc32(ihdr))
        + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )


BAD_IMAGES = {
    "text-named-jpg": (b"Minutes of the meeting.\n" * 50, "minutes.jpg"),
    "truncated-jpeg": (noisy_jpeg()[:2000], "photo.jpg"),
    "bomb-png-header": (png_claiming(100_000, 100_000), "huge.png"),
    "svg-with-script": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(1)</script></svg>",
        "drawing.svg",
    ),
    "svg-named-png": (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "x.png"),
    "empty": (b"", "empty.jpg"),
    "html-named-gif": (b"GIF89a<script>alert(1)</script>", "x.gif"),
}
# Where each model takes an upload.
IMAGE_FIELDS = {Article: "hero_image", Contributor: "photo", LibraryImage: "image"}


@pytest.mark.parametrize("model", list(IMAGE_FIELDS), ids=lambda m: m._meta.model_name)
def test_a_bad_image_is_a_form_error_and_keeps_the_current_one(admin_client, model):
    field = IMAGE_FIELDS[model]
    good = checked_image(upload=upload(picture("JPEG", (60, 40))))
    if model is Article:
        obj = ArticleFactory(hero_image=good, hero_alt="Ministers")
        url, target, extra = change_url(obj), obj, {"hero_alt": ["Ministers"]}
    elif model is Contributor:
        obj = ContributorFactory(photo=good)
        url, target, extra = change_url(obj), obj, {}
    else:
        # The file of a saved library image is fixed; a new one is a new upload.
        obj = LibraryImage.objects.create(image=good, alt_text="Ministers")
        url, target, extra = add_url(model), None, {"alt_text": ["Ministers"]}
    stored = getattr(obj, field).name
    for bad, (data, name) in BAD_IMAGES.items():
        changes = {**extra, field: upload(data, name, "image/jpeg")}
        response = assert_refused(admin_client, url, model, changes, fields=[field], obj=target)
        assert "<script" not in response.context["adminform"].form.errors.as_text(), bad
        obj.refresh_from_db()
        assert getattr(obj, field).name == stored, bad


def test_a_bad_image_in_the_picker_is_a_form_error(admin_client):
    url = reverse("admin:journal_libraryimage_picker") + "?CKEditorFuncNum=1"
    for data, name in BAD_IMAGES.values():
        response = admin_client.post(
            url, {"image": upload(data, name), "alt_text": "<script>alert(1)</script>"}
        )
        assert response.status_code == 200, name
        assert response.context["upload_form"].errors
        assert not unescaped(response)
    assert not LibraryImage.objects.exists()


# Changelists and the picker with hostile query strings.


def changelist_parameters(model, model_admin) -> list[str]:
    """The parameters a changelist reads, and lookups on its fields that it lets through."""
    names = ["q", "o", "p", "all", "e", "_popup", "_to_field", "_changelist_filters"]
    for entry in model_admin.list_filter:
        if isinstance(entry, tuple):  # (field, filter class), e.g. RelatedOnlyFieldListFilter
            entry = entry[0]
        if isinstance(entry, str):
            names += [f"{entry}__exact", f"{entry}__id__exact", f"{entry}__isnull"]
        else:
            names.append(entry.parameter_name)
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    for field in model._meta.concrete_fields:
        names += [field.name, f"{field.name}__in", f"{field.name}__gt", f"{field.name}__regex"]
    return names


CHANGELISTS = sorted(
    model._meta.label_lower for model in admin.site._registry if model._meta.app_label in DESKS
)


@pytest.mark.parametrize("label", [*CHANGELISTS, "picker"])
@settings(max_examples=2 * settings.default.max_examples)  # cheap: one GET each
@given(data=st.data())
def test_a_changelist_with_a_hostile_query_is_not_a_server_error(
    label,
    data,
    admin_client,
    saved,  # rows, so that every lookup meets a value
):
    if label == "picker":
        url = reverse("admin:journal_libraryimage_picker")
        names = ["CKEditorFuncNum", "q", "uploaded", "page"]
    else:
        model = registered(label)
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        names = changelist_parameters(model, admin.site._registry[model])
    keys = st.one_of(st.sampled_from(names), hostile_text)
    values = st.one_of(
        hostile_text,
        raw_bytes,
        st.sampled_from(["9999", "10000", "0", "12", "31", "13", "1.2.-3", "-1", "abc"]),
    )
    pairs = data.draw(st.lists(st.tuples(keys, values), min_size=1, max_size=5), label="query")
    query = "&".join(f"{encoded(key)}={encoded(value)}" for key, value in pairs)
    response = admin_client.get(f"{url}?{query}")
    assert response.status_code < 500, f"{url}?{query[:300]}"
    assert not unescaped(response)


def test_a_date_hierarchy_past_the_calendar_is_refused(admin_client, saved):
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in DESKS or not model_admin.date_hierarchy:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        field = model_admin.date_hierarchy
        for query in [
            f"{field}__year=9999",
            f"{field}__year=9999&{field}__month=12",
            f"{field}__year=9999&{field}__month=12&{field}__day=31",
            f"{field}__year=0",
            f"{field}__year=2024&{field}__month=13",
            f"{field}__year=2024&{field}__month=2&{field}__day=30",
            f"{field}__year={10**30}",
        ]:
            response = admin_client.get(f"{url}?{query}")
            assert response.status_code in (200, 302), f"{url}?{query}"
            checked += 1
    assert checked >= 5 * 7


@pytest.mark.parametrize(
    "query",
    [
        "q=%27%20OR%201%3D1%20--",
        "o=abc",
        "o=99999.-1.1e3",
        "year=xyz",
        "year=99999",
        "year=-1",
        "status__exact=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "countries__id__exact=abc",
        "countries__id__exact=" + str(10**30),
        "p=-1",
        "p=" + "9" * 5000,
        "title=%00",
        "q=%00",
        "title__regex=(",
        "search_vector=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "created_by=9223372036854775808",
        "id__in=1,99999999999999999999999",
        "publish_at__gt=not-a-date",
    ],
)
def test_the_article_changelist_with_hostile_queries(admin_client, saved, query):
    response = admin_client.get(f"{reverse('admin:journal_article_changelist')}?{query}")
    assert response.status_code in (200, 302, 400), response.status_code
    assert not unescaped(response)


def autocomplete_fields() -> list[tuple[str, str, str]]:
    """(app label, model name, field name) of every autocomplete field in both desks' admins."""
    found = set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in DESKS:
            continue
        for owner, fields in [
            (model, model_admin.autocomplete_fields),
            *((inline.model, inline.autocomplete_fields) for inline in model_admin.inlines),
        ]:
            found |= {
                (owner._meta.app_label, owner._meta.model_name, name)
                for name in fields
                # Logins are searched by Django's own user admin.
                if owner._meta.get_field(name).related_model._meta.app_label in DESKS
            }
    return sorted(found)


@pytest.mark.parametrize("owner", autocomplete_fields(), ids="-".join)
@given(
    term=st.one_of(hostile_text, st.sampled_from(["\x00", "a\x00b", "%", "_"])), page=hostile_text
)
def test_an_autocomplete_search_with_a_hostile_term_is_not_a_server_error(
    admin_client, saved, owner, term, page
):
    app_label, model_name, field_name = owner
    query = {
        "app_label": app_label,
        "model_name": model_name,
        "field_name": field_name,
        "term": term,
        "page": page,
    }
    response = admin_client.get(reverse("admin:autocomplete"), query)
    assert response.status_code in (200, 403, 404), response.status_code
    assert not unescaped(response)


def test_an_autocomplete_search_for_nul_is_not_a_server_error(admin_client, saved):
    for app_label, model_name, field_name in autocomplete_fields():
        for term in ["\x00", "Country\x00 0"]:
            query = {
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
            }
            response = admin_client.get(reverse("admin:autocomplete"), query)
            assert response.status_code == 200, (field_name, term)


def test_a_nul_in_any_autocomplete_search_is_no_error(admin_client):
    # Django's own user admin too: the admin site strips the NUL for every model.
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "journal",
            "model_name": "contributor",
            "field_name": "user",
            "term": "a\x00",
        },
    )

    assert response.status_code == 200
    assert "results" in response.json()
