"""The peer: tantivy (its official Python bindings) over the same quotes, queried with fuzzy terms.

Each query word becomes a fuzzy term query on the quote text and on the speaker (edit distance 1 from five
characters, 2 from nine, as users expect typo tolerance to behave), plus an exact term query so that
words typed correctly are ranked by BM25: tantivy scores fuzzy matches as constants. All clauses are
SHOULD clauses, like the OR candidate query of factbot's own quote search.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

_TOKEN = re.compile(r"[^\W_]+")  # tantivy's default tokenizer: alphanumeric runs, lower-cased


def unavailable_reason() -> str | None:
    """Why tantivy cannot be used here, or None when it can."""
    try:
        import tantivy  # noqa: F401
    except ImportError as exc:
        return f"tantivy is not importable ({exc}); install the `bench` extra"
    return None


def distance(word: str) -> int:
    """The edit distance a fuzzy term query allows for this word."""
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


class TantivyQuotes:
    """An in-memory tantivy index of (id, text, speaker) quotes."""

    def __init__(self, quotes: Sequence[tuple[int, str, str]]) -> None:
        import tantivy

        self._tantivy = tantivy
        started = time.perf_counter()
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=True, fast=True)
        builder.add_text_field("text", stored=False)
        builder.add_text_field("speaker", stored=False)
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema)
        writer = self.index.writer(heap_size=64_000_000, num_threads=1)
        for fid, text, speaker in quotes:
            writer.add_document(tantivy.Document(id=fid, text=text, speaker=speaker))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        self.index_seconds = time.perf_counter() - started
        self.size = len(quotes)

    def query(self, text: str) -> Any:
        """The boolean query for a user's words."""
        tantivy = self._tantivy
        clauses = []
        for word in dict.fromkeys(_TOKEN.findall(text.lower())):
            clauses.append((tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "text", word)))
            d = distance(word)
            if d:
                for field in ("text", "speaker"):
                    fuzzy = tantivy.Query.fuzzy_term_query(self.schema, field, word, distance=d)
                    clauses.append((tantivy.Occur.Should, fuzzy))
            else:
                clauses.append((tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "speaker", word)))
        return tantivy.Query.boolean_query(clauses)

    def search(self, text: str, k: int = 5) -> list[int]:
        """Ids of the k best quotes for the words in `text`."""
        if not _TOKEN.search(text):
            return []
        result = self.searcher.search(self.query(text), k, count=False)
        return [self.searcher.doc(address)["id"][0] for _score, address in result.hits]
