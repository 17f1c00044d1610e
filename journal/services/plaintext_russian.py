"""Russian in plain-text exports: bylines, agencies' reporters and the editor's note."""

import re
from collections.abc import Iterable

from journal.services.plaintext_names import CYRILLIC, EMAIL_TAIL, LOCAL_NOT_NAMES, LocalByline
from journal.services.wirecopy import LOCAL_OUTLETS, known_outlet, named_like_an_outlet

# Bylines: "Автор: Иван Петров", "Иван Петров и Анна Смирнова",
# "Иван Петров, специально для Diplomacy Journal", "Иван Петров, ТАСС".
_RU_MARKER = re.compile(
    r"^(?:Автор(?:ы)?|Текст(?:\s+и\s+фото)?|Подготовил[аи]?|Беседовал[аи]?)"
    r"\s*(?::|[-\u2013\u2014])\s*(?=\S)",
    re.IGNORECASE,
)
_RU_FOR = re.compile(r"[,\s]*\bспециально\s+для\s+(?P<outlet>\S.*)$", re.IGNORECASE)
_RU_OUTLET_AFTER = re.compile(r"\s*(?:,|\||/|\s[-\u2013\u2014]\s)\s*(?P<outlet>[^,|/]+)$")
# "корреспондент ТАСС", "обозреватель Diplomacy Journal": the newsroom's own titles.
_RU_REPORTER = re.compile(
    r"^(?:(?:специальный|собственный|главный|старший|политический|международный|ответственный|"
    r"выпускающий)\s+)*(?:корреспондент|обозреватель|редактор|журналист|собкор|спецкор|"
    r"колумнист|фотокорреспондент)(?:\s+(?P<outlet>\S.*))?$",
    re.IGNORECASE,
)
_RU_NAME_WORD = re.compile(
    r"^(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ]?[а-яё]+)*|(?:[А-ЯЁ]\.){1,2}|[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*)$"
)
_RU_SURNAME = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|ская|цкий|цкая|енко|ук|юк|як|ич|дзе|швили|"
    r"ян|янц|заде|улы|уулу|кызы)$"
)
_RU_PATRONYMIC = re.compile(r"(?:вич|вна|ична|инична)$")
# Korean surnames as Russian spells them: "Ким Дэ Сик", "Пак Ын Ми".
_RU_KOREAN_SURNAMES = {"Ким", "Ли", "Пак", "Цой", "Чой", "Хан", "Кан", "Юн", "Тен", "Тян", "Шин"}
_RU_KOREAN_SURNAMES |= {"Син", "Югай", "Нам", "Мун", "Сон", "Хван", "Чон", "Ан", "Пэ", "О", "Лим"}


def _russian_name(text: str, *, strict: bool) -> str | None:
    """`text` as a name, or None. `strict` asks for a name's shape: two or three
    Cyrillic words, the last a surname ("Петров", "Смирнова") or a patronymic
    in the middle, or a Korean surname first ("Ким Дэ Сик")."""
    name = text.strip(" .,;")
    if name.isupper() and len(name) > 3:
        name = name.title()
    words = name.split()
    if (
        not 1 <= len(words) <= 4
        or not all(_RU_NAME_WORD.match(word) for word in words)
        or name.casefold() in LOCAL_NOT_NAMES
    ):
        return None
    if strict and not (
        2 <= len(words) <= 3
        and all(CYRILLIC.search(word) for word in words)
        and (
            _RU_SURNAME.search(words[-1])
            or (len(words) == 3 and any(_RU_PATRONYMIC.search(word) for word in words[1:]))
            or words[0] in _RU_KOREAN_SURNAMES
        )
    ):
        return None
    return name


def _outlet_name(text: str) -> str:
    """ "«Казахстанская правда»" → "Казахстанская правда"; "журнала Diplomacy Journal" too."""
    text = text.strip(" .,;:«»\"'\u201c\u201d\u201e")
    text = re.sub(r"^(?:журнала|издания|агентства|газеты|портала)\s+", "", text, flags=re.I)
    return text.strip(" «»\"'\u201c\u201d\u201e")


def _is_outlet_name(text: str, outlets: Iterable[str]) -> bool:
    name = _outlet_name(text)
    return bool(name) and (
        known_outlet(name, (*outlets, *LOCAL_OUTLETS)) or named_like_an_outlet(name, local=True)
    )


def russian_byline(text: str, outlets: Iterable[str]) -> LocalByline | None:
    """The Russian byline `text` is, or None for another line."""
    line = EMAIL_TAIL.sub("", text).strip()
    marker = _RU_MARKER.match(line)
    if marker:
        line = line[marker.end() :]
    line = line.strip().removesuffix(".")
    outlet, guest = None, False
    if special := _RU_FOR.search(line):
        outlet, guest = _outlet_name(special["outlet"]), True
        line = line[: special.start()]
    elif (after := _RU_OUTLET_AFTER.search(line)) and _is_outlet_name(after["outlet"], outlets):
        outlet = _outlet_name(after["outlet"])
        line = line[: after.start()]
    # "Иван Петров — политолог": a dash before a position reads as a comma.
    line = re.sub(r"\s[-\u2013\u2014]\s(?=[а-яё])", ", ", line)
    strict = not (marker or outlet)
    people: list[str] = []
    positions: list[str] = []
    for part in re.split(r"\s*[,;]\s*", line.strip()):
        if not part or part.casefold() in LOCAL_NOT_NAMES:
            continue
        names = [_russian_name(name, strict=strict) for name in re.split(r"\s+и\s+", part)]
        if all(names):
            people.extend(names)
            positions.extend("" for _ in names)
        elif people and part[:1].islower():
            positions[-1] = f"{positions[-1]}, {part}" if positions[-1] else part
        else:
            return None
    for index, position in enumerate(positions):
        if reporter := _RU_REPORTER.match(position):
            positions[index] = ""
            if reporter["outlet"] and outlet is None:
                outlet = _outlet_name(reporter["outlet"])
        else:
            positions[index] = position[:1].upper() + position[1:]
    if not people and not marker:
        return None
    return LocalByline(
        tuple(people),
        tuple(positions),
        outlet,
        guest=guest or any(positions),
        bare=not (marker or outlet),
    )


def russian_dateline_people(reporters: str, outlets: Iterable[str]) -> tuple[str, ...]:
    """The names a Russian dateline gives: "Корр. ТАСС Иван Петров"."""
    reporters = re.sub(r"^(?:(?:Спец\.\s*)?корр\.|корреспондент)\s+", "", reporters, flags=re.I)
    local = russian_byline(f"Автор: {reporters}", outlets)
    return local.people if local else ()


# Editor's notes: "Автор — Иван Петров, бывший посол …" or "Статья подготовлена
# Иваном Петровым, бывшим послом …, и передана через посольство … ".
_RU_AUTHOR = re.compile(
    r"\bАвтор(?:ы)?(?:\s+(?:статьи|материала|колонки|текста|публикации))?"
    r"\s*(?::|[-\u2013\u2014])\s*(?=\S)",
    re.IGNORECASE,
)
_RU_WRITTEN = re.compile(
    r"\b(?:написан|подготовлен|предоставлен|прислан|направлен|передан|составлен)[аоы]?\b",
    re.IGNORECASE,
)
_RU_INSTRUMENTAL_NAME = re.compile(
    r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ]?[а-яё]+)?(?:\s+[А-ЯЁ][а-яё]+(?:-[А-ЯЁ]?[а-яё]+)?){1,2}"
)
_RU_CHANNEL = re.compile(r"(?<![\w-])(?P<by>через|при\s+содействии|по\s+линии)\s+(?=\S)", re.I)
_RU_CREDITS = {
    "через": "Материал передан через {channel}",
    "при содействии": "Материал подготовлен при содействии {channel}",
    "по линии": "Материал предоставлен по линии {channel}",
}
# A full stop that ends a sentence, not one in "г.", "им.", "т. е." or an initial.
_RU_SENTENCE_END = re.compile(
    r"(?<!\b[А-ЯЁA-Z])(?<!\bг)(?<!\bгг)(?<!\bим)(?<!\bт)(?<!\bул)(?<!\bред)(?<!\bПрим)"
    r"\.(?=\s+[«\"'\u201e\u201c]?[А-ЯЁA-Z]|\s*$)"
)
_RU_WRITER_END = re.compile(
    r",?\s+(?:через|при\s+содействии|по\s+линии|специально|для|в\s+редакцию|редакции)\b"
    r"|,\s*(?:и\s+)?(?:написан|подготовлен|предоставлен|прислан|направлен|передан)"
    rf"|{_RU_SENTENCE_END.pattern}",
    re.IGNORECASE,
)
_RU_INSTRUMENTAL = ("ым", "им", "ом", "ём", "ем", "ой", "ей", "ью")
# Words that lose a vowel in the instrumental: "послом" is "посол", "Павлом" "Павел".
_RU_FLEETING = {"посл": "посол", "отц": "отец", "Павл": "Павел", "Льв": "Лев"}


def read_russian_note(
    note: str,
) -> tuple[str | None, str | None, str | None, str | None, list[str]]:
    """(contributor name, position, channel, credit format, warnings) from a Russian note;
    the credit format is None when the note names no channel."""
    channel, credit = None, None
    if channels := list(_RU_CHANNEL.finditer(note)):
        after = note[channels[-1].end() :]
        end = _RU_SENTENCE_END.search(after)
        channel = (after[: end.start()] if end else after).strip(" ,;.") or None
        credit = _RU_CREDITS[" ".join(channels[-1]["by"].lower().split())]
    instrumental = False
    if author := _RU_AUTHOR.search(note):
        tail = note[author.end() :]
    elif (written := _RU_WRITTEN.search(note)) and (
        name := _RU_INSTRUMENTAL_NAME.search(note, written.end())
    ):
        tail, instrumental = note[name.start() :], True
    else:
        return None, None, channel, credit, []
    stop = _RU_WRITER_END.search(tail)
    head = tail[: stop.start()] if stop else tail
    if bracketed := re.match(r"^(?P<name>[^(]+?)\s*\((?P<position>[^)]*)\)", head):
        name, position = bracketed["name"], bracketed["position"]
    else:
        name, _, position = re.sub(r"\s[-\u2013\u2014]\s", ", ", head, count=1).partition(",")
    name, position = name.strip(" ,;."), position.strip(" ,;.")
    warnings = []
    if instrumental:
        nominative = " ".join(_ru_name_nominative(word) for word in name.split())
        if nominative != name:
            warnings.append(
                f"The editor's note names “{name}”, read as “{nominative}”: check the name."
            )
        name, position = nominative, _ru_phrase_nominative(position)
    name = _russian_name(name, strict=False)
    if name is None:
        return None, None, channel, credit, []
    position = position[:1].upper() + position[1:]
    return name, position or None, channel, credit, warnings


def _ru_name_nominative(word: str) -> str:
    """A name in the instrumental case as it is on its own: "Петровым" → "Петров"."""
    if "-" in word:
        # "Касым-Жомартом": only the last part declines.
        first, _, last = word.rpartition("-")
        return f"{first}-{_ru_name_nominative(last)}"
    endings = (
        ("ичем", "ич"), ("ским", "ский"), ("цким", "цкий"), ("ской", "ская"), ("цкой", "цкая"),
        ("ьей", "ья"), ("ьёй", "ья"), ("ией", "ия"), ("ым", ""), ("ом", ""), ("ой", "а"),
        ("ью", "ь"),
    )  # fmt: skip
    for ending, nominative in endings:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[: -len(ending)]
            return _RU_FLEETING.get(stem, stem) if ending == "ом" else stem + nominative
    if word.endswith(("ем", "ём")) and len(word) > 3:
        return word[:-2] + ("й" if word[-3] in "аеёиоуыэюя" else "ь")
    if word.endswith("ей") and len(word) > 3:
        return word[:-2] + "я"
    return word


def _ru_phrase_nominative(text: str) -> str:
    """A position in the instrumental case, its leading words put back:
    "бывшим послом Республики Корея" → "бывший посол Республики Корея"."""
    words = text.split()
    for index, word in enumerate(words):
        if word == "и" and index:
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        adjective = following == "и" or following.lower().endswith(_RU_INSTRUMENTAL)
        nominative = _ru_word_nominative(word, adjective=adjective)
        if nominative is None:
            break
        words[index] = nominative
        if not adjective:
            break  # the noun: what follows it is in its own case, "послом Республики Корея"
    return " ".join(words)


def _ru_word_nominative(word: str, *, adjective: bool) -> str | None:
    lower = word.lower()
    if len(lower) < 4:
        return None
    if lower.endswith("ым"):
        return word[:-2] + "ый"
    if lower.endswith("им"):
        return word[:-2] + "ий"
    if lower.endswith("ом"):
        stem = word[:-2]
        fleeting = _RU_FLEETING.get(stem.lower())
        return stem[0] + fleeting[1:] if fleeting else stem
    if lower.endswith(("ем", "ём")):
        return word[:-2] + ("й" if lower[-3] in "аеёиоуыэюя" else "ь")
    if lower.endswith("ой"):
        return word[:-2] + ("ая" if adjective else "а")
    if lower.endswith("ей"):
        hushing = lower[-3] in "жшщчц"
        if adjective:
            return word[:-2] + ("ая" if hushing else "яя")
        return word[:-2] + ("а" if hushing else "я")
    if lower.endswith("ью"):
        return word[:-1]
    return None
