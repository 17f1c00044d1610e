"""Importing plain-text exports: the parser, the service, the command and the admin upload."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from journal.models import Article, Byline, Contributor
from journal.services.imports import ImportOutcome, article_import
from journal.services.plaintext import MAX_EXPORT_BYTES, ExportRejected, decode_export, parse_export
from journal.services.workflow import article_publish
from journal.tests.factories import ContributorFactory, article_post_data
from summits.tests.factories import CountryFactory

SAMPLES = Path(__file__).parent / "import_samples"
IMPORT_URL = "/admin/journal/article/import/"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def parse(text: str):
    return parse_export(decode_export(text.encode()))


def body_of(*lines: str) -> str:
    """An export whose first line is a paragraph, so none of `lines` can be the headline."""
    return "\n".join(["It began with a sentence.", *lines])


# The parser ------------------------------------------------------------------


def test_parser_finds_title_byline_note_and_sections():
    parsed = parse_export(decode_export(sample("eu_ministerial.txt")))
    assert parsed.title == "Samarkand Talks Give the EU–Central Asia Partnership a Working Agenda"
    assert parsed.byline_person == "Aru Bekova"
    assert parsed.outlet == "Diplomacy Journal"
    assert parsed.editors_note.startswith("The following article was contributed by Marta")
    assert parsed.editors_note.endswith("through the Embassy of Uzbekistan in Brussels.")
    assert parsed.contributor_name == "Marta Lindqvist"
    assert (
        parsed.contributor_position == "Senior Fellow at the Baltic Institute for Eurasian Studies"
    )
    assert parsed.channel == "the Embassy of Uzbekistan in Brussels"
    assert parsed.credit_line == "Submitted through the Embassy of Uzbekistan in Brussels"
    assert parsed.subheadings == [
        "Transport Corridors and Critical Raw Materials",
        "Water, Climate and the Aral Sea Basin",
        "What Comes Next",
    ]
    assert len(parsed.paragraphs) == 7
    assert "<h2>What Comes Next</h2>" in parsed.body_html
    assert "–Ed." not in parsed.body_html and "Aru Bekova" not in parsed.body_html


def test_parser_without_title_line_offers_the_first_words():
    parsed = parse_export(decode_export(sample("almaty_untitled.txt")))
    assert parsed.title is None
    assert parsed.provisional_title == "Officials from Kazakhstan, Kyrgyzstan, Tajikistan…"
    assert parsed.subheadings == ["Customs and Transit", "Education"]
    assert parsed.byline_people == () and parsed.editors_note == ""


def test_bom_crlf_blank_lines_spacing_and_straight_quotes_read_the_same():
    original = sample("eu_ministerial.txt")
    messy = b"\xef\xbb\xbf\r\n\r\n" + original.replace(b"\n", b"  \r\n\r\n").replace(
        "’".encode(), b"'"
    ).replace("“".encode(), b'"').replace("”".encode(), b'"')
    clean, other = parse_export(decode_export(original)), parse_export(decode_export(messy))
    assert other.key == clean.key
    assert other.title == clean.title and other.subheadings == clean.subheadings
    assert other.contributor_name == "Marta Lindqvist"


@pytest.mark.parametrize("mark", [" –Ed.", " -Ed.", " —Ed.", " — Ed.", "–Ed", " (–Ed.)"])
def test_editors_note_mark_spellings(mark):
    parsed = parse(
        "By Aru Bekova\n"
        f"This piece was written by Timur Sadykov, a researcher at the Bishkek Policy Lab.{mark}\n"
        "The ministers met on Tuesday."
    )
    assert parsed.editors_note == (
        "This piece was written by Timur Sadykov, a researcher at the Bishkek Policy Lab."
    )
    assert parsed.contributor_name == "Timur Sadykov"
    assert parsed.contributor_position == "Researcher at the Bishkek Policy Lab"
    assert parsed.channel is None and parsed.credit_line == ""
    assert parsed.paragraphs == ["The ministers met on Tuesday."]


def test_editors_note_mark_on_a_line_of_its_own():
    parsed = parse(
        "By Aru Bekova\nContributed by Timur Sadykov, an analyst in Bishkek.\n–Ed.\n"
        "The ministers met on Tuesday."
    )
    assert parsed.editors_note == "Contributed by Timur Sadykov, an analyst in Bishkek."
    assert parsed.contributor_position == "Analyst in Bishkek"
    assert parsed.paragraphs == ["The ministers met on Tuesday."]


def test_editors_note_in_brackets_with_a_position_in_parentheses():
    parsed = parse(
        "[Editor’s note: Contributed by Dr. Lola Karimova (Former Deputy Minister of Foreign "
        "Affairs of Uzbekistan) via the Embassy of Uzbekistan in Seoul.]\n"
        "The ministers met on Tuesday."
    )
    assert parsed.contributor_name == "Lola Karimova"
    assert parsed.contributor_position == "Former Deputy Minister of Foreign Affairs of Uzbekistan"
    assert parsed.credit_line == "Submitted through the Embassy of Uzbekistan in Seoul"


@pytest.mark.parametrize(
    ("line", "people", "outlet"),
    [
        ("By Diplomacy Journal Lee Kap-soo", ("Lee Kap-soo",), "Diplomacy Journal"),
        ("By Diplomacy Journal’s Lee Kap-soo", ("Lee Kap-soo",), "Diplomacy Journal"),
        ("By Lee Kap-soo, Diplomacy Journal", ("Lee Kap-soo",), "Diplomacy Journal"),
        ("BY: Aru Bekova", ("Aru Bekova",), None),
        ("By Aru Bekova and Timur Sadykov", ("Aru Bekova", "Timur Sadykov"), None),
        ("By Farid Nazarov | Central Asia Review", ("Farid Nazarov",), "Central Asia Review"),
        # A surname that is also an agency's name is a surname.
        ("By Michael Bloomberg", ("Michael Bloomberg",), None),
        ("By Aru Bekova, Reuters", ("Aru Bekova",), "Reuters"),
        ("By Diplomacy Journal", (), "Diplomacy Journal"),
    ],
)
def test_byline_person_and_outlet(line, people, outlet):
    parsed = parse(f"{line}\nThe ministers met on Tuesday.")
    assert parsed.byline_people == people
    assert parsed.outlet == outlet


def test_a_sentence_starting_with_by_is_a_paragraph():
    parsed = parse("By the end of the day, the ministers had agreed.\nThey left on Wednesday.")
    assert parsed.byline_people == ()
    assert parsed.paragraphs[0] == "By the end of the day, the ministers had agreed."


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Energy and Connectivity", "h2"),
        ("Central Asia – EU: The Next Steps", "h2"),
        ("What the ministers agreed.", "p"),
        ("Why does it matter?", "p"),
        ("A list follows:", "p"),
        ("She called it “a new chapter.”", "p"),
        ("“Bridge. Business. Beyond.”", "p"),
        ("(Photo: the ministers in Samarkand)", "p"),
        ("A line of a hundred and thirty characters " * 3, "p"),
        ("• Customs data shared monthly", "li"),
    ],
)
def test_punctuation_decides_subheading_or_paragraph(line, kind):
    parsed = parse(body_of(line.strip(), "The next paragraph."))
    assert parsed.blocks[1].kind == kind


def test_last_short_line_is_a_paragraph_not_a_subheading():
    parsed = parse(body_of("Aru Bekova"))
    assert parsed.subheadings == []
    assert parsed.paragraphs[-1] == "Aru Bekova"


def test_lists_and_section_breaks():
    parsed = parse(body_of("• Customs", "• Students", "* * *", "The end came quickly."))
    assert "<ul>\n<li>Customs</li>\n<li>Students</li>\n</ul>\n<hr>" in parsed.body_html


def test_text_is_escaped_in_the_body():
    parsed = parse(body_of('The <script>alert("x")</script> tag & co. were discussed.'))
    assert "&lt;script&gt;" in parsed.body_html
    assert "<script>" not in parsed.body_html
    assert "&amp; co." in parsed.body_html


def test_garbled_quotes_are_repaired():
    garbled = "Itâ€™s the ministersâ€™ first meeting.\nThey met on Tuesday."
    parsed = parse(garbled)
    assert parsed.paragraphs[0] == "It’s the ministers’ first meeting."
    assert parsed.warnings


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "The file is empty."),
        (b" \r\n\t\n", "The file is empty."),
        (b"\xef\xbb\xbf", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "contains binary data"),
        (b"%PDF-1.7\n%\xe2\xe3", "This is a PDF document"),
        ("Ministers met.".encode("utf-16"), "This is UTF-16 text"),
        ("Café diplomacy in Astana.".encode("latin-1"), "not UTF-8 text"),
        (b"a" * (MAX_EXPORT_BYTES + 1), "The file is too long"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(data, reason):
    with pytest.raises(ExportRejected, match=reason):
        parse_export(decode_export(data))


def test_a_file_with_only_a_byline_and_note_is_rejected():
    with pytest.raises(ExportRejected, match="No article text"):
        parse("By Aru Bekova\nContributed by Timur Sadykov. –Ed.")


# The service -----------------------------------------------------------------


@pytest.mark.django_db
def test_import_creates_a_draft_with_note_credit_and_bylines(client):
    result = article_import(name="eu_ministerial.txt", data=sample("eu_ministerial.txt"))

    assert result.outcome == ImportOutcome.CREATED
    article = result.article
    assert article.status == Article.Status.DRAFT
    assert not article.title_is_provisional
    assert article.slug == "samarkand-talks-give-the-eu-central-asia-partnership-a-working-agenda"
    assert article.section == Article.Section.CONTRIBUTION
    assert "<h2>Transport Corridors and Critical Raw Materials</h2>" in article.body
    assert "<p>Much of the discussion" in article.body
    assert article.editors_note.startswith("The following article was contributed by Marta")
    assert article.credit_line == "Submitted through the Embassy of Uzbekistan in Brussels"
    bylines = [
        (b.contributor.name, b.contributor.kind, b.contributor.position, b.role)
        for b in article.bylines.select_related("contributor")
    ]
    assert bylines == [
        (
            "Marta Lindqvist",
            Contributor.Kind.GUEST,
            "Senior Fellow at the Baltic Institute for Eurasian Studies",
            Byline.Role.AUTHOR,
        ),
        ("Aru Bekova", Contributor.Kind.STAFF, "", Byline.Role.CONTRIBUTOR),
    ]
    # A draft: readers cannot see it.
    assert article not in Article.objects.published()
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_import_without_title_gets_a_provisional_one():
    result = article_import(name="almaty_untitled.txt", data=sample("almaty_untitled.txt"))
    article = result.article
    assert article.title == "Officials from Kazakhstan, Kyrgyzstan, Tajikistan…"
    assert article.title_is_provisional
    assert "provisional title" in result.message
    assert article.slug == "officials-from-kazakhstan-kyrgyzstan-tajikistan"
    assert article.bylines.count() == 0


# Copy from wire services and other outlets ----------------------------------

WIRE_COPY = """UPDATE 1-Kazakhstan and Kyrgyzstan settle summer water quotas
(Adds energy ministry comment in paragraph 3)
Aliya Nurlanova and Bakyt Osmonov
ASTANA, March 4 (Reuters) - Kazakhstan and Kyrgyzstan agreed on Tuesday how to share the \
river's water over the summer, officials said.
The quotas follow two dry years in the south of both countries.
An energy ministry spokesman said the reservoirs were fuller than last spring.
"""


def test_wire_copy_names_without_by_a_dateline_and_update_notes():
    parsed = parse(WIRE_COPY)

    assert parsed.title == "Kazakhstan and Kyrgyzstan settle summer water quotas"
    assert parsed.byline_people == ("Aliya Nurlanova", "Bakyt Osmonov")
    assert parsed.wire_notes == ("UPDATE 1", "(Adds energy ministry comment in paragraph 3)")
    assert parsed.dateline == "ASTANA, March 4 (Reuters)"
    assert (parsed.dateline_place, parsed.dateline_date, parsed.agency) == (
        "ASTANA",
        "March 4",
        "Reuters",
    )
    # Nothing of the story is lost: the dateline stays at the start of its paragraph.
    assert parsed.paragraphs[0].startswith("ASTANA, March 4 (Reuters) - Kazakhstan")
    assert len(parsed.paragraphs) == 3
    assert parsed.subheadings == []
    assert any("has no “By”" in warning for warning in parsed.warnings)


@pytest.mark.parametrize(
    ("text", "people", "outlet"),
    [
        # An outlet's line under the byline is not the headline.
        (
            "Steppe rail link opens\nBy Dana Amirova\nBBC News\nThe line opened.",
            ("Dana Amirova",),
            "BBC News",
        ),
        (
            "Steppe rail link opens\nBy Dana Amirova\nThe Astana Times\nThe line opened.",
            ("Dana Amirova",),
            "The Astana Times",
        ),
        # Agencies' capitals, their name after the writer's.
        (
            "Steppe rail link opens\nBy DANA AMIROVA Associated Press\nThe line opened.",
            ("Dana Amirova",),
            "Associated Press",
        ),
        # An author line with its outlet, under the headline.
        (
            "Steppe rail link opens\nDana Amirova, Reuters\nThe line opened on Monday.",
            ("Dana Amirova",),
            "Reuters",
        ),
    ],
    ids=["outlet-line", "outlet-line-times", "agency-capitals", "names-and-outlet"],
)
def test_outlets_under_or_beside_the_byline(text, people, outlet):
    parsed = parse(text)
    assert parsed.title == "Steppe rail link opens"
    assert parsed.byline_people == people
    assert parsed.outlet == outlet
    assert parsed.paragraphs[0].startswith("The line opened")
    # Known outlets are taken without a word.
    assert not any("read as the outlet" in warning for warning in parsed.warnings)


def test_an_outlet_known_only_by_how_its_name_ends_is_reported():
    parsed = parse("Steppe rail link opens\nBy Dana Amirova\nSteppe Daily News\nThe line opened.")

    assert parsed.outlet == "Steppe Daily News"
    assert parsed.title == "Steppe rail link opens"
    assert any("Steppe Daily News" in w and "outlet" in w for w in parsed.warnings)


def test_a_deck_between_headline_and_byline_is_the_standfirst():
    parsed = parse(
        "Steppe rail link opens\n"
        "The line cuts a day from the journey between the two capitals.\n"
        "By Dana Amirova\n"
        "The line opened on Monday."
    )
    assert parsed.title == "Steppe rail link opens"
    assert parsed.standfirst == "The line cuts a day from the journey between the two capitals."
    assert parsed.byline_people == ("Dana Amirova",)
    assert parsed.paragraphs == ["The line opened on Monday."]


def test_a_capitalised_word_without_a_dash_is_no_dateline():
    parsed = parse("Steppe rail link opens\nASTANA is the capital.\nThe line opened on Monday.")
    assert parsed.dateline is None


def test_a_deck_above_a_dateline_is_the_standfirst():
    parsed = parse(
        "Steppe rail link opens\n"
        "Passengers board the first train in Astana on Monday.\n"
        "ASTANA, Kazakhstan, June 2, 2025 (Kazinform) -- The line opened on Monday.\n"
        "It cuts a day from the journey."
    )
    assert parsed.standfirst == "Passengers board the first train in Astana on Monday."
    assert parsed.dateline == "ASTANA, Kazakhstan, June 2, 2025 (Kazinform)"
    assert parsed.dateline_date == "June 2, 2025"
    assert parsed.paragraphs[0].startswith("ASTANA, Kazakhstan")


@pytest.mark.parametrize(
    "text",
    [
        # The journal's own layout: a short line under the headline is a subheading.
        "Steppe rail link opens\nEconomic Ties\nThe line opened on Monday.\nIt is long.",
        # A capitalised place at the start of a sentence is not a dateline without a dash.
        "Steppe rail link opens\nASTANA is the capital.\nThe line opened on Monday.",
        # A subheading, then a paragraph opening with a place and a dash.
        "Steppe rail link opens\nRegional Water Cooperation\nASTANA – The talks went on.\nOn.",
        # A sentence in brackets near the top is text, not a wire's note.
        "Steppe rail link opens\n(Changes in the cabinet were announced on Monday by the "
        "president's office, officials said, and more are expected.)\nThe line opened.",
    ],
    ids=["subheading", "no-dash", "subheading-and-place", "bracketed-sentence"],
)
def test_the_journals_own_layout_is_read_as_before(text):
    parsed = parse(text)
    assert parsed.byline_people == ()
    assert parsed.title == "Steppe rail link opens"
    assert len(parsed.blocks) == len(text.splitlines()) - 1  # every line kept
    assert parsed.wire_notes == ()
    assert parsed.warnings == ()


@pytest.mark.django_db
def test_wire_copy_imports_its_writers_as_guests_of_the_agency():
    result = article_import(name="wire.txt", data=WIRE_COPY.encode())

    article = result.article
    assert article.title == "Kazakhstan and Kyrgyzstan settle summer water quotas"
    writers = [byline.contributor for byline in article.bylines.order_by("order")]
    assert [w.name for w in writers] == ["Aliya Nurlanova", "Bakyt Osmonov"]
    assert {(w.kind, w.affiliation) for w in writers} == {(Contributor.Kind.GUEST, "Reuters")}
    assert "Dateline: ASTANA, March 4 (Reuters)" in result.found
    assert (
        "Left out “(Adds energy ministry comment in paragraph 3)”, read as a wire's note "
        "about the version." in result.warnings
    )
    assert "Adds energy" not in article.body
    # Names taken without "By" hold the draft back until someone checks them.
    assert "bylines guessed" in result.message
    assert "bylines_need_checking" in article.publication_errors(relations=False)
    article.bylines_need_checking = False
    assert article.publication_errors(relations=False) == {}


@pytest.mark.django_db
def test_a_deck_becomes_the_drafts_standfirst():
    data = b"Rail link opens\nA day saved on the journey.\nBy Dana Amirova\nThe line opened."
    article = article_import(name="deck.txt", data=data).article
    assert article.standfirst == "A day saved on the journey."
    assert not article.bylines_need_checking


@pytest.mark.django_db
def test_byline_from_another_outlet_makes_a_guest_with_affiliation():
    result = article_import(name="d.txt", data=sample("dushanbe_byline_last.txt"))
    byline = result.article.bylines.get()
    assert byline.role == Byline.Role.AUTHOR
    assert byline.contributor.name == "Farid Nazarov"
    assert byline.contributor.kind == Contributor.Kind.GUEST
    assert byline.contributor.affiliation == "Central Asia Review"
    assert result.article.section == Article.Section.NEWS


@pytest.mark.django_db
def test_contributors_are_matched_by_name_ignoring_case_and_spacing():
    marta = ContributorFactory(name="marta   LINDQVIST", position="", kind="guest")
    aru = ContributorFactory(name="Aru Bekova", position="Deputy Editor", kind="staff")

    result = article_import(name="eu.txt", data=sample("eu_ministerial.txt"))

    assert Contributor.objects.count() == 2
    assert [b.contributor for b in result.article.bylines.all()] == [marta, aru]
    marta.refresh_from_db()
    assert marta.position == "Senior Fellow at the Baltic Institute for Eurasian Studies"
    assert result.bylines == [
        "marta   LINDQVIST, author (already on file)",
        "Aru Bekova, contributor (already on file)",
    ]


@pytest.mark.django_db
def test_a_known_contributors_position_is_not_overwritten():
    marta = ContributorFactory(name="Marta Lindqvist", position="Director, Nordic Asia Forum")
    result = article_import(name="eu.txt", data=sample("eu_ministerial.txt"))
    marta.refresh_from_db()
    assert marta.position == "Director, Nordic Asia Forum"
    assert any("Left unchanged" in warning for warning in result.warnings)


@pytest.mark.django_db
def test_importing_the_same_text_again_changes_nothing():
    first = article_import(name="eu.txt", data=sample("eu_ministerial.txt"))
    counts = (Article.objects.count(), Contributor.objects.count(), Byline.objects.count())
    resaved = b"\xef\xbb\xbf" + sample("eu_ministerial.txt").replace(b"\n", b"\r\n\r\n")

    again = article_import(name="copy.txt", data=resaved)

    assert again.outcome == ImportOutcome.SKIPPED
    assert again.message == (
        "already imported as “Samarkand Talks Give the EU–Central Asia Partnership a Working "
        "Agenda”"
    )
    assert again.article == first.article
    assert (Article.objects.count(), Contributor.objects.count(), Byline.objects.count()) == counts


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "The file is empty."),
        (b"\x00\x01\x02\x03binary\x00", "contains binary data"),
        ("Café diplomacy in Astana.\n".encode("latin-1"), "not UTF-8 text"),
        (b"Ministers met. " * 70_000, "The file is too long"),
        (b"By Aru Bekova\n", "No article text"),
    ],
)
def test_bad_files_are_reported_and_nothing_is_created(data, reason):
    result = article_import(name="bad.txt", data=data)
    assert result.outcome == ImportOutcome.REJECTED
    assert result.failed
    assert reason in result.message
    assert not Article.objects.exists()
    assert not Contributor.objects.exists()


@pytest.mark.django_db
def test_a_failure_midway_leaves_nothing_behind(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ValidationError("This contributor already has this role on the article.")

    monkeypatch.setattr(Byline, "full_clean", refuse)
    result = article_import(name="eu.txt", data=sample("eu_ministerial.txt"))
    assert result.outcome == ImportOutcome.REJECTED
    assert not Article.objects.exists()
    assert not Contributor.objects.exists()


@pytest.mark.django_db
def test_dry_run_reports_and_creates_nothing():
    result = article_import(name="eu.txt", data=sample("eu_ministerial.txt"), dry_run=True)
    assert result.outcome == ImportOutcome.CREATED
    assert result.message.startswith("would create draft “Samarkand Talks")
    assert result.article.pk is None
    assert not Article.objects.exists() and not Contributor.objects.exists()


@pytest.mark.django_db
def test_a_provisional_title_blocks_publication_until_confirmed():
    article = article_import(name="a.txt", data=sample("almaty_untitled.txt")).article
    article.countries.add(CountryFactory())
    Byline.objects.create(article=article, contributor=ContributorFactory())

    with pytest.raises(ValidationError) as refused:
        article_publish(article=article)
    assert "untick “title needs confirming”" in " ".join(refused.value.messages)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT

    article.title = "Central Asia + EU officials prepare the next round in Almaty"
    article.title_is_provisional = False
    article.save()
    article_publish(article=article)
    assert article in Article.objects.published()


# The command -----------------------------------------------------------------


@pytest.fixture
def export_dir(tmp_path):
    for name in ("eu_ministerial.txt", "almaty_untitled.txt"):
        (tmp_path / name).write_bytes(sample(name))
    (tmp_path / "notes.md").write_text("Not an export.")
    return tmp_path


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_command_imports_a_directory_in_name_order(export_dir):
    out, err = run(str(export_dir))
    lines = out.splitlines()
    assert lines[0] == (
        "[1/2] almaty_untitled.txt: created draft “Officials from Kazakhstan, Kyrgyzstan, "
        "Tajikistan…” (provisional title: confirm it before publishing)"
    )
    assert lines[1].startswith("[2/2] eu_ministerial.txt: created draft “Samarkand Talks")
    assert lines[-1] == "Imported 2 files: 2 created, 0 skipped, 0 rejected, 0 failed."
    assert err == ""
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 2


@pytest.mark.django_db
def test_command_run_again_skips_everything_and_succeeds(export_dir):
    run(str(export_dir))
    out, _ = run(str(export_dir))
    assert "[2/2] eu_ministerial.txt: already imported as “Samarkand Talks" in out
    assert "0 created, 2 skipped" in out
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_command_reports_bad_files_and_exits_non_zero(export_dir):
    (export_dir / "broken.txt").write_bytes("Café au lait.".encode("latin-1"))
    with pytest.raises(CommandError) as failed:
        run(str(export_dir / "broken.txt"), str(export_dir / "eu_ministerial.txt"))
    assert failed.value.returncode == 1
    assert "1 created, 0 skipped, 1 rejected" in str(failed.value)
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_command_bad_file_message_goes_to_stderr(export_dir, capsys):
    (export_dir / "empty.txt").write_bytes(b"")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(export_dir / "empty.txt"), stdout=out, stderr=err)
    assert "[1/1] empty.txt: rejected. The file is empty." in err.getvalue()


@pytest.mark.django_db
def test_command_verbose_run_lists_bylines_and_quiet_run_prints_nothing(export_dir):
    out, _ = run(str(export_dir / "eu_ministerial.txt"), verbosity=2)
    assert "    byline: Marta Lindqvist, author (new guest contributor)" in out
    assert "    byline: Aru Bekova, contributor (new staff)" in out
    out, _ = run(str(export_dir / "almaty_untitled.txt"), verbosity=0)
    assert out == ""


@pytest.mark.django_db
def test_command_dry_run_creates_nothing(export_dir):
    out, _ = run(str(export_dir), dry_run=True)
    assert "would create draft" in out
    assert "Checked 2 files: 2 would be created" in out
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_command_refuses_a_missing_path_before_importing_anything(export_dir):
    with pytest.raises(CommandError, match="No such file or directory"):
        run(str(export_dir / "eu_ministerial.txt"), str(export_dir / "missing.txt"))
    assert not Article.objects.exists()


# The admin upload --------------------------------------------------------------


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample(name) if data is None else data, "text/plain")


@pytest.mark.django_db
def test_article_list_offers_the_import_page(admin_client):
    response = admin_client.get(reverse("admin:journal_article_changelist"))
    assert f'href="{IMPORT_URL}"' in response.text
    assert "Import plain text" in response.text
    page = admin_client.get(IMPORT_URL)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert 'type="file" name="files"' in page.text and "multiple" in page.text


@pytest.mark.django_db
def test_admin_upload_imports_several_files_and_links_the_drafts(admin_client, admin_user):
    response = admin_client.post(
        IMPORT_URL,
        {
            "files": [
                upload("eu_ministerial.txt"),
                upload("almaty_untitled.txt"),
                upload("latin.txt", "Café diplomacy.".encode("latin-1")),
                upload("huge.txt", b"Ministers met. " * 70_000),
                upload("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            ]
        },
    )
    assert response.status_code == 200
    text = response.text
    assert "2 created, 0 skipped, 3 rejected, 0 failed." in text
    for article in Article.objects.all():
        assert article.created_by == admin_user
        assert reverse("admin:journal_article_change", args=[article.pk]) in text
    assert "Created draft “Samarkand Talks Give the EU–Central Asia Partnership" in text
    assert "Marta Lindqvist, author (new guest contributor)" in text
    assert "provisional title: confirm it before publishing" in text
    assert "The file is not UTF-8 text" in text
    assert "The file is too long" in text
    assert "This is not a text file" in text

    again = admin_client.post(IMPORT_URL, {"files": [upload("eu_ministerial.txt")]})
    assert "0 created, 1 skipped" in again.text
    assert "Already imported as “Samarkand Talks" in again.text
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_admin_upload_respects_the_number_of_files_django_accepts(admin_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    assert "up to 2 files at once" in admin_client.get(IMPORT_URL).text
    files = [upload(f"{n}.txt", f"Paragraph {n}.".encode()) for n in range(3)]
    response = admin_client.post(IMPORT_URL, {"files": files})
    assert response.status_code == 400  # Django's refusal, not a server error
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_admin_upload_refuses_files_that_are_not_txt(admin_client):
    response = admin_client.post(
        IMPORT_URL, {"files": [upload("report.docx", b"PK\x03\x04zip"), upload("d.txt", b"Hi.")]}
    )
    assert response.status_code == 200
    assert "Only plain-text files ending in .txt can be imported, not “report.docx”." in (
        response.text
    )
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_admin_upload_dry_run_creates_nothing(admin_client):
    response = admin_client.post(
        IMPORT_URL, {"files": [upload("eu_ministerial.txt")], "dry_run": "on"}
    )
    assert "Check only: nothing was created" in response.text
    assert "Would create draft" in response.text
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_writers_may_import_and_edit_their_drafts(client, writer):
    client.force_login(writer)
    client.post(IMPORT_URL, {"files": [upload("almaty_untitled.txt")]})
    article = Article.objects.get()
    assert article.created_by == writer
    change = client.get(reverse("admin:journal_article_change", args=[article.pk]))
    assert change.status_code == 200
    assert 'name="title_is_provisional"' in change.text
    assert "checked" in change.text.split('name="title_is_provisional"')[1].split(">")[0]


@pytest.mark.django_db
def test_users_who_cannot_add_articles_cannot_import(client, make_user):
    client.force_login(make_user("desk", "Summit desk"))
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"files": [upload("eu_ministerial.txt")]})
    assert response.status_code == 403
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_publishing_a_provisional_title_in_the_admin_shows_why(admin_client):
    article = article_import(name="a.txt", data=sample("almaty_untitled.txt")).article
    country = CountryFactory()
    response = admin_client.post(
        reverse("admin:journal_article_change", args=[article.pk]),
        article_post_data(
            title=article.title,
            slug=article.slug,
            body=article.body,
            workflow_step="publish",
            title_is_provisional="on",
            countries=[country.pk],
            loaded_version=article.updated_at.isoformat(),
        ),
    )
    assert response.status_code == 200
    assert "untick “title needs confirming”" in response.text
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_report_suggests_tags_the_text_names(admin_client):
    # Suggestions are optional: the import works without the tagger.
    tagging = pytest.importorskip("summits.tagging")
    tagging.clear_cache()
    CountryFactory(code="TJ", alpha3="TJK", name="Tajikistan", slug="tajikistan")
    response = admin_client.post(IMPORT_URL, {"files": [upload("dushanbe_byline_last.txt")]})
    assert "<dt>Suggested countries</dt>" in response.text
    assert "<dd>Tajikistan</dd>" in response.text
    assert not Article.objects.get().countries.exists()  # tagging stays the editor's call


def test_report_lists_every_suggestion_grouped_by_kind(admin_client):
    tagging = pytest.importorskip("summits.tagging")
    tagging.clear_cache()
    for code in ["KZ", "KG", "TJ", "TM", "UZ", "US", "JP"]:
        CountryFactory(code=code)
    others = {"CN": "China", "IN": "India", "KR": "South Korea", "RU": "Russia"}
    for code, name in others.items():
        CountryFactory(code=code, name=name, slug=name.lower().replace(" ", "-"))
    names = "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan"
    partners = "the United States, Japan, China, India, South Korea and Russia"
    export = "\n\n".join(
        [
            "Eleven countries meet in Astana",
            f"{names} met ministers from {partners} in Astana.",
            f"{names} spoke first; {partners} answered.",
        ]
    )
    response = admin_client.post(IMPORT_URL, {"files": [upload("eleven.txt", export.encode())]})

    listed = response.text.split("<dt>Suggested countries</dt>", 1)[1].split("</dd>", 1)[0]
    # More than the eight the report used to stop at: every one is listed.
    for country in ["Kazakhstan", "Uzbekistan", "United States", "Japan", *others.values()]:
        assert country in listed


# The real exports ----------------------------------------------------------------


@pytest.mark.external
@pytest.mark.django_db
def test_real_exports_import_with_their_byline_note_and_subheadings():
    seeds = Path(settings.BASE_DIR).parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("The real exports are not available here.")
    out, err = run(str(seeds))
    assert err == ""
    assert "2 created" in out

    japan = Article.objects.get(body__contains="Tokyo")
    assert japan.title_is_provisional
    assert "<h2>Japan’s Diplomatic Approach to Central Asia</h2>" in japan.body
    assert "<h2>A Constructive Path Forward</h2>" in japan.body
    assert not japan.bylines.exists()

    c5 = Article.objects.get(body__contains="Washington")
    assert c5.title_is_provisional
    assert c5.editors_note.startswith("The following article was contributed by Kim Dae-sik")
    assert c5.credit_line == "Submitted through the Embassy of Kazakhstan in Seoul"
    assert "<h2>" not in c5.body
    bylines = list(c5.bylines.select_related("contributor"))
    assert [(b.contributor.name, b.role) for b in bylines] == [
        ("Kim Dae-sik", Byline.Role.AUTHOR),
        ("Lee Kap-soo", Byline.Role.CONTRIBUTOR),
    ]
    assert bylines[0].contributor.position == (
        "Former Ambassador of the Republic of Korea to the Republic of Kazakhstan"
    )
    assert bylines[0].contributor.kind == Contributor.Kind.GUEST


@pytest.mark.parametrize(
    ("dateline", "found"),
    [
        # Monday 2 October 2023: the Friday before is 29 September, the summit's day.
        ("ALMATY, Oct. 2, 2023 (Kazinform) -", True),
        # Without a year, the dateline's day cannot be placed; nothing is guessed.
        ("ALMATY, Oct. 2 (Kazinform) -", False),
    ],
)
def test_the_datelines_day_dates_the_week_for_tag_suggestions(record, dateline, found):
    data = (
        "Central Asian leaders and the German chancellor\n"
        f"{dateline} Energy and transport led the talks.\n"
        "Central Asian leaders met Germany's chancellor for a summit on Friday.\n"
    ).encode()

    result = article_import(name="wire.txt", data=data)

    summits = dict(result.suggested_tags).get("summits", [])
    assert any("Germany" in name and "Berlin" in name for name in summits) is found


def test_a_headline_in_hangul_or_cyrillic_keeps_its_words_in_the_slug(db):
    korean = article_import(
        name="seoul.txt",
        data="한-중앙아시아 정상회의 준비 본격화\n\n서울에서 준비 회의가 열렸다.\n".encode(),
    )
    russian = article_import(
        name="astana.txt", data="Саммит в Астане\n\nМинистры встретились в Астане.\n".encode()
    )
    assert korean.article.slug == "한-중앙아시아-정상회의-준비-본격화"
    assert russian.article.slug == "саммит-в-астане"
    # The script tells the language; English copy quoting a name stays English.
    assert (korean.article.language, russian.article.language) == ("ko", "ru")
    english = article_import(
        name="quote.txt", data="Leaders meet\n\nThey called it «Саммит» in Astana.\n".encode()
    )
    assert english.article.language == "en"
