// Slugs as the server makes them (summits/slugs.py, the one rule): "C5+1
// ministers meet" → "c5-plus-1-ministers-meet". The server has the last word:
// a slug left empty is made there, so the forms work without this script.
//
// It fills every slug field the admin prepopulates (Django's prepopulate.js
// calls URLify, replaced here), and follows the fields a slug input names
// in its data-slug-rule: an article's headline until it is first published,
// a new summit's framework, date and city. A slug typed by hand is kept.
"use strict";
{
  const PLUS = /[+\uff0b]/g;
  const CONTRACTION = /(?<=[\p{L}\p{N}])['\u2019\u02bc](?=[st](?![\p{L}\p{N}]))/gu;
  const WORD = /[\p{L}\p{N}]+/gu;
  const MARK = /\p{M}/gu;
  const NON_ASCII = /[^\x00-\x7f]/gu;
  const LETTER = /^[\p{L}\p{N}]$/u;
  const LATIN_LETTERS = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ł: "l", ı: "i", þ: "th" };
  const CYRILLIC_LATIN = {};
  const pairs = (from, to) => [...from].forEach((letter, i) => (CYRILLIC_LATIN[letter] = to[i]));
  pairs("абвгдезийклмнопрстуфхцыэ", "abvgdezijklmnoprstufhcye");
  Object.assign(CYRILLIC_LATIN, {
    ё: "yo", ж: "zh", ч: "ch", ш: "sh", щ: "sh", ю: "yu", я: "ya", ъ: "", ь: "",
  });
  pairs("әғқңөұүһіўҳҷ", "agqnouuhiohj");
  const INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split(" ");
  const VOWELS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split(" ");
  const FINALS = "- k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split(" ");
  const bare = (part) => (part === "-" ? "" : part);

  const romanized = (text) =>
    [...text.toLowerCase()]
      .map((character) => {
        if (character in CYRILLIC_LATIN) return CYRILLIC_LATIN[character];
        if (character >= "가" && character <= "힣") {
          const index = character.codePointAt(0) - 0xac00;
          return (
            bare(INITIALS[Math.floor(index / 588)]) +
            VOWELS[Math.floor((index % 588) / 28)] +
            bare(FINALS[index % 28])
          );
        }
        return character;
      })
      .join("");

  const slugify = (value, { allowUnicode = false, maxLength = null } = {}) => {
    let text = String(value).normalize("NFKC").toLowerCase();
    text = text.replace(PLUS, " plus ").replace(CONTRACTION, "");
    if (!allowUnicode) {
      text = romanized(text).normalize("NFKD").replace(MARK, "");
      text = text.replace(NON_ASCII, (character) =>
        character in LATIN_LETTERS ? LATIN_LETTERS[character] : LETTER.test(character) ? "" : " ",
      );
    }
    let slug = (text.replace(MARK, "").match(WORD) || []).join("-");
    const letters = [...slug];
    if (maxLength && letters.length > maxLength) {
      const cut = letters.slice(0, maxLength + 1).join("");
      slug = cut.includes("-")
        ? cut.slice(0, cut.lastIndexOf("-"))
        : letters.slice(0, maxLength).join("");
    }
    return slug;
  };

  // A date as the form takes it (journal/formats): 2026-12-06, 2026년 12월 6일, or
  // the day first, 06/12/2026 or 06.12.26 (a two-digit year as Python reads it).
  const isoDate = (value) => {
    const text = value.trim();
    let match =
      /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text) ||
      /^(\d{4})년 (\d{1,2})월 (\d{1,2})일$/.exec(text);
    if (match) return [match[1], match[2], match[3]];
    match = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})$/.exec(text);
    if (!match) return null;
    const short = Number(match[3]);
    const year = match[3].length === 4 ? short : short + (short < 69 ? 2000 : 1900);
    return [String(year), match[2], match[1]];
  };
  const pad = (number) => String(number).padStart(2, "0");

  const summitSlug = ({ framework, startDate = "", approximateMonth = "", city = "" }) => {
    const start = isoDate(startDate);
    const month = isoDate(approximateMonth);
    const when = start
      ? `${start[0]}-${pad(start[1])}-${pad(start[2])}`
      : month
        ? `${month[0]}-${pad(month[1])}`
        : "";
    const place = slugify(city) || "virtual";
    return slugify([framework, when, place].filter(Boolean).join(" "), { maxLength: 100 });
  };

  window.journalSlugs = { slugify, summitSlug };
  // Django's prepopulated fields (a contributor's, a country's) take the same rule.
  window.URLify = (text, maxLength, allowUnicode) => slugify(text, { allowUnicode, maxLength });

  const rules = {
    text: (input, sources) => () =>
      slugify(sources.map((source) => source.value).join(" "), {
        allowUnicode: "slugUnicode" in input.dataset,
        maxLength: Number(input.dataset.slugMaxLength) || null,
      }),
    summit: (input, sources) => {
      const [framework, start, month, city] = sources;
      const frameworks = JSON.parse(input.dataset.slugFrameworks || "{}");
      return () =>
        framework.value in frameworks
          ? summitSlug({
              framework: frameworks[framework.value],
              startDate: start.value,
              approximateMonth: month.value,
              city: city.value,
            })
          : "";
    },
  };

  const follow = (input) => {
    const ids = JSON.parse(input.dataset.slugSources || "[]");
    const sources = ids.map((id) => document.getElementById(id));
    const rule = rules[input.dataset.slugRule];
    if (!rule || !sources.length || sources.some((source) => !source)) return;
    const compute = rule(input, sources);
    // What the slug holds while it follows; anything else was typed by hand.
    let previous = "slugFollows" in input.dataset ? input.value : compute();
    const update = () => {
      const next = compute();
      if (input.value === previous || input.value === "") input.value = next;
      previous = next;
    };
    const jQuery = window.django && window.django.jQuery;
    for (const source of sources) {
      // The calendar and clock write a date without an event, then focus the input.
      source.addEventListener("input", update);
      source.addEventListener("focus", update);
      // Autocompletes (select2) announce a choice through jQuery only.
      if (jQuery) jQuery(source).on("change", update);
      else source.addEventListener("change", update);
    }
  };

  document.querySelectorAll("input[data-slug-rule]").forEach(follow);
}
