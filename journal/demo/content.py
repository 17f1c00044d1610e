"""Demo contributors and articles for a fresh site, loaded by `manage.py load_demo_content`.

The people are fictional. The articles state only what the reference data in
summits/reference_data records (dates, places, who met, the notes); the rest
is framing and analysis, and every quotation belongs to a fictional person.
Publish times are offsets from the moment of loading, so the demo always has
recent stories, one scheduled story and unpublished work on the desk.
"""

import datetime
import re
from dataclasses import dataclass

from journal.models import Article, Byline, Contributor

CENTRAL_ASIA = ("KZ", "KG", "TJ", "TM", "UZ")
GULF = ("SA", "AE", "KW", "QA", "BH", "OM")


@dataclass(frozen=True)
class DemoContributor:
    slug: str
    name: str
    kind: str
    position: str
    affiliation: str = ""
    bio: str = ""
    email: str = ""


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    standfirst: str
    section: str
    body: str
    # (contributor slug, role), in the order readers see them.
    bylines: tuple[tuple[str, str], ...]
    countries: tuple[str, ...]
    frameworks: tuple[str, ...] = ()
    summits: tuple[str, ...] = ()
    status: str = Article.Status.PUBLISHED
    # Added to the time of loading: negative is in the past. None for unpublished work.
    publish_offset: datetime.timedelta | None = None
    featured: bool = False
    hero_caption: str = ""
    editors_note: str = ""
    credit_line: str = ""


def ago(days: int, hours: int = 0) -> datetime.timedelta:
    return -datetime.timedelta(days=days, hours=hours)


def ahead(days: int, hours: int = 0) -> datetime.timedelta:
    return datetime.timedelta(days=days, hours=hours)


def _html(text: str) -> str:
    """Unwrap the source layout: one line per block, as an editor's paste would be."""
    flat = " ".join(text.split())
    return re.sub(r"(</(?:p|h2|blockquote)>)\s*", r"\1\n", flat).strip()


SAULE = "saule-temirkhanova"
FARRUKH = "farrukh-rakhimbaev"
CLARA = "clara-venning"
TOBIAS = "tobias-lindqvist"
BAEK = "baek-sung-jae"

CONTRIBUTORS = (
    DemoContributor(
        slug=SAULE,
        name="Saule Temirkhanova",
        kind=Contributor.Kind.STAFF,
        position="Correspondent, Almaty",
        affiliation="Diplomacy Journal",
        bio=(
            "Saule covers Kazakhstan and Kyrgyzstan for the journal from Almaty, following "
            "the summits the two countries host and the documents those meetings produce."
        ),
        email="saule.temirkhanova@example.org",
    ),
    DemoContributor(
        slug=FARRUKH,
        name="Farrukh Rakhimbaev",
        kind=Contributor.Kind.STAFF,
        position="Correspondent, Tashkent",
        affiliation="Diplomacy Journal",
        bio=(
            "Farrukh reports from Tashkent on Uzbekistan, Tajikistan and Turkmenistan, and "
            "keeps track of the region's own consultative summits."
        ),
        email="farrukh.rakhimbaev@example.org",
    ),
    DemoContributor(
        slug=CLARA,
        name="Clara Venning",
        kind=Contributor.Kind.STAFF,
        position="Editor",
        affiliation="Diplomacy Journal",
        bio=(
            "Clara edits the journal and writes its occasional editorials. She also runs "
            "the desk that keeps the summit records up to date."
        ),
        email="clara.venning@example.org",
    ),
    DemoContributor(
        slug=TOBIAS,
        name="Tobias Lindqvist",
        kind=Contributor.Kind.GUEST,
        position="Guest analyst",
        affiliation="Independent researcher",
        bio=(
            "Tobias studies how outside partners organise their diplomacy with Central Asia "
            "and contributes analysis to the journal as a guest writer."
        ),
    ),
    DemoContributor(
        slug=BAEK,
        name="Baek Sung-jae",
        kind=Contributor.Kind.GUEST,
        position="Former Ambassador of the Republic of Korea to the Kyrgyz Republic",
        bio=(
            "Baek Sung-jae is a retired Korean diplomat who served as ambassador in Bishkek. "
            "He writes occasionally on Korea's relations with Central Asia."
        ),
    ),
)

ARTICLES = (
    DemoArticle(
        slug="central-asia-plus-japan-holds-first-leaders-summit-in-tokyo",
        title="Central Asia plus Japan holds its first leaders' summit in Tokyo",
        standfirst=(
            "Twenty-one years after its launch at foreign-minister level, Japan's dialogue "
            "with the five Central Asian states has met for the first time at the top."
        ),
        section=Article.Section.NEWS,
        body=_html("""
            <p>The Central Asia plus Japan Dialogue held its first summit in Tokyo on
            19–20 December 2025, hosted by Prime Minister Takaichi. The leaders of Kazakhstan,
            Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan were welcomed at a dinner at
            the State Guest House on 19 December; the summit session followed the next day.</p>
            <p>The session adopted the Tokyo Declaration and launched the "CA+JAD Tokyo
            Initiative", built around three strands: green and resilience, connectivity, and
            human resources. It set a target of 3 trillion yen in business projects over five
            years.</p>
            <p>The meeting ended a long wait. The dialogue was launched at a foreign ministers'
            meeting in Astana on 28 August 2004, at which Turkmenistan was represented by its
            ambassador to Kazakhstan, and for two decades it worked at the level of ministers
            and senior officials.</p>
            <p>A first summit had been planned in Kazakhstan for August 2024, the dialogue's
            20th anniversary. It was called off when Prime Minister Kishida cancelled his
            travel after a Nankai Trough megaquake advisory.</p>
            <p>Japan's format is the oldest of the "Central Asia plus one" dialogues. With the
            Tokyo meeting it joins partners such as the United States, China, the European
            Union and Germany, whose formats already meet at the level of leaders.</p>
        """),
        bylines=((SAULE, Byline.Role.AUTHOR), (FARRUKH, Byline.Role.CONTRIBUTOR)),
        countries=(*CENTRAL_ASIA, "JP"),
        frameworks=("central-asia-japan",),
        summits=(
            "central-asia-japan-2025-12-19-tokyo",
            "central-asia-japan-2024-08-astana",
            "central-asia-japan-2004-08-28-astana",
        ),
        publish_offset=ago(days=2, hours=4),
        featured=True,
        hero_caption="Central Asia plus Japan: from a ministerial launch in 2004 to Tokyo.",
    ),
    DemoArticle(
        slug="c5-plus-1-marks-ten-years-with-white-house-summit",
        title="C5+1 marks ten years with a White House summit",
        standfirst=(
            "The five Central Asian presidents met President Trump in Washington on "
            "6 November 2025, the first C5+1 leaders' meeting held in the US capital."
        ),
        section=Article.Section.NEWS,
        body=_html("""
            <p>President Trump hosted the presidents of Kazakhstan, Kyrgyzstan, Tajikistan,
            Turkmenistan and Uzbekistan at the White House on 6 November 2025. The programme
            combined bilateral meetings in the Oval Office with a working dinner, and critical
            minerals led the agenda.</p>
            <p>The meeting marked ten years of the C5+1. The six foreign ministers first met as
            a group in New York in September 2015, and the format was formally launched in
            Samarkand on 1 November 2015, when Secretary of State Kerry and his five Central
            Asian counterparts adopted a joint declaration. The format counts its anniversary
            from that Samarkand date.</p>
            <p>For most of its first decade the C5+1 ran at ministerial level, with meetings in
            Washington in August 2016 and in Astana in February 2023. Leaders
            first met in the format on 19 September 2023, when President Biden received the
            five presidents on the sidelines of the 78th UN General Assembly in New York.</p>
            <p>The Washington summit was therefore the second at leaders' level, and the first
            held in the American capital rather than alongside a UN gathering. Whether the
            format now settles into a regular cycle of summits is a question only the next
            meetings can answer.</p>
        """),
        bylines=((FARRUKH, Byline.Role.AUTHOR),),
        countries=(*CENTRAL_ASIA, "US"),
        frameworks=("c5-plus-1",),
        summits=(
            "c5-plus-1-2025-11-06-washington-d-c",
            "c5-plus-1-2023-09-19-new-york",
            "c5-plus-1-2015-11-01-samarkand",
        ),
        publish_offset=ago(days=6, hours=2),
        hero_caption="The C5+1: launched in Samarkand in 2015, at leaders' level since 2023.",
    ),
    DemoArticle(
        slug="how-the-central-asia-plus-formats-climbed-to-the-summit",
        title="How the 'Central Asia plus' formats climbed to the summit",
        standfirst=(
            "Most of the region's partner formats began as meetings of foreign ministers. "
            "The routes they took to leaders' level say a good deal about each partner."
        ),
        section=Article.Section.ANALYSIS,
        body=_html("""
            <p>Almost every "Central Asia plus one" format started below the top. Japan opened
            its dialogue with foreign ministers in Astana in 2004; the United States launched
            the C5+1 with a ministerial declaration in Samarkand in 2015; China's mechanism
            began with a foreign ministers' video call in July 2020. Summits came later, and
            by different roads.</p>
            <h2>Different roads to the top</h2>
            <p>China moved fastest. A virtual leaders' meeting on 25 January 2022 marked thirty
            years of relations, and at Xi'an in May 2023 the six heads of state formally set up
            a summit mechanism, meeting every two years and alternating between China and
            Central Asia.</p>
            <p>The European Union climbed step by step: a regional dialogue of foreign
            ministers in Astana in 2007, meetings of the European Council President with the
            five presidents in Astana in October 2022 and Cholpon-Ata in June 2023, then a
            first formal EU–Central Asia Summit in Samarkand in April 2025.</p>
            <p>Germany skipped the ministerial stage altogether: its format began with
            Chancellor Scholz receiving the five presidents in Berlin in September 2023, and
            met again in Astana a year later. Italy took the long way, holding ministerial
            conferences in Rome, Tashkent and Rome again before Prime Minister Meloni met the
            five presidents in Astana in May 2025.</p>
            <p>The climb has become part of the message. A partner that reaches leaders' level
            signals that the region deserves a place in a head of government's diary. A format
            that stays with ministers, or with vice-ministers as Korea's forum has since 2007,
            signals something more modest, though not necessarily less useful.</p>
        """),
        bylines=((TOBIAS, Byline.Role.AUTHOR),),
        countries=(*CENTRAL_ASIA, "CN", "EU", "DE", "IT", "JP", "US"),
        frameworks=(
            "china-central-asia",
            "eu-central-asia",
            "germany-central-asia",
            "italy-central-asia",
            "central-asia-japan",
            "c5-plus-1",
            "korea-central-asia",
        ),
        summits=(
            "china-central-asia-2023-05-18-xi-an",
            "eu-central-asia-2025-04-03-samarkand",
            "germany-central-asia-2023-09-29-berlin",
            "italy-central-asia-2025-05-30-astana",
        ),
        publish_offset=ahead(days=3, hours=2),
        hero_caption="Partner formats and the different paths they took to leaders' level.",
    ),
    DemoArticle(
        slug="azerbaijan-joins-central-asian-consultative-summit",
        title="Azerbaijan joins Central Asia's consultative summit as a full participant",
        standfirst=(
            "At their seventh Consultative Meeting, held in Tashkent in November 2025, the "
            "Central Asian heads of state admitted a sixth participant to their own format."
        ),
        section=Article.Section.NEWS,
        body=_html("""
            <p>The seventh Consultative Meeting of the Heads of State of Central Asia took
            place in Tashkent on 15–16 November 2025, with the leaders' session on
            16 November. At the meeting Azerbaijan was admitted as a full participant in the
            format.</p>
            <p>The decision followed two years in which Azerbaijan's president attended as a
            guest. At the fifth meeting, in Dushanbe in September 2023, he was guest of honour
            of President Rahmon, who chaired; at the sixth, in Astana in August 2024, he again
            came as a guest.</p>
            <p>The consultative meeting is the summit the five Central Asian states hold among
            themselves, without an outside partner. Uzbekistan's president proposed it at the
            UN General Assembly in 2017, and it first convened in Astana on 15 March 2018.
            Since then it has rotated between the region's capitals and resorts, including
            Avaza in 2021 and Cholpon-Ata in 2022.</p>
            <p>Its decisions have grown in weight. At Cholpon-Ata, Kazakhstan, Kyrgyzstan and
            Uzbekistan signed a treaty on friendship and cooperation for the development of
            Central Asia, and the 2024 meeting in Astana adopted the "Central Asia 2040"
            regional development concept.</p>
            <p>A sixth participant changes the format's arithmetic. How the meeting balances its
            original focus on the five states with a member from the South Caucasus is likely
            to shape its next sessions.</p>
        """),
        bylines=((FARRUKH, Byline.Role.AUTHOR),),
        countries=(*CENTRAL_ASIA, "AZ"),
        frameworks=("c5-consultative-meeting",),
        summits=(
            "c5-consultative-meeting-2025-11-15-tashkent",
            "c5-consultative-meeting-2024-08-09-astana",
            "c5-consultative-meeting-2023-09-14-dushanbe",
            "c5-consultative-meeting-2018-03-15-astana",
        ),
        publish_offset=ago(days=9, hours=7),
        hero_caption="The Consultative Meeting of the Heads of State of Central Asia.",
    ),
    DemoArticle(
        slug="from-xian-to-astana-china-central-asia-summit-finds-its-rhythm",
        title="From Xi'an to Astana: China's summit with Central Asia finds its rhythm",
        standfirst=(
            "The second China–Central Asia Summit, the first held in the region, capped a "
            "rapid climb from a ministers' video call to a treaty."
        ),
        section=Article.Section.ANALYSIS,
        body=_html("""
            <p>When the leaders of China and the five Central Asian states met in Astana on
            17 June 2025, it was the first time their summit had been held in Central Asia.
            Xi Jinping arrived a day earlier, on 16 June, for bilateral talks; the summit
            session itself took place on the 17th.</p>
            <p>The leaders signed a Treaty of Permanent Good-Neighbourliness, Friendship and
            Cooperation alongside the Astana Declaration. A treaty is a heavier instrument than
            the declarations and joint statements with which partner summits in the region
            usually close, and it gives the six-party relationship a formal footing.</p>
            <p>The pace is the striking part. The mechanism began with a foreign ministers'
            meeting held by video on 16 July 2020, chaired by Wang Yi, which agreed to make
            such meetings regular. A virtual leaders' meeting followed on 25 January 2022 for
            the thirtieth anniversary of relations. At Xi'an in May 2023 the heads of state
            formally set up the summit mechanism, agreed on a permanent secretariat in China
            and named Kazakhstan as the next host.</p>
            <p>Astana thus kept to a schedule fixed two years earlier: a summit every two
            years, alternating between China and Central Asia. That predictability is an asset
            for five capitals that must fit many partners' summits into their calendars.</p>
            <p>For Kazakhstan it also completed a busy stretch: Astana had hosted the first
            Central Asia – Italy summit less than three weeks before, on 30 May 2025.</p>
        """),
        bylines=((SAULE, Byline.Role.AUTHOR),),
        countries=(*CENTRAL_ASIA, "CN"),
        frameworks=("china-central-asia",),
        summits=(
            "china-central-asia-2025-06-17-astana",
            "china-central-asia-2023-05-18-xi-an",
            "china-central-asia-2022-01-25-virtual",
            "china-central-asia-2020-07-16-virtual",
        ),
        publish_offset=ago(days=16, hours=1),
        hero_caption="The China–Central Asia mechanism, Xi'an 2023 to Astana 2025.",
    ),
    DemoArticle(
        slug="tobias-lindqvist-on-europe-and-central-asia",
        title="'A summit is a promise of attention': Tobias Lindqvist on Europe and Central Asia",
        standfirst=(
            "Our guest analyst on what changed when the EU's regional dialogue with Central "
            "Asia became a summit in Samarkand, and what to watch next."
        ),
        section=Article.Section.INTERVIEW,
        body=_html("""
            <p>The first EU–Central Asia Summit met in Samarkand on 3–4 April 2025. The EU was
            represented by António Costa and Ursula von der Leyen, and the plenary on 4 April
            was chaired by President Mirziyoyev. Relations were raised to a strategic
            partnership, and a 12-billion-euro Global Gateway package was announced. We asked
            Tobias Lindqvist, a guest analyst for the journal, what the meeting changed. The
            conversation has been edited for length.</p>
            <p><strong>The EU has had a regional track with Central Asia since 2007. What did a
            summit add?</strong></p>
            <p>Rank, mostly. For years the track ran through foreign ministers and strategy
            papers. The meetings with the European Council President in Astana in 2022 and in
            Cholpon-Ata in 2023 were a bridge. A summit with the presidents of the European
            Council and the European Commission is a promise of attention at the top, and
            partners tend to measure a relationship by who turns up.</p>
            <p><strong>Is "strategic partnership" more than a label?</strong></p>
            <p>A label matters when it brings a calendar with it. The test is whether it
            produces regular meetings and follow-up that officials on both sides are judged
            by, and the Global Gateway package at least gives them something concrete to
            report on. So watch whether a second summit is set, and where. If the EU settles
            into a rotation, the format will have become a habit rather than an event.</p>
        """),
        bylines=((CLARA, Byline.Role.AUTHOR), (TOBIAS, Byline.Role.CONTRIBUTOR)),
        countries=(*CENTRAL_ASIA, "EU"),
        frameworks=("eu-central-asia",),
        summits=(
            "eu-central-asia-2025-04-03-samarkand",
            "eu-central-asia-2023-06-02-cholpon-ata",
            "eu-central-asia-2022-10-27-astana",
            "eu-central-asia-2007-03-27-astana",
        ),
        publish_offset=ago(days=23, hours=5),
        hero_caption="The EU and Central Asia: from a 2007 ministerial dialogue to Samarkand.",
    ),
    DemoArticle(
        slug="two-decades-of-groundwork-korea-central-asia",
        title=(
            "Two decades of groundwork: what Korea's first summit with Central Asia should build on"
        ),
        standfirst=(
            "A former ambassador argues that the Korea–Central Asia Cooperation Forum, more "
            "than any single summit, is the real measure of the relationship."
        ),
        section=Article.Section.CONTRIBUTION,
        body=_html("""
            <p>When Korean diplomats talk about Central Asia, they tend to begin with a date few
            people outside the foreign ministry remember: 15 November 2007, when the first
            Korea–Central Asia Cooperation Forum met in Seoul. It was a modest gathering led by
            vice foreign ministers, with business people and scholars at the table. It has met
            regularly ever since, and in 2017 it gained a secretariat of its own.</p>
            <p>That is the foundation for a first leaders' summit. The summit was agreed during
            President Yoon's regional tour in June 2024 and meant for 2025. It was postponed
            after the political crisis in Seoul, and Foreign Minister Cho Hyun later
            rescheduled it for 16–17 September 2026.</p>
            <blockquote><p>A summit lasts a day or two. The forum is the rest of the
            year.</p></blockquote>
            <p>Every diplomat posted to the region learns that announcements are the easy part.
            Korea's advantage is a patient, working-level habit of meeting. Japan's path is
            worth noting here: its dialogue ran at ministerial level from 2004 until its first
            summit in Tokyo in December 2025, and arrived at that summit with two decades of
            work behind it.</p>
            <p>My advice to both sides is simple. Whenever the leaders meet, let them give the
            forum more to do rather than let the summit eclipse it. Education, training and
            exchanges of officials are where, in my view, Korea can contribute most, and where
            results are counted in years rather than communiqués.</p>
        """),
        bylines=((BAEK, Byline.Role.AUTHOR), (CLARA, Byline.Role.TRANSLATOR)),
        countries=("KR", *CENTRAL_ASIA, "JP"),
        frameworks=("korea-central-asia", "central-asia-japan"),
        summits=(
            "korea-central-asia-2007-11-15-seoul",
            "korea-central-asia-2026-09-16-seoul",
            "central-asia-japan-2025-12-19-tokyo",
        ),
        publish_offset=ago(days=4, hours=6),
        hero_caption="Korea and Central Asia: a vice-ministerial forum since 2007.",
        editors_note=(
            "Baek Sung-jae served as the Republic of Korea's ambassador to the Kyrgyz "
            "Republic. He wrote this article in Korean for the journal; the translation is "
            "ours and was approved by the author. The views expressed are his own. –Ed."
        ),
        credit_line="Submitted through the Embassy of the Kyrgyz Republic in Seoul",
    ),
    DemoArticle(
        slug="why-we-record-the-summits-that-did-not-happen",
        title="Postponed, cancelled, rescheduled: why we record the summits that did not happen",
        standfirst=(
            "A meeting that slips is part of the diplomatic record, and our summit pages "
            "will say so."
        ),
        section=Article.Section.OPINION,
        body=_html("""
            <p>Summit diplomacy is usually told through the meetings that took place. Our
            records of the Central Asian formats show how often the calendar moved instead,
            and we think readers should see that too.</p>
            <p>Some delays had causes nobody could control. The third Consultative Meeting of
            the Central Asian heads of state, planned for Kyrgyzstan in 2020, was postponed
            because of COVID-19 and held at Avaza, in Turkmenistan, in August 2021. A first
            Central Asia plus Japan summit planned in Kazakhstan for August 2024 was called
            off when the Japanese prime minister cancelled his travel after a megaquake
            advisory. The first Central Asia – Italy summit, set for 27 April 2025, moved to
            30 May because of Pope Francis's funeral.</p>
            <p>Other cases are less clear. The second GCC – Central Asia summit was announced
            for Samarkand on 5 May 2025 and postponed indefinitely, by mutual agreement, days
            before it was due. In the sources we have read, no new date has been given.</p>
            <p>We will not guess at reasons nobody has stated. But we will keep such meetings
            on the record, marked as postponed or cancelled, with the dates as they were
            announced. A format's reliability is part of its substance, and a summit that did
            not happen can tell readers as much as one that did.</p>
        """),
        bylines=((CLARA, Byline.Role.AUTHOR),),
        countries=("KG", "TM", "KZ", "JP", "IT", "UZ", "GCC"),
        frameworks=(
            "c5-consultative-meeting",
            "central-asia-japan",
            "italy-central-asia",
            "gcc-central-asia",
        ),
        summits=(
            "c5-consultative-meeting-2021-08-06-avaza",
            "central-asia-japan-2024-08-astana",
            "italy-central-asia-2025-05-30-astana",
            "gcc-central-asia-2025-05-05-samarkand",
        ),
        publish_offset=ago(days=30, hours=3),
        hero_caption="Meetings that moved: the summit calendar as it really ran.",
    ),
    DemoArticle(
        slug="russia-central-asia-a-summit-format-that-travels-with-the-cis",
        title="Russia and Central Asia: a summit format that travels with the CIS",
        standfirst=(
            "Both Russia–Central Asia summits so far were held alongside gatherings of the "
            "Commonwealth of Independent States. What does that say about the format?"
        ),
        section=Article.Section.ANALYSIS,
        body=_html("""
            <p>Russia's six-party format with the Central Asian states has met twice at
            leaders' level, and both times beside a CIS gathering. The first summit, in Astana
            on 14 October 2022, was held alongside the CIS heads-of-state meeting and marked
            thirty years of diplomatic relations. It adopted a joint statement on six-party
            cooperation.</p>
            <p>The second, in Dushanbe on 9 October 2025, was chaired by President Rahmon
            during Putin's state visit and the CIS summit. It adopted a final communiqué and a
            Joint Action Plan for 2025–2027.</p>
            <p>Beneath the summits runs a ministerial track whose first meeting we have not
            been able to date. Its fourth meeting was held in Tashkent on 16 July 2021 and its
            sixth in Samarkand on 14 April 2023, when Lavrov and his Central Asian
            counterparts reviewed follow-up to the 2022 summit; Turkmenistan took part at
            deputy level.</p>
            <p>Pairing the summit with the CIS calendar keeps travel light and attendance
            predictable. It also means the format rarely has a stage of its own, which may
            limit how far it develops an identity separate from the wider Commonwealth.</p>
            <p>[Desk: add a paragraph on the 2025–2027 action plan once we have the text.]</p>
        """),
        bylines=((SAULE, Byline.Role.AUTHOR),),
        countries=("RU", *CENTRAL_ASIA),
        frameworks=("russia-central-asia",),
        summits=(
            "russia-central-asia-2025-10-09-dushanbe",
            "russia-central-asia-2023-04-14-samarkand",
            "russia-central-asia-2022-10-14-astana",
        ),
        status=Article.Status.DRAFT,
    ),
    DemoArticle(
        slug="gulf-central-asia-dialogue-keeps-meeting-while-second-summit-waits",
        title="Gulf–Central Asia dialogue keeps meeting while its second summit waits",
        standfirst=(
            "Ministers of the Gulf and Central Asian states have met three times since 2022. "
            "Their leaders have met once."
        ),
        section=Article.Section.NEWS,
        body=_html("""
            <p>The GCC – Central Asia Strategic Dialogue brings together the six states of the
            Gulf Cooperation Council and the five Central Asian states. Its foreign ministers
            first met in Riyadh on 7 September 2022, chaired by the Saudi foreign minister, and
            adopted a Joint Action Plan for 2023–2027.</p>
            <p>Leaders followed within a year. The first GCC – Central Asia Summit was held in
            Jeddah on 19 July 2023, chaired by Crown Prince Mohammed bin Salman. The Gulf
            states attended at varying levels, and Uzbekistan was named host of the next
            summit, in 2025.</p>
            <p>The ministers kept their own rhythm. They met in Tashkent on 15 April 2024,
            co-chaired by Qatar's prime minister and foreign minister and by Uzbekistan's
            foreign minister, to prepare the second summit. They met again in Kuwait on
            16 April 2025, where a summit in Samarkand on 5 May 2025 was announced.</p>
            <p>That summit was postponed indefinitely, by mutual agreement, a few days before
            it was due. We have found no new date in the sources we have read.</p>
        """),
        bylines=((FARRUKH, Byline.Role.AUTHOR),),
        countries=(*CENTRAL_ASIA, *GULF, "GCC"),
        frameworks=("gcc-central-asia",),
        summits=(
            "gcc-central-asia-2022-09-07-riyadh",
            "gcc-central-asia-2023-07-19-jeddah",
            "gcc-central-asia-2024-04-15-tashkent",
            "gcc-central-asia-2025-04-16-kuwait-city",
            "gcc-central-asia-2025-05-05-samarkand",
        ),
        status=Article.Status.IN_REVIEW,
    ),
)
