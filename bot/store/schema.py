"""The fact store's schema. Bump SCHEMA_VERSION on any change: a store of another version is rebuilt."""

from __future__ import annotations

SCHEMA_VERSION = 3
# Bumped when extraction changes what a build produces, so stores built by older code are rebuilt.
EXTRACTOR_VERSION = 2

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    id TEXT PRIMARY KEY, ord INTEGER NOT NULL, title TEXT NOT NULL, outlet TEXT, url TEXT, published TEXT,
    published_note TEXT, sha256 TEXT NOT NULL, path TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id), start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE INDEX passages_article ON passages(article_id, start);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY, text TEXT NOT NULL, speaker TEXT NOT NULL, partial INTEGER NOT NULL,
    date TEXT, sort_key TEXT, speaker_kind TEXT NOT NULL, speaker_description TEXT
);
CREATE INDEX quotes_speaker ON quotes(speaker, sort_key);
CREATE TABLE events (
    id INTEGER PRIMARY KEY, date TEXT NOT NULL, granularity TEXT NOT NULL, sort_key TEXT NOT NULL,
    year INTEGER NOT NULL, month INTEGER, day INTEGER, text TEXT NOT NULL
);
CREATE INDEX events_sort ON events(sort_key);
CREATE INDEX events_month_day ON events(month, day);
CREATE TABLE island_facts (
    id INTEGER PRIMARY KEY, island TEXT NOT NULL, text TEXT NOT NULL, date TEXT, sort_key TEXT
);
CREATE INDEX island_facts_island ON island_facts(island, sort_key);
CREATE TABLE sources (
    fact_kind TEXT NOT NULL, fact_id INTEGER NOT NULL, ord INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id), start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    excerpt TEXT NOT NULL, PRIMARY KEY (fact_kind, fact_id, ord)
) WITHOUT ROWID;
CREATE INDEX sources_article ON sources(article_id);
CREATE TABLE speakers (name TEXT PRIMARY KEY, quotes INTEGER NOT NULL, kind TEXT NOT NULL);
CREATE TABLE skipped (path TEXT NOT NULL, reason TEXT NOT NULL);
"""
