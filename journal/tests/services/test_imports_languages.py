"""Importing Korean and Russian exports: bylines, editor's notes, datelines and drafts."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from journal.models import Article, Byline, Contributor
from journal.services.imports import ImportOutcome, article_import
from journal.services.plaintext import decode_export, parse_export
from journal.tests.factories import ContributorFactory

SAMPLES = Path(__file__).parent / "import_samples"
IMPORT_URL = "/admin/journal/article/import/"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def parse(text: str):
    return parse_export(decode_export(text.encode()))


KO_BODY = "한국과 중앙아시아는 물류 협력을 넓히기로 했다.\n양국은 내년에 다시 만난다."
RU_BODY = "Министры встретились во вторник.\nСледующая встреча пройдёт весной."


# Korean: the parser --------------------------------------------------------------


def test_korean_export_gives_headline_byline_note_and_sections():
    parsed = parse_export(decode_export(sample("seoul_contribution_ko.txt")))

    assert parsed.title == "한-중앙아시아 물류 협력, 카스피해 항로에서 답을 찾다"
    assert parsed.byline_people == ("이민정",)
    assert parsed.outlet == "외교저널"
    assert parsed.editors_note == (
        "다음 글은 박성훈 전 주우즈베키스탄 대사가 주한 우즈베키스탄 대사관을 통해 "
        "외교저널에 기고한 것이다."
    )
    assert parsed.contributor_name == "박성훈"
    assert parsed.contributor_position == "전 주우즈베키스탄 대사"
    assert parsed.channel == "주한 우즈베키스탄 대사관"
    assert parsed.credit_line == "주한 우즈베키스탄 대사관을 통해 기고"
    assert parsed.subheadings == ["카스피해를 건너는 길", "한국이 보탤 수 있는 것"]
    assert len(parsed.paragraphs) == 6
    assert [b.text for b in parsed.blocks if b.kind == "li"] == [
        "세관 자료의 전자 교환",
        "물류 전문 인력 연수",
        "중소 운송업체를 위한 화물 보험",
    ]
    assert "편집자" not in parsed.body_html and "이민정" not in parsed.body_html
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    ("line", "people", "outlet"),
    [
        ("김대식 기자", ("김대식",), None),
        ("글 김대식", ("김대식",), None),
        ("글·사진 김대식", ("김대식",), None),
        ("외교저널 김대식 기자", ("김대식",), "외교저널"),
        ("김대식·이민정 기자", ("김대식", "이민정"), None),
        ("김대식, 이민정 기자", ("김대식", "이민정"), None),
        ("김대식 및 이민정 기자", ("김대식", "이민정"), None),
        ("김대식 기자 dskim@example.kr", ("김대식",), None),
        ("김대식 기자(dskim@example.kr)", ("김대식",), None),
        ("[연합뉴스 김대식 기자]", ("김대식",), "연합뉴스"),
        ("워싱턴=김대식 특파원", ("김대식",), None),
        ("아이굴 사르센바예바 기자", ("아이굴 사르센바예바",), None),
    ],
)
def test_korean_byline_forms(line, people, outlet):
    parsed = parse(f"카스피해 항로의 새 기회\n{line}\n{KO_BODY}")
    assert parsed.title == "카스피해 항로의 새 기회"
    assert parsed.byline_people == people
    assert parsed.outlet == outlet
    assert parsed.byline_positions == ("",) * len(people)
    assert not parsed.byline_guest
    assert parsed.paragraphs == KO_BODY.splitlines()


def test_a_korean_byline_with_a_position_makes_a_guest():
    parsed = parse(f"카스피해 항로의 새 기회\n김대식 전 주카자흐스탄 대사\n{KO_BODY}")
    assert parsed.byline_people == ("김대식",)
    assert parsed.byline_positions == ("전 주카자흐스탄 대사",)
    assert parsed.byline_guest
    assert parsed.paragraphs == KO_BODY.splitlines()


@pytest.mark.parametrize(
    "subheading", ["신임 대사", "현장의 기자", "협력의 새로운 틀", "글로벌 공급망의 미래"]
)
def test_korean_subheadings_that_look_like_bylines_stay_subheadings(subheading):
    parsed = parse(f"한국은 협력을 넓혔다.\n{subheading}\n{KO_BODY}")
    assert parsed.subheadings == [subheading]
    assert parsed.byline_people == ()


def test_a_korean_reporters_sign_off_at_the_foot_is_the_byline():
    parsed = parse(f"카스피해 항로의 새 기회\n{KO_BODY}\n이민정 기자 mjlee@example.kr")
    assert parsed.byline_people == ("이민정",)
    assert parsed.paragraphs == KO_BODY.splitlines()


@pytest.mark.parametrize(
    "note",
    [
        "이 글은 박성훈 전 대사가 주한 카자흐스탄 대사관을 통해 보내온 것이다. –편집자",
        "이 글은 박성훈 전 대사가 주한 카자흐스탄 대사관을 통해 보내온 것이다. -편집자 주",
        "이 글은 박성훈 전 대사가 주한 카자흐스탄 대사관을 통해 보내온 것이다. (편집자 주)",
        "편집자 주: 이 글은 박성훈 전 대사가 주한 카자흐스탄 대사관을 통해 보내온 것이다.",
        "(편집자 주) 이 글은 박성훈 전 대사가 주한 카자흐스탄 대사관을 통해 보내온 것이다.",
        "[편집자 주]\n이 글은 박성훈 전 대사가 주한 카자흐스탄 대사관을 통해 보내온 것이다.",
        "이 글은 박성훈 전 대사가 주한 카자흐스탄 대사관을 통해 보내온 것이다.\n–편집자",
    ],
    ids=["dash", "dash-ju", "brackets-after", "colon", "brackets-before", "label", "own-line"],
)
def test_korean_editors_note_marks(note):
    parsed = parse(f"카스피해 항로의 새 기회\n이민정 기자\n{note}\n{KO_BODY}")
    assert parsed.editors_note == (
        "이 글은 박성훈 전 대사가 주한 카자흐스탄 대사관을 통해 보내온 것이다."
    )
    assert (parsed.contributor_name, parsed.contributor_position) == ("박성훈", "전 대사")
    assert parsed.credit_line == "주한 카자흐스탄 대사관을 통해 기고"
    assert parsed.paragraphs == KO_BODY.splitlines()


@pytest.mark.parametrize(
    ("note", "name", "position"),
    [
        (
            "이 글은 에너지 전문가인 김지현 박사가 외교저널에 기고한 글이다.",
            "김지현",
            "에너지 전문가",
        ),
        ("이 글은 최유진 한국외대 교수가 기고한 것이다.", "최유진", "한국외대 교수"),
        ("이 글은 김대식 전 대사의 기고문이다.", "김대식", "전 대사"),
    ],
)
def test_korean_notes_name_the_writer_as_koreans_write_it(note, name, position):
    parsed = parse(f"{note} –편집자\n{KO_BODY}")
    assert (parsed.contributor_name, parsed.contributor_position) == (name, position)
    assert parsed.channel is None and parsed.credit_line == ""


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("양국 정상은 공동 성명을 채택했다.", "p"),
        ("이는 새로운 협력의 출발점이다.", "p"),
        ("정부는 지원을 늘리겠다고 밝혔습니다.", "p"),
        # The formal ending says "sentence" even when the full stop is missing.
        ("정부는 지원을 늘리겠다고 밝혔습니다", "p"),
        ("“협력은 이제 시작입니다”", "p"),
        ("에너지 협력의 새로운 틀", "h2"),
        # Without the full stop a short line is a subheading, as in English.
        ("협력, 이제는 실천이다", "h2"),
        ("• 세관 자료의 전자 교환", "li"),
    ],
)
def test_korean_sentences_and_subheadings_are_told_apart(line, kind):
    parsed = parse(f"한국은 협력을 넓혔다.\n{line}\n다음 문단이다.")
    assert parsed.blocks[1].kind == kind


def test_a_korean_note_without_a_writer_is_reported():
    parsed = parse(f"이 글은 외교저널에 실린 기고문이다. –편집자\n{KO_BODY}")
    assert parsed.editors_note == "이 글은 외교저널에 실린 기고문이다."
    assert "The editor's note names no contributor that could be recognised." in parsed.warnings


def test_a_korean_byline_without_a_name_is_reported():
    parsed = parse(f"카스피해 항로의 새 기회\n글 편집부\n{KO_BODY}")
    assert parsed.byline_people == ()
    assert "No name found in the byline “글 편집부”." in parsed.warnings


def test_korean_agency_copy_gives_its_byline_in_the_dateline():
    parsed = parse_export(decode_export(sample("yonhap_wire_ko.txt")))

    assert parsed.title == "카자흐스탄, 한국 기업에 희토류 공동 탐사 제안"
    assert parsed.dateline == "(서울=연합뉴스)"
    assert (parsed.dateline_place, parsed.agency) == ("서울", "연합뉴스")
    assert parsed.byline_people == ("최유진",)
    # The dateline stays in its paragraph; the reporter's address is left out.
    assert parsed.paragraphs[0].startswith("(서울=연합뉴스) 최유진 기자 = 카자흐스탄 정부가")
    assert len(parsed.paragraphs) == 3
    assert parsed.warnings == (
        "Left out “yjchoi@example.kr”, read as the reporter's e-mail address.",
    )


def test_newsis_dateline_with_two_reporters():
    parsed = parse("희토류 협력 확대\n【서울=뉴시스】김대식·이민정 기자 = 양국이 합의했다.\n끝.")
    assert parsed.agency == "뉴시스"
    assert parsed.byline_people == ("김대식", "이민정")


# Russian: the parser ---------------------------------------------------------------


def test_russian_export_gives_headline_byline_note_and_sections():
    parsed = parse_export(decode_export(sample("astana_contribution_ru.txt")))

    assert parsed.title == "Средний коридор: чего Центральная Азия ждёт от Европы"
    assert parsed.byline_people == ("Дана Амирова",)
    assert parsed.editors_note.startswith("Статья подготовлена Тимуром Садыковым")
    assert parsed.editors_note.endswith("через посольство Казахстана в Сеуле.")
    # The note names the writer in the instrumental case: read back, and reported.
    assert parsed.contributor_name == "Тимур Садыков"
    assert parsed.contributor_position == "Бывший посол Республики Казахстан в Республике Корея"
    assert parsed.channel == "посольство Казахстана в Сеуле"
    assert parsed.credit_line == "Материал передан через посольство Казахстана в Сеуле"
    assert parsed.warnings == (
        "The editor's note names “Тимуром Садыковым”, read as “Тимур Садыков”: check the name.",
    )
    assert parsed.subheadings == ["Узкие места", "Что дальше"]
    assert len(parsed.paragraphs) == 4
    assert "Прим. ред." not in parsed.body_html and "Амирова" not in parsed.body_html


@pytest.mark.parametrize(
    ("line", "people", "outlet", "guest"),
    [
        ("Автор: Иван Петров", ("Иван Петров",), None, False),
        ("Текст: Иван Петров", ("Иван Петров",), None, False),
        ("Авторы: Иван Петров, Анна Смирнова", ("Иван Петров", "Анна Смирнова"), None, False),
        ("Иван Петров и Анна Смирнова", ("Иван Петров", "Анна Смирнова"), None, False),
        ("ИВАН ПЕТРОВ", ("Иван Петров",), None, False),
        ("Ким Дэ Сик", ("Ким Дэ Сик",), None, False),
        (
            "Иван Петров, специально для Diplomacy Journal",
            ("Иван Петров",),
            "Diplomacy Journal",
            True,
        ),
        (
            "Иван Петров, специально для «Diplomacy Journal»",
            ("Иван Петров",),
            "Diplomacy Journal",
            True,
        ),
        ("Иван Петров, ТАСС", ("Иван Петров",), "ТАСС", False),
        ("Иван Петров, корреспондент РИА Новости", ("Иван Петров",), "РИА Новости", False),
    ],
)
def test_russian_byline_forms(line, people, outlet, guest):
    parsed = parse(f"Новый маршрут через Каспий\n{line}\n{RU_BODY}")
    assert parsed.title == "Новый маршрут через Каспий"
    assert parsed.byline_people == people
    assert parsed.outlet == outlet
    assert parsed.byline_guest is guest
    assert parsed.paragraphs == RU_BODY.splitlines()


def test_a_russian_byline_with_a_position_makes_a_guest():
    parsed = parse(f"Новый маршрут через Каспий\nАвтор: Иван Петров, профессор КазНУ\n{RU_BODY}")
    assert parsed.byline_people == ("Иван Петров",)
    assert parsed.byline_positions == ("Профессор КазНУ",)
    assert parsed.byline_guest


@pytest.mark.parametrize("line", ["Центральная Азия", "Европейский Союз", "Иван Петров"])
def test_russian_names_alone_are_a_byline_only_under_the_headline(line):
    parsed = parse(f"Министры встретились во вторник.\n{line}\n{RU_BODY}")
    assert parsed.byline_people == ()
    assert parsed.subheadings == [line]


@pytest.mark.parametrize(
    ("note", "name", "position", "credit"),
    [
        (
            "Автор — Айгуль Нурланова, старший научный сотрудник Института мировой экономики. "
            "(Прим. ред.)",
            "Айгуль Нурланова",
            "Старший научный сотрудник Института мировой экономики",
            "",
        ),
        (
            "От редакции: автор статьи — Иван Петров (бывший посол России в Казахстане). "
            "Материал опубликован при содействии посольства Казахстана в Москве.",
            "Иван Петров",
            "Бывший посол России в Казахстане",
            "Материал подготовлен при содействии посольства Казахстана в Москве",
        ),
        (
            "Прим. ред.: материал написан Анной Смирновой, политологом, специально для "
            "Diplomacy Journal.",
            "Анна Смирнова",
            "Политолог",
            "",
        ),
        (
            "Статья прислана Сергеем Ким, экспертом по Центральной Азии, по линии посольства "
            "Республики Корея. — Ред.",
            "Сергей Ким",
            "Эксперт по Центральной Азии",
            "Материал предоставлен по линии посольства Республики Корея",
        ),
    ],
    ids=["author-dash", "from-the-editors", "prim-red-prefix", "red"],
)
def test_russian_editors_notes(note, name, position, credit):
    parsed = parse(f"Новый маршрут через Каспий\nАвтор: Дана Амирова\n{note}\n{RU_BODY}")
    assert parsed.contributor_name == name
    assert parsed.contributor_position == position
    assert parsed.credit_line == credit
    assert parsed.paragraphs == RU_BODY.splitlines()
    assert "Прим. ред." not in parsed.editors_note and "От редакции" not in parsed.editors_note


def test_a_russian_note_label_on_a_line_of_its_own():
    parsed = parse(f"От редакции\nАвтор — Иван Петров, политолог.\n{RU_BODY}")
    assert parsed.editors_note == "Автор — Иван Петров, политолог."
    assert parsed.contributor_name == "Иван Петров"
    assert parsed.paragraphs == RU_BODY.splitlines()


@pytest.mark.parametrize(
    ("first", "dateline", "place", "date", "agency", "people"),
    [
        (
            "АСТАНА, 6 ноября. /ТАСС/. Министры встретились.",
            "АСТАНА, 6 ноября. /ТАСС/.",
            "АСТАНА",
            "6 ноября",
            "ТАСС",
            (),
        ),
        (
            "МОСКВА, 6 ноября. /Корр. ТАСС Иван Петров/. Министры встретились.",
            "МОСКВА, 6 ноября. /Корр. ТАСС Иван Петров/.",
            "МОСКВА",
            "6 ноября",
            "ТАСС",
            ("Иван Петров",),
        ),
        (
            "ТАШКЕНТ, 6 ноя — РИА Новости. Министры встретились.",
            "ТАШКЕНТ, 6 ноя — РИА Новости.",
            "ТАШКЕНТ",
            "6 ноя",
            "РИА Новости",
            (),
        ),
        (
            "АСТАНА, 6 ноя — Sputnik, Анна Смирнова. Министры встретились.",
            "АСТАНА, 6 ноя — Sputnik, Анна Смирнова.",
            "АСТАНА",
            "6 ноя",
            "Sputnik",
            ("Анна Смирнова",),
        ),
        (
            "Астана. 6 ноября. ИНТЕРФАКС - Министры встретились.",
            "Астана. 6 ноября. ИНТЕРФАКС",
            "Астана",
            "6 ноября",
            "ИНТЕРФАКС",
            (),
        ),
        (
            "АСТАНА. КАЗИНФОРМ – Министры встретились.",
            "АСТАНА. КАЗИНФОРМ",
            "АСТАНА",
            None,
            "КАЗИНФОРМ",
            (),
        ),
        ("БИШКЕК – Министры встретились.", "БИШКЕК", "БИШКЕК", None, None, ()),
    ],
    ids=["tass", "tass-correspondent", "ria", "sputnik-reporter", "interfax", "kazinform", "dash"],
)
def test_russian_datelines(first, dateline, place, date, agency, people):
    parsed = parse(f"Новый маршрут через Каспий\n{first}\n{RU_BODY}")
    assert parsed.dateline == dateline
    assert (parsed.dateline_place, parsed.dateline_date, parsed.agency) == (place, date, agency)
    assert parsed.byline_people == people
    assert parsed.paragraphs[0] == first


def test_a_russian_dateline_with_the_year_dates_the_article():
    parsed = parse(f"Новый маршрут\nАСТАНА, 6 ноября 2025 г. – Министры встретились.\n{RU_BODY}")
    assert parsed.dateline_day == datetime.date(2025, 11, 6)


def test_a_russian_definition_is_no_dateline():
    parsed = parse(f"Новый маршрут\nШОС — это организация восьми государств.\n{RU_BODY}")
    assert parsed.dateline is None


def test_russian_agency_copy_ends_without_its_copyright_line():
    parsed = parse(f"Новый маршрут\n{RU_BODY}\n© ТАСС")
    assert parsed.paragraphs == RU_BODY.splitlines()
    assert parsed.warnings == ("Left out “© ТАСС”, read as the agency's copyright notice.",)


# The service ----------------------------------------------------------------------


@pytest.mark.django_db
def test_korean_import_creates_a_korean_draft_with_note_credit_and_bylines():
    result = article_import(name="seoul.txt", data=sample("seoul_contribution_ko.txt"))

    assert result.outcome == ImportOutcome.CREATED
    article = result.article
    assert article.language == "ko"
    assert article.slug == "한-중앙아시아-물류-협력-카스피해-항로에서-답을-찾다"
    assert article.section == Article.Section.CONTRIBUTION
    assert article.editors_note.startswith("다음 글은 박성훈")
    assert article.credit_line == "주한 우즈베키스탄 대사관을 통해 기고"
    assert "<h2>카스피해를 건너는 길</h2>" in article.body
    bylines = [
        (b.contributor.name, b.contributor.kind, b.contributor.position, b.role)
        for b in article.bylines.select_related("contributor")
    ]
    assert bylines == [
        ("박성훈", Contributor.Kind.GUEST, "전 주우즈베키스탄 대사", Byline.Role.AUTHOR),
        # 외교저널 is the journal: its reporter is staff.
        ("이민정", Contributor.Kind.STAFF, "", Byline.Role.CONTRIBUTOR),
    ]
    assert result.bylines == [
        "박성훈, author (new guest contributor)",
        "이민정, contributor (new staff)",
    ]
    # Contributors' addresses are ASCII: the names are romanised.
    assert sorted(Contributor.objects.values_list("slug", flat=True)) == [
        "bakseonghun",
        "iminjeong",
    ]
    assert result.warnings == []


@pytest.mark.django_db
def test_russian_import_creates_a_russian_draft_with_note_credit_and_bylines():
    result = article_import(name="astana.txt", data=sample("astana_contribution_ru.txt"))

    article = result.article
    assert article.language == "ru"
    assert article.slug == "средний-коридор-чего-центральная-азия-ждёт-от-европы"
    assert article.section == Article.Section.CONTRIBUTION
    assert article.credit_line == "Материал передан через посольство Казахстана в Сеуле"
    bylines = [
        (b.contributor.name, b.contributor.kind, b.contributor.position, b.role)
        for b in article.bylines.select_related("contributor")
    ]
    assert bylines == [
        (
            "Тимур Садыков",
            Contributor.Kind.GUEST,
            "Бывший посол Республики Казахстан в Республике Корея",
            Byline.Role.AUTHOR,
        ),
        ("Дана Амирова", Contributor.Kind.STAFF, "", Byline.Role.CONTRIBUTOR),
    ]
    assert sorted(Contributor.objects.values_list("slug", flat=True)) == [
        "dana-amirova",
        "timur-sadykov",
    ]
    assert result.warnings == [
        "The editor's note names “Тимуром Садыковым”, read as “Тимур Садыков”: check the name."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("byline", "kind", "position", "affiliation"),
    [
        ("Иван Петров, специально для Diplomacy Journal", "guest", "", ""),
        ("Автор: Иван Петров, профессор КазНУ", "guest", "Профессор КазНУ", ""),
        ("Иван Петров, ТАСС", "guest", "", "ТАСС"),
        ("Автор: Иван Петров", "staff", "", ""),
    ],
)
def test_russian_bylines_say_who_is_a_guest(byline, kind, position, affiliation):
    data = f"Новый маршрут через Каспий\n{byline}\n{RU_BODY}".encode()
    article = article_import(name="ru.txt", data=data).article
    writer = article.bylines.get().contributor
    assert (writer.name, writer.kind, writer.position, writer.affiliation) == (
        "Иван Петров",
        kind,
        position,
        affiliation,
    )
    assert article.section == Article.Section.NEWS


@pytest.mark.django_db
def test_a_korean_position_in_the_byline_makes_a_guest_author():
    data = f"카스피해 항로의 새 기회\n김대식 전 주카자흐스탄 대사\n{KO_BODY}".encode()
    result = article_import(name="ko.txt", data=data)
    byline = result.article.bylines.select_related("contributor").get()
    assert byline.role == Byline.Role.AUTHOR
    assert (byline.contributor.kind, byline.contributor.position) == (
        Contributor.Kind.GUEST,
        "전 주카자흐스탄 대사",
    )
    assert byline.contributor.slug == "gimdaesik"


@pytest.mark.django_db
def test_a_known_contributors_position_is_kept_against_the_byline():
    ContributorFactory(name="김대식", position="외교안보연구소 객원연구원")
    data = f"카스피해 항로의 새 기회\n김대식 전 주카자흐스탄 대사\n{KO_BODY}".encode()
    result = article_import(name="ko.txt", data=data)
    assert Contributor.objects.get().position == "외교안보연구소 객원연구원"
    assert (
        "김대식 is on file as “외교안보연구소 객원연구원”; the byline says “전 주카자흐스탄 대사”. "
        "Left unchanged." in result.warnings
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "writers", "dateline"),
    [
        ("yonhap_wire_ko.txt", [("최유진", "연합뉴스")], "Dateline: (서울=연합뉴스)"),
        ("tass_wire_ru.txt", [], "Dateline: АСТАНА, 6 ноября. /ТАСС/."),
    ],
)
def test_agency_copy_imports_its_writers_as_guests_of_the_agency(name, writers, dateline):
    result = article_import(name=name, data=sample(name))
    article = result.article
    found = [
        (b.contributor.name, b.contributor.affiliation)
        for b in article.bylines.select_related("contributor")
    ]
    assert found == writers
    assert all(b.contributor.kind == Contributor.Kind.GUEST for b in article.bylines.all())
    assert dateline in result.found
    assert article.section == Article.Section.NEWS
    assert not article.title_is_provisional


@pytest.mark.django_db
def test_importing_the_same_korean_text_again_changes_nothing():
    article_import(name="a.txt", data=sample("seoul_contribution_ko.txt"))
    resaved = b"\xef\xbb\xbf" + sample("seoul_contribution_ko.txt").replace(b"\n", b"\r\n\r\n")
    again = article_import(name="b.txt", data=resaved)
    assert again.outcome == ImportOutcome.SKIPPED
    assert Article.objects.count() == 1 and Contributor.objects.count() == 2


# The report ------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_report_shows_korean_and_russian_bylines_and_warnings(admin_client):
    files = [
        SimpleUploadedFile(name, sample(name), "text/plain")
        for name in ("seoul_contribution_ko.txt", "astana_contribution_ru.txt")
    ]
    files.append(
        SimpleUploadedFile(
            "unsigned.txt",
            f"카스피해 항로의 새 기회\n글 편집부\n이 글은 외교저널에 실린 기고문이다. –편집자\n"
            f"{KO_BODY}".encode(),
            "text/plain",
        )
    )
    response = admin_client.post(IMPORT_URL, {"files": files})

    text = response.text
    assert "3 created, 0 skipped, 0 rejected, 0 failed." in text
    assert "박성훈, author (new guest contributor); 이민정, contributor (new staff)" in text
    assert "Тимур Садыков, author (new guest contributor)" in text
    assert "read as “Тимур Садыков”: check the name." in text
    assert "No name found in the byline “글 편집부”." in text
    assert "The editor&#x27;s note names no contributor that could be recognised." in text
    languages = dict(Article.objects.values_list("title", "language"))
    assert languages["카스피해 항로의 새 기회"] == "ko"
    assert languages["Средний коридор: чего Центральная Азия ждёт от Европы"] == "ru"


@pytest.mark.django_db
def test_command_lists_korean_bylines_and_dateline(tmp_path):
    (tmp_path / "yonhap.txt").write_bytes(sample("yonhap_wire_ko.txt"))
    out = io.StringIO()
    call_command("import_articles", str(tmp_path), stdout=out, verbosity=2)
    text = out.getvalue()
    assert "created draft “카자흐스탄, 한국 기업에 희토류 공동 탐사 제안”" in text
    assert "    byline: 최유진, author (new guest contributor)" in text
    assert "    dateline: (서울=연합뉴스)" in text
    assert "warning: Left out “yjchoi@example.kr”" in text
