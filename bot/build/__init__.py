"""Building the fact store from the articles.

`builder` runs a build: it plans what to read, has the `workers` (one process per core) read and extract
the articles, whose facts travel back packed (`transport`), groups the facts that several articles state
(`bot.ingest.corroborate`, in the same workers) and hands them to the store's writer
(`bot.store.writer`), which writes the rows, seals the new store and swaps it in.

A quote on its way: `ExtractedQuote` (the quote extractor's find) → `ArticleQuote` (cited to one passage
of one article) → packed in transit → `Quote` (corroborated: every passage that states it) → rows → the
reader's `Quote`, whose sources are read when shown.
"""

from bot.build.builder import BuildReport, build_store, store_key

__all__ = ["BuildReport", "build_store", "store_key"]
