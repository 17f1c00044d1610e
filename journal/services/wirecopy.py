"""What wire and agency copy carries besides its story: outlets, datelines, notes on the version.

`journal.services.plaintext` reads these where they stand in an export:
an outlet's line under the byline, "ASTANA, March 4 (Reuters) -" before
the first paragraph, "UPDATE 1-" before the headline.
"""

import datetime
import re

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


def known_outlet(name: str, outlets) -> bool:
    """`name` is one of `outlets` or a wire service, whatever its case."""
    known = {outlet.casefold() for outlet in (*outlets, *WIRE_OUTLETS)}
    return name.strip().removesuffix(".").casefold() in known


def named_like_an_outlet(name: str) -> bool:
    """Capitalised words ending as outlets' names do: "Steppe Daily News"."""
    name = name.strip().removesuffix(".")
    return bool(_OUTLET_ENDINGS.search(name) and all(word[0].isupper() for word in name.split()))


def dateline_day(text: str | None) -> datetime.date | None:
    """The day a dateline's date names, when it gives the year too ("June 2, 2025")."""
    if not text:
        return None
    text = text.replace(".", "").replace("Sept ", "Sep ")
    for pattern in ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
