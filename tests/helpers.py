"""Shared helpers for tests: run the real pipeline on hand-written text."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.ingest.clean import clean
from bot.ingest.islands import Gazetteer
from bot.ingest.loader import RawArticle
from bot.ingest.people import Directory
from bot.ingest.pipeline import ArticleFacts, extract_article
from bot.models import ArticleMeta, PartialDate

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@cache
def directory() -> Directory:
    return Directory.load()


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def extract(text: str, published: str | None = "2019-01-04", article_id: str = "test") -> ArticleFacts:
    """Extract facts from `text` as if it were an article file."""
    meta = ArticleMeta(
        article_id,
        "Test",
        "Test Outlet",
        None,
        PartialDate.parse(published) if published else None,
        None,
        "0",
    )
    return extract_article(RawArticle(meta, text, clean(text)), directory(), gazetteer())


def speakers(text: str, published: str | None = "2019-01-04") -> list[tuple[str, str]]:
    """(speaker, quote text) for every quote found in `text`."""
    return [(q.speaker, q.text) for q in extract(text, published).quotes]
