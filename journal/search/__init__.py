"""Full-text search of published articles, the same on PostgreSQL and SQLite.

A reader's words are parsed here, once, into terms: words, "quoted phrases",
-excluded words and OR between alternatives. Each backend then runs the same
terms through its own engine:

- PostgreSQL: a weighted `SearchVector` kept in `SearchEntry.search_vector`
  (title A, standfirst and bylines B, body C) behind a GIN index, matched with
  `SearchQuery`, ranked with `ts_rank`, excerpted with `SearchHeadline`;
  pg_trgm's `similarity()` proposes spellings.
- SQLite: an FTS5 table, `journal_article_search`, whose rows are numbered
  in publication order (`SearchEntry.order_key`), ranked with bm25 (title 10,
  standfirst and bylines 4, body 1) and excerpted with `snippet()`; the same
  trigram similarity is computed here.

The index holds every published article, scheduled ones included, one
`SearchEntry` each: a search reads its newest matches and their publish
times there, never the articles' rows, and leaves out those whose time has
not come, so a scheduled article becomes findable at its time like
everywhere else. Only a search narrowed by filters joins the articles.
"""
