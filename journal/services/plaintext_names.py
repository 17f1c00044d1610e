"""What the plain-text readers share: the journal's names, the scripts, a local byline."""

import re
from dataclasses import dataclass

# The journal's own name as bylines spell it, in English and in Korean; the
# service adds settings.SITE_NAME.
KNOWN_OUTLETS = ("Diplomacy Journal", "외교저널")
# The scripts of the journal's languages besides English.
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# Newsrooms and desks, not people, in Korean and Russian bylines.
LOCAL_NOT_NAMES = {"편집부", "편집국", "취재팀", "특별취재팀", "디지털뉴스팀", "редакция"}
LOCAL_NOT_NAMES |= {"пресс-служба", "редакция diplomacy journal", "собственный корреспондент"}
# A reporter's address after the byline: "김대식 기자 dskim@example.kr".
EMAIL_TAIL = re.compile(r"(?:[\s,;/=]*[(<\[]?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[)>\]]?)+\s*$")


@dataclass(frozen=True)
class LocalByline:
    """A Korean or Russian byline: names, what each is ("" for none), the outlet."""

    people: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    outlet: str | None = None
    # Writing for the journal from outside: "специально для …", or a position.
    guest: bool = False
    # Names alone, without "Автор:" or an outlet: a byline only under a headline.
    bare: bool = False
