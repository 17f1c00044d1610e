"""Words that point to a country, bloc or framework, for tag suggestions.

The database supplies names, official names, capitals, summit cities and
framework aliases; this module adds what coverage says besides: short forms,
demonyms, other cities, office holders, and the false friends that look like
a country but are not one ("North Korea", "Indian Ocean", "Latin American").

Countries are keyed by their `code`, frameworks by their slug. Entries for
countries the record does not hold (Georgia, Türkiye, North Korea...) are
kept on purpose: their words still claim the text they match, so "Democratic
People's Republic of Korea" never counts as the Republic of Korea, and they
start counting as soon as the desk adds the country.

Case: a single word must be written with a capital ("China", not "china"), a
word in capitals must be written exactly so ("US", "EU", never "us"), and
phrases of several words match in any case.

Korean and Russian words sit beside the English ones (`TRANSLATED_NAMES`,
`TRANSLATED_DEMONYMS`, the group words): a Russian word is given in its
dictionary form and matched with its case endings ("Токаев" finds
"Токаева"), except the demonyms, given as stems; a Korean one is matched with
the particles after it ("한국과").
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryWords:
    names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    # Capitals, other cities, regions inside the country, landmarks.
    places: tuple[str, ...] = ()
    # Institutions and office holders that stand for the state in news copy.
    metonyms: tuple[str, ...] = ()
    # Words that only count next to other evidence for the same country
    # ("Georgia" is also a US state; "Jordan" is also a first name).
    ambiguous: tuple[str, ...] = ()
    # Words that make an ambiguous word count but are no evidence on their own
    # ("Caucasus" for Georgia).
    context: tuple[str, ...] = ()
    # A bloc that is only a name for its members ("Central Asian Five").
    implies_members: bool = False


COUNTRIES: dict[str, CountryWords] = {
    # Central Asia
    "KZ": CountryWords(
        names=("Kazakhstan", "Qazaqstan", "Republic of Kazakhstan"),
        demonyms=("Kazakh", "Kazakhstani"),
        places=(
            "Astana",
            "Nur-Sultan",
            "Almaty",
            "Shymkent",
            "Aktau",
            "Atyrau",
            "Karaganda",
            "Baikonur",
            "Akorda",
        ),
        metonyms=("Tokayev", "Nazarbayev"),
    ),
    "KG": CountryWords(
        names=("Kyrgyzstan", "Kyrgyz Republic", "Kirghizia"),
        demonyms=("Kyrgyz", "Kyrgyzstani", "Kirghiz"),
        places=("Bishkek", "Osh", "Cholpon-Ata", "Issyk-Kul", "Karakol"),
        metonyms=("Japarov", "Zhaparov"),
    ),
    "TJ": CountryWords(
        names=("Tajikistan", "Republic of Tajikistan"),
        demonyms=("Tajik", "Tajikistani"),
        places=("Dushanbe", "Khujand", "Rogun"),
        metonyms=("Rahmon",),
    ),
    "TM": CountryWords(
        names=("Turkmenistan",),
        demonyms=("Turkmen", "Turkmenistani"),
        places=("Ashgabat", "Ashkhabad", "Avaza", "Turkmenbashi", "Galkynysh"),
        metonyms=("Berdimuhamedov", "Berdymukhamedov"),
    ),
    "UZ": CountryWords(
        names=("Uzbekistan", "Republic of Uzbekistan"),
        demonyms=("Uzbek", "Uzbekistani"),
        places=("Tashkent", "Samarkand", "Bukhara", "Khiva", "Andijan", "Namangan", "Termez"),
        metonyms=("Mirziyoyev",),
    ),
    "C5": CountryWords(
        names=("Central Asian Five", "Central Asia Five"),
        implies_members=True,
    ),
    # Partners
    "US": CountryWords(
        names=(
            "United States",
            "United States of America",
            "US",
            "U.S.",
            "USA",
            "U.S.A.",
            "America",
        ),
        demonyms=("American",),
        places=("Washington", "Washington, D.C.", "New York"),
        metonyms=(
            "White House",
            "State Department",
            "Department of State",
            "Pentagon",
            "Capitol Hill",
            "USAID",
            "Trump",
            "Biden",
            "Obama",
            "Blinken",
            "Rubio",
        ),
    ),
    "JP": CountryWords(
        names=("Japan",),
        demonyms=("Japanese",),
        places=("Tokyo", "Osaka", "Hiroshima", "Kyoto"),
        metonyms=("JICA", "Kishida", "Ishiba", "Takaichi", "Kasumigaseki"),
    ),
    "CN": CountryWords(
        names=("China", "People's Republic of China", "PRC", "Sino"),
        demonyms=("Chinese",),
        places=("Beijing", "Shanghai", "Xi'an", "Xinjiang", "Urumqi", "Horgos"),
        metonyms=("Xi Jinping", "Wang Yi", "Li Qiang", "Belt and Road", "Zhongnanhai"),
    ),
    "KR": CountryWords(
        names=("Republic of Korea", "South Korea", "Korea", "ROK"),
        demonyms=("Korean", "South Korean"),
        places=("Seoul", "Busan", "Incheon"),
        metonyms=("Yoon Suk Yeol", "Lee Jae-myung", "Lee Jae Myung", "KOICA"),
    ),
    "KP": CountryWords(
        names=(
            "North Korea",
            "Democratic People's Republic of Korea",
            "DPRK",
        ),
        demonyms=("North Korean",),
        places=("Pyongyang",),
        metonyms=("Kim Jong Un", "Kim Jong-un"),
    ),
    "IN": CountryWords(
        names=("India", "Republic of India", "Bharat"),
        demonyms=("Indian",),
        places=("New Delhi", "Delhi", "Mumbai"),
        metonyms=("Modi", "Jaishankar"),
    ),
    "AF": CountryWords(
        names=("Afghanistan",),
        demonyms=("Afghan",),
        places=("Kabul", "Mazar-i-Sharif", "Herat", "Kandahar"),
        metonyms=("Taliban",),
    ),
    "RU": CountryWords(
        names=("Russia", "Russian Federation"),
        demonyms=("Russian",),
        places=("Moscow", "St Petersburg", "St. Petersburg", "Saint Petersburg", "Kazan"),
        metonyms=("Kremlin", "Putin", "Lavrov"),
    ),
    "DE": CountryWords(
        names=("Germany", "Federal Republic of Germany"),
        demonyms=("German",),
        places=("Berlin", "Frankfurt", "Munich", "Hamburg"),
        metonyms=("Bundestag", "Scholz", "Merz", "Steinmeier", "Baerbock", "Wadephul"),
    ),
    "IT": CountryWords(
        names=("Italy", "Italian Republic"),
        demonyms=("Italian",),
        places=("Rome", "Milan"),
        metonyms=("Meloni", "Tajani", "Farnesina"),
    ),
    "FR": CountryWords(
        names=("France", "French Republic"),
        demonyms=("French",),
        places=("Paris", "Lyon", "Marseille"),
        metonyms=("Macron", "Élysée", "Elysee", "Quai d'Orsay"),
    ),
    "EU": CountryWords(
        # "European" alone is not the Union: European companies, banks and
        # the Council of Europe are not EU institutions.
        names=("European Union", "EU", "E.U."),
        places=("Brussels",),
        metonyms=(
            "European Commission",
            "European Council",
            "European Parliament",
            "EEAS",
            "Global Gateway",
            "Team Europe",
            "von der Leyen",
            "Kaja Kallas",
            "António Costa",
            "Antonio Costa",
            "Charles Michel",
        ),
    ),
    "GCC": CountryWords(
        names=(
            "Gulf Cooperation Council",
            "GCC",
            "Cooperation Council for the Arab States of the Gulf",
        ),
    ),
    "SA": CountryWords(
        names=("Saudi Arabia", "Kingdom of Saudi Arabia", "KSA"),
        demonyms=("Saudi",),
        places=("Riyadh", "Jeddah", "Mecca", "Medina"),
        metonyms=("Mohammed bin Salman",),
    ),
    "AE": CountryWords(
        names=("United Arab Emirates", "UAE", "Emirates"),
        demonyms=("Emirati",),
        places=("Abu Dhabi", "Dubai"),
    ),
    "KW": CountryWords(
        names=("Kuwait", "State of Kuwait"), demonyms=("Kuwaiti",), places=("Kuwait City",)
    ),
    "QA": CountryWords(names=("Qatar", "State of Qatar"), demonyms=("Qatari",), places=("Doha",)),
    "BH": CountryWords(
        names=("Bahrain", "Kingdom of Bahrain"), demonyms=("Bahraini",), places=("Manama",)
    ),
    "OM": CountryWords(
        names=("Oman", "Sultanate of Oman"), demonyms=("Omani",), places=("Muscat",)
    ),
    "AZ": CountryWords(
        names=("Azerbaijan", "Republic of Azerbaijan"),
        demonyms=("Azerbaijani", "Azeri"),
        places=("Baku",),
        metonyms=("Aliyev",),
        context=("South Caucasus", "Caucasus"),
    ),
    # Neighbours and others the desk may add; see the module docstring.
    "GE": CountryWords(
        names=("Republic of Georgia",),
        places=("Tbilisi", "Batumi", "Kutaisi"),
        ambiguous=("Georgia", "Georgian"),
        context=("South Caucasus", "Caucasus", "Black Sea"),
    ),
    "AM": CountryWords(
        names=("Armenia", "Republic of Armenia"),
        demonyms=("Armenian",),
        places=("Yerevan",),
        context=("South Caucasus", "Caucasus"),
    ),
    "TR": CountryWords(
        # "Turkic" (the language family, the Organization of Turkic States) is
        # not Türkiye; neither is the bird, which is written in lower case.
        names=("Türkiye", "Turkiye", "Turkey", "Republic of Türkiye", "Republic of Turkey"),
        demonyms=("Turkish",),
        places=("Ankara", "Istanbul"),
        metonyms=("Erdoğan", "Erdogan"),
    ),
    "JO": CountryWords(
        names=("Hashemite Kingdom of Jordan",),
        demonyms=("Jordanian",),
        places=("Amman",),
        ambiguous=("Jordan",),
    ),
    "IR": CountryWords(
        names=("Iran", "Islamic Republic of Iran"),
        demonyms=("Iranian",),
        places=("Tehran", "Chabahar", "Bandar Abbas"),
    ),
    "PK": CountryWords(
        names=("Pakistan",), demonyms=("Pakistani",), places=("Islamabad", "Karachi", "Gwadar")
    ),
    "MN": CountryWords(names=("Mongolia",), demonyms=("Mongolian",), places=("Ulaanbaatar",)),
    "GB": CountryWords(
        names=("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"),
        demonyms=("British",),
        places=("London",),
        metonyms=("Downing Street", "Foreign Office"),
    ),
    "UA": CountryWords(names=("Ukraine",), demonyms=("Ukrainian",), places=("Kyiv", "Kiev")),
    "BY": CountryWords(names=("Belarus",), demonyms=("Belarusian",), places=("Minsk",)),
}

# What Korean and Russian copy calls the five states' people and things, as
# stems: a key in Hangul or Cyrillic matches with any ending after it
# ("казахстанская", "узбекские", "우즈베크인"). Their names, capitals and
# cities come from the record's translated columns.
TRANSLATED_DEMONYMS: dict[str, tuple[str, ...]] = {
    "KZ": ("казахстанск", "казахск", "казах", "카자흐"),
    "KG": ("кыргызстанск", "кыргызск", "киргизск", "кыргыз", "киргиз", "키르기스"),
    "TJ": ("таджикистанск", "таджикск", "таджик", "타지크"),
    "TM": ("туркменистанск", "туркменск", "туркмен", "투르크멘"),
    "UZ": ("узбекистанск", "узбекск", "узбек", "우즈베크", "우즈벡"),
}

# What Korean and Russian copy calls countries besides the record's names
# ("한국", "Южная Корея", "ФРГ", "ЕС"), the partners' adjectives as stems
# ("японск" for "японского"), and the office holders that stand for them, as
# coverage writes them. Russian words are matched with their case
# endings ("Токаева", "России"); Korean ones with their particles. A Han
# character ("中", "美") is a headline's short name and counts only standing
# alone ("美·中", not "中東").
TRANSLATED_NAMES: dict[str, CountryWords] = {
    "KZ": CountryWords(
        metonyms=("토카예프", "나자르바예프", "Токаев", "Назарбаев", "Акорда"),
    ),
    "KG": CountryWords(
        names=("키르기즈스탄", "Киргизия"),
        metonyms=("자파로프", "Жапаров"),
    ),
    "TJ": CountryWords(metonyms=("라흐몬", "Рахмон")),
    "TM": CountryWords(
        names=("Туркмения",),
        metonyms=("베르디무하메도프", "베르디무함메도프", "Бердымухамедов"),
    ),
    "UZ": CountryWords(metonyms=("미르지요예프", "Мирзиёев", "Мирзиеев")),
    "US": CountryWords(
        names=("美", "Соединенные Штаты"),
        demonyms=("американск",),
        metonyms=("트럼프", "바이든", "백악관", "Трамп", "Байден", "Белый дом", "Госдеп"),
    ),
    "JP": CountryWords(
        names=("日",),
        demonyms=("японск",),
        metonyms=("다카이치", "기시다", "이시바", "Такаити", "Кисида", "Исиба"),
    ),
    "CN": CountryWords(
        names=("中", "КНР"),
        demonyms=("китайск",),
        metonyms=("시진핑", "習近平", "시 주석", "Си Цзиньпин"),
    ),
    "KR": CountryWords(
        names=("한국", "남한", "韓", "Южная Корея", "Корея"),
        demonyms=("южнокорейск",),
        metonyms=("윤석열", "이재명", "尹", "Юн Сок Ёль", "Ли Чжэ Мён"),
    ),
    "KP": CountryWords(
        names=("북한", "조선민주주의인민공화국", "Северная Корея", "КНДР"),
    ),
    "IN": CountryWords(demonyms=("индийск",), metonyms=("모디", "Моди")),
    "RU": CountryWords(
        names=("РФ", "Российская Федерация"),
        demonyms=("российск",),
        metonyms=("푸틴", "크렘린", "Путин", "Кремль", "Лавров"),
    ),
    "DE": CountryWords(
        names=("ФРГ",),
        demonyms=("германск", "немецк"),
        metonyms=("숄츠", "메르츠", "Шольц", "Мерц"),
    ),
    "IT": CountryWords(demonyms=("итальянск",), metonyms=("멜로니", "Мелони")),
    "FR": CountryWords(demonyms=("французск",), metonyms=("마크롱", "Макрон")),
    "EU": CountryWords(
        names=("ЕС", "Евросоюз"),
        places=("브뤼셀", "Брюссель"),
        metonyms=("유럽연합 집행위원회", "Еврокомиссия", "Европейская комиссия", "фон дер Ляйен"),
    ),
    "GCC": CountryWords(names=("ССАГПЗ",)),
    "AE": CountryWords(names=("ОАЭ",)),
}

# The one-syllable names Korean gives a partner in compounds ("한-중앙아",
# "미-중앙아시아", "中·중앙아"), and the Latin ones it keeps ("EU-중앙아시아").
KOREAN_PARTNER_PREFIXES: dict[str, tuple[str, ...]] = {
    "KR": ("한", "韓"),
    "US": ("미", "美"),
    "CN": ("중", "中"),
    "JP": ("일", "日"),
    "RU": ("러",),
    "DE": ("독",),
    "EU": ("EU",),
    "GCC": ("GCC",),
}

# Phrases that contain a country's word without meaning the country. They are
# matched like any other phrase and then ignored, so the shorter word inside
# them never counts.
NOT_A_COUNTRY: tuple[str, ...] = (
    # India
    "Indian Ocean",
    "American Indian",
    "West Indian",
    "West Indies",
    "East India Company",
    # The United States
    "Latin America",
    "Latin American",
    "South America",
    "South American",
    "Central America",
    "Central American",
    "North America",
    "North American",
    "Native American",
    "Pan-American",
    "George Washington",
    "Washington State",
    # Georgia the US state
    "Atlanta, Georgia",
    "state of Georgia",
    "Georgia state",
    "Georgia, USA",
    "Georgia, U.S.",
    # The Korean peninsula is both Koreas.
    "Korean Peninsula",
    "Korean War",
    # Organisations named after a city that are not that country's
    "Shanghai Cooperation Organisation",
    "Shanghai Cooperation Organization",
    "Paris Agreement",
    "Paris climate agreement",
    "Treaty of Rome",
    "Council of Europe",
    "Astana format",
    "Michael Jordan",
    "River Jordan",
    "Jordan River",
    # Generic uses of the C5+1 label for the family of formats
    "C5+1 formats",
    "C5+1 mechanisms",
    "C5+1 platforms",
    "C5+1 partnerships",
    "C5+1-style",
    "C5+X",
    # The same false friends in Korean and Russian
    "한반도",
    "Корейский полуостров",
    "Индийский океан",
    "Латинская Америка",
    "Северная Америка",
    "Южная Америка",
    "Шанхайская организация сотрудничества",
)

# Phrases meaning "the five Central Asian states", with how strongly each
# suggests all five (a plain "Central Asian states" may mean some of them).
CENTRAL_ASIA_GROUP_WORDS: dict[str, float] = {}
for _noun in (
    "states",
    "countries",
    "republics",
    "nations",
    "leaders",
    "presidents",
    "heads of state",
    "governments",
    "foreign ministers",
    "capitals",
):
    CENTRAL_ASIA_GROUP_WORDS[f"five Central Asian {_noun}"] = 0.8
    CENTRAL_ASIA_GROUP_WORDS[f"all five Central Asian {_noun}"] = 0.8
    CENTRAL_ASIA_GROUP_WORDS[f"five {_noun} of Central Asia"] = 0.8
    CENTRAL_ASIA_GROUP_WORDS[f"Central Asian {_noun}"] = 0.5
    CENTRAL_ASIA_GROUP_WORDS[f"C5 {_noun}"] = 0.8
CENTRAL_ASIA_GROUP_WORDS.update(
    {"C5": 0.6, "the five presidents": 0.6, "the Central Asian five": 0.8}
)
del _noun
# The same in Korean ("the five Central Asian countries", "Central Asian
# countries") and Russian (matched with their case endings: "пяти стран
# Центральной Азии").
for _region in ("중앙아시아", "중앙아"):
    for _five in ("5개국", "5국", "5개 국가", "다섯 나라"):
        CENTRAL_ASIA_GROUP_WORDS[f"{_region} {_five}"] = 0.8
    CENTRAL_ASIA_GROUP_WORDS[f"{_region} 국가들"] = 0.5
for _noun in ("государства", "страны", "республики"):
    CENTRAL_ASIA_GROUP_WORDS[f"пять {_noun} Центральной Азии"] = 0.8
    CENTRAL_ASIA_GROUP_WORDS[f"{_noun} Центральной Азии"] = 0.5
for _noun in ("государства", "страны", "республики"):
    CENTRAL_ASIA_GROUP_WORDS[f"пять центральноазиатских {_noun}"] = 0.8
    CENTRAL_ASIA_GROUP_WORDS[f"центральноазиатские {_noun}"] = 0.5
CENTRAL_ASIA_GROUP_WORDS.update(
    {"Центральноазиатская пятерка": 0.8, "пятерка Центральной Азии": 0.8}
)
del _region, _five, _noun

# Framework names coverage uses besides those in the record. Each framework
# also matches "<partner>–Central Asia", "Central Asia + <partner>" and
# "C5+<partner>" for every name of its partner.
FRAMEWORK_ALIASES: dict[str, tuple[str, ...]] = {
    "c5-plus-1": ("C5 + 1", "US–Central Asia", "United States–Central Asia", "Central Asia–US"),
    "central-asia-japan": ("Central Asia plus Japan Dialogue", "CA+J"),
    "eu-central-asia": ("EU–Central Asia Summit", "EU–Central Asia ministerial"),
    "china-central-asia": ("China–Central Asia Summit", "China + Central Asia", "Xi'an summit"),
    "india-central-asia": ("India–Central Asia Dialogue", "India–Central Asia Summit"),
    "korea-central-asia": (
        "Korea–Central Asia Cooperation Forum",
        "Korea–Central Asia Summit",
        "K-Silk Road",
    ),
    "russia-central-asia": ("Russia–Central Asia", "Central Asia–Russia Summit"),
    "germany-central-asia": ("Z5+1 format",),
    "gcc-central-asia": (
        "Gulf–Central Asia",
        "GCC–Central Asia Summit",
        "GCC–Central Asia Strategic Dialogue",
    ),
    "italy-central-asia": ("Italy–Central Asia", "Italy 1+5", "Italy + Central Asia"),
    "france-central-asia": ("France–Central Asia",),
    "c5-consultative-meeting": (
        "Consultative Meeting",
        "Consultative Meetings",
        "consultative summit",
        "Consultative Meeting of the Heads of State",
    ),
}

# Framework names too short or too generic to count by themselves: "C5" is
# also the bloc's code and what coverage calls the five states.
AMBIGUOUS_FRAMEWORK_NAMES: frozenset[str] = frozenset({"C5"})
