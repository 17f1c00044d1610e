"""What wire and agency copy carries besides its story: outlets, datelines, notes on the version.

`journal.services.plaintext` reads these where they stand in an export:
an outlet's line under the byline, "ASTANA, March 4 (Reuters) -" before
the first paragraph, "UPDATE 1-" before the headline. Korean and Russian
agencies date their copy their own way: "(서울=연합뉴스) 김대식 기자 =",
"АСТАНА, 6 ноября. /ТАСС/.", "ТАШКЕНТ, 6 ноя — РИА Новости.".
"""

import datetime
import re
from dataclasses import dataclass

# Outlets whose name may stand on a line of its own under a byline, and news
# agencies' credits. Others are recognised by how their names end.
WIRE_OUTLETS = tuple(
    name.strip()
    for name in """
    Reuters, Associated Press, AP, AFP, Agence France-Presse, Bloomberg, Xinhua, TASS,
    RIA Novosti, Interfax, Kyodo, Kyodo News, Yonhap, Nikkei Asia, BBC News, RFE/RL,
    Radio Free Europe/Radio Liberty, Radio Azattyk, Radio Azattyq, Eurasianet, The Diplomat,
    Kazinform, Trend, AKIpress, Kabar, Khovar, Asia-Plus, UzA, Dunyo, Gazeta.uz, Kun.uz, Daryo,
    The Astana Times, The Times of Central Asia, Anadolu Agency, Euronews, Politico Europe,
    Euractiv, Global Times, CGTN
    """.split(",")
)
# Korean and Russian outlets, for Korean and Russian copy: an English byline
# over a line "KBS" reads as it always did.
LOCAL_OUTLETS = tuple(
    name.strip()
    for name in """
    연합뉴스, 뉴시스, 뉴스1, 연합뉴스TV, KBS, MBC, SBS, YTN, JTBC, 아리랑TV, 코리아헤럴드,
    코리아타임스, 조선일보, 중앙일보, 동아일보, 한겨레, 경향신문, 한국일보, 매일경제, 한국경제,
    ТАСС, РИА Новости, Интерфакс, Казинформ, Sputnik, Спутник, Газета.uz, 24.kz, Tengrinews,
    Курсив, Азаттык, Радио Азаттык, Фергана, Кабар, Ховар, АКИpress, Азия-Плюс, УзА, Дунё,
    Коммерсантъ, Ведомости, Известия, Российская газета, Казахстанская правда
    """.split(",")
)
_OUTLET_ENDINGS = re.compile(
    r"\b(?:News|News Agency|Agency|Times|Post|Press|Herald|Tribune|Gazette|Journal|Review|"
    r"Daily|Wire|Service|Radio|Television|TV)$"
)
# "(Adds ministry comment, paragraphs 4-5)", "ADDS DETAILS FROM BRIEFING": a
# wire's note to editors about the version, not part of the story.
WIRE_NOTE = re.compile(
    r"^(?:\(\s*(?i:adds?|updates?|recasts?|repeats?|corrects?|refiles?|clarifies|fixes|"
    r"changes|removes|writes through|wraps up)\b[^)]{0,80}\)|"
    r"(?:ADDS|UPDATES|RECASTS|CORRECTS|REFILES|CLARIFIES|REPEATS|FIXES)\b[^a-z]*)$"
)
# "UPDATE 2-", "REFILE-", "CORRECTED-" before a wire's headline.
WIRE_PREFIX = re.compile(
    r"^(?:UPDATE\s*\d*|REFILE|CORRECTED|RECAST|WRAPUP\s*\d*|REPEAT|RPT|EXCLUSIVE|ANALYSIS)"
    r"\s*[-\u2013\u2014:]\s*(?=\S)"
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "WASHINGTON, Nov. 7 (Reuters) - ", "TASHKENT, Uzbekistan (AP) — ", "ASTANA —".
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'.\-]{2,}(?:[ \-][A-Z][A-Z'.\-]+)*"
    r"(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][a-z]+)?)?)"
    rf"(?:,\s*(?P<date>(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:,?\s+\d{{4}})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z][A-Za-z/ .&\-]{1,40})\))?"
    r"\s*[-\u2013\u2014]{1,2}\s+(?=\S)"
)


# Korean and Russian names end differently: "한국경제", "중앙일보", "Вечерние новости",
# "Деловой вестник"; in their copy a news site's domain is its name: "Kun.uz", "24.kz".
_HANGUL_OUTLET = re.compile(
    r"^[가-힣A-Za-z0-9]+(?:일보|신문|뉴스|방송|통신|저널|타임스|헤럴드|미디어|데일리|투데이|경제)$"
)
_CYRILLIC_OUTLET_ENDINGS = re.compile(
    r"(?i:\b(?:новости|газета|вестник|ведомости|известия|правда|медиа|инфо|экспресс|курьер|"
    r"обозрение|ТВ|радио))$"
)
_LOCAL_DOMAIN = re.compile(r"^[\w-]+\.(?:kz|uz|kg|tj|tm|ru|kr|az)$", re.IGNORECASE)


def known_outlet(name: str, outlets) -> bool:
    """`name` is one of `outlets` or a wire service, whatever its case."""
    known = {outlet.casefold() for outlet in (*outlets, *WIRE_OUTLETS)}
    return name.strip().removesuffix(".").casefold() in known


def named_like_an_outlet(name: str, *, local: bool = False) -> bool:
    """Capitalised words ending as outlets' names do: "Steppe Daily News", "중앙일보".

    `local` is for Korean and Russian copy, where a domain names a news site.
    """
    name = name.strip().removesuffix(".")
    if _HANGUL_OUTLET.match(name) or (local and _LOCAL_DOMAIN.match(name)):
        return True
    if re.search(r"[\u0400-\u04ff]", name):
        name = name.strip('«»"')
        return bool(
            _CYRILLIC_OUTLET_ENDINGS.search(name) and name[:1].isupper() and len(name.split()) <= 4
        )
    return bool(_OUTLET_ENDINGS.search(name) and all(word[0].isupper() for word in name.split()))


def dateline_day(text: str | None) -> datetime.date | None:
    """The day a dateline's date names, when it gives the year too ("June 2, 2025",
    "6 ноября 2025 г.")."""
    if not text:
        return None
    if russian := _RUSSIAN_DAY.match(text):
        month = _RUSSIAN_MONTHS[russian["month"][:3].lower()]
        try:
            return datetime.date(int(russian["year"]), month, int(russian["day"]))
        except ValueError:
            return None
    text = text.replace(".", "").replace("Sept ", "Sep ")
    for pattern in ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# Korean and Russian datelines ----------------------------------------------------

_RU_MONTH = (
    r"(?:январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|"
    r"сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь]|"
    r"янв|фев|мар|апр|июн|июл|авг|сент?|окт|ноя|дек)\.?(?![а-яё])"
)
_RUSSIAN_MONTHS = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5,
    "июн": 6, "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}  # fmt: skip
_RUSSIAN_DAY = re.compile(
    rf"^(?P<day>\d{{1,2}})\s+(?P<month>{_RU_MONTH})\s+(?P<year>\d{{4}})", re.IGNORECASE
)
_RU_DATE = rf"\d{{1,2}}\s+{_RU_MONTH}(?:\s+\d{{4}}(?:\s*(?:г\.|года))?)?"
# "АСТАНА", "НУР-СУЛТАН", "НИЖНИЙ НОВГОРОД": agencies set the place in capitals.
_RU_PLACE = r"[А-ЯЁ][А-ЯЁ\-]{2,}(?:\s[А-ЯЁ][А-ЯЁ\-]+)*"
# Agencies a Russian dateline names after the dash: "— РИА Новости.", "— Sputnik.".
_RU_AGENCY_NAMES = [
    name.strip()
    for name in """
    РИА Новости, ТАСС, Интерфакс, Казинформ, Kazinform, Sputnik, Спутник, Кабар, Kabar,
    Ховар, Тренд, Trend, АКИpress, AKIpress, УзА, Дунё, Азия-Плюс, Синьхуа, Xinhua
    """.split(",")
]
_RU_AGENCIES = "|".join(re.escape(name) for name in sorted(_RU_AGENCY_NAMES, key=len, reverse=True))
_LOCAL_DATELINES = (
    # "(서울=연합뉴스) 김대식 기자 =", "【서울=뉴시스】김대식·이민정 기자 =".
    re.compile(
        r"^(?P<head>[(\[【]\s*(?P<place>[가-힣]{1,12})\s*=\s*"
        r"(?P<agency>[^()\[\]【】=]{1,20}?)\s*[)\]】])"
        r"\s*(?:(?P<reporters>[^=\s][^=]{0,40}?)\s*(?:기자|특파원|통신원)\s*=\s*)?(?=\S)"
    ),
    # "АСТАНА, 6 ноября. /ТАСС/.", "МОСКВА, 6 ноября. /Корр. ТАСС Иван Петров/.".
    re.compile(
        rf"^(?P<head>(?P<place>{_RU_PLACE}),\s*(?P<date>{_RU_DATE})\.?\s*/\s*"
        r"(?:(?:Корр|Спец\.\s*корр)\.?\s+)?(?P<agency>ТАСС)(?:\s+(?P<reporters>[^/]{2,60}?))?"
        r"\s*/\.?)\s*(?=\S)"
    ),
    # "ТАШКЕНТ, 6 ноя — РИА Новости.", "АСТАНА, 6 ноя — Sputnik, Анна Смирнова.".
    re.compile(
        rf"^(?P<head>(?P<place>{_RU_PLACE}),\s*(?P<date>{_RU_DATE})\s*[-\u2013\u2014]{{1,2}}\s*"
        rf"(?P<agency>(?:{_RU_AGENCIES})(?:\s+[А-ЯЁA-Z][а-яёa-z]+)?)"
        r"(?:,\s*(?P<reporters>[А-ЯЁ][^.,]{2,60}?))?\.)\s+(?=\S)"
    ),
    # "Астана. 6 ноября. ИНТЕРФАКС -", "АСТАНА. КАЗИНФОРМ –".
    re.compile(
        r"^(?P<head>(?P<place>[А-ЯЁ][а-яёА-ЯЁ\-]+(?:\s[А-ЯЁ][а-яёА-ЯЁ\-]+)?)[.,]\s*"
        rf"(?:(?P<date>{_RU_DATE})\.?\s*)?"
        r"(?P<agency>ИНТЕРФАКС(?:-[А-ЯЁA-Z]+)?|INTERFAX(?:[-.][A-Z]+)*|КАЗИНФОРМ|Казинформ|"
        r"KAZINFORM|Kazinform|КАБАР|Кабар|AKIpress|АКИpress|ТРЕНД|Тренд|Trend))"
        r"\s*[-\u2013\u2014]{1,2}\s*(?=\S)"
    ),
    # "АСТАНА, 6 ноября –", "БИШКЕК (Кабар) —", "АСТАНА –".
    re.compile(
        rf"^(?P<head>(?P<place>{_RU_PLACE})(?:,\s*(?P<date>{_RU_DATE}))?"
        # "ШОС — это …" defines, it is no dateline.
        r"(?:\s*\((?P<agency>[^()]{2,40})\))?)\s*[-\u2013\u2014]{1,2}\s+(?!это\b)(?=\S)"
    ),
)


@dataclass(frozen=True)
class Dateline:
    """Where and when copy was filed, the agency it credits and the reporters it names."""

    text: str
    place: str | None = None
    date: str | None = None
    agency: str | None = None
    # "김대식 기자", "Корр. ТАСС Иван Петров": the byline Korean and Russian agencies
    # put in the dateline.
    reporters: str | None = None


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of `text`, in English, Korean or Russian agencies' forms."""
    if match := DATELINE.match(text):
        return Dateline(
            match[0].rstrip(" -\u2013\u2014"), match["place"], match["date"], match["agency"]
        )
    for pattern in _LOCAL_DATELINES:
        if match := pattern.match(text):
            groups = match.groupdict()
            date = groups.get("date")
            return Dateline(
                match["head"].strip(),
                groups.get("place"),
                # "6 ноября." ends a sentence, "6 ноября 2025 г." an abbreviation.
                date.removesuffix(".") if date and not date.endswith("г.") else date,
                (groups.get("agency") or "").strip() or None,
                (groups.get("reporters") or "").strip() or None,
            )
    return None
