# Korean: the desk's formats, without Django's month-first input dates;
# readers' words for a day are Django's.
from journal.formats.desk import *  # noqa: F403
from journal.formats.desk import with_days

DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS = with_days("%Y년 %m월 %d일")
