# Russian: the desk's formats and the day-first dates Russian editors type;
# readers' words for a day are Django's.
from journal.formats.desk import *  # noqa: F403
from journal.formats.desk import with_days

DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS = with_days("%d.%m.%Y", "%d.%m.%y")
