"""Read article files and their metadata; a file that cannot be read is skipped with a reason."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bot.ingest.clean import Cleaned, clean
from bot.models import ArticleMeta, PartialDate

log = logging.getLogger(__name__)

MANIFEST = "articles.toml"
MAX_BYTES = 5 * 1024 * 1024  # a news article is a few KB; anything this big is not one
URL_MAX = 2048  # Discord refuses longer links, and no article's address is near it
ARTICLE_SUFFIXES = (".txt",)


@dataclass(frozen=True, slots=True)
class RawArticle:
    """An article's metadata, its text as read, and the cleaning of that text."""

    meta: ArticleMeta
    text: str
    cleaned: Cleaned


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was not ingested, and why."""

    path: str
    reason: str


@dataclass(slots=True)
class Corpus:
    articles: list[RawArticle]
    skipped: list[Skipped]
    warnings: list[str]


def decode(data: bytes) -> str:
    """Decode an article file: UTF-8 (with or without BOM) or UTF-16 with a BOM; ValueError otherwise.

    Line ends are normalised the way Python's text mode reads files, so offsets index the text exactly as
    `Path.read_text()` returns it.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data:
            raise ValueError("binary file (contains NUL bytes)")
        try:
            text = data.decode("utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not valid UTF-8 (byte {exc.start})") from None
    if data.startswith(codecs.BOM_UTF8) is False and text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise ValueError("binary file (contains NUL characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_hash(paths: Iterable[Path]) -> str:
    """A hash over the names and bytes of the article files and manifests: the store's build key."""
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(path.name.encode())
        h.update(b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def article_files(folder: Path) -> list[Path]:
    """The article files of a folder, in name order."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".")
    )


def source_files(folders: Iterable[Path]) -> list[Path]:
    """Article files plus manifests: everything whose change means a rebuild."""
    out: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            out.extend(article_files(folder))
            if (folder / MANIFEST).is_file():
                out.append(folder / MANIFEST)
    return out


def _read_manifest(folder: Path, warnings: list[str]) -> dict[str, dict[str, object]]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        warnings.append(
            f"{path.name} in {folder.name}: unreadable manifest ({exc}); metadata inferred from text"
        )
        return {}
    return {k: v for k, v in raw.items() if isinstance(v, dict)}


@dataclass(frozen=True, slots=True)
class ArticleFile:
    """An article file to read, with its manifest entry (empty when the manifest does not list it)."""

    path: Path
    entry: dict[str, object]


def corpus_plan(folders: Iterable[Path]) -> list[ArticleFile | str]:
    """What `load_corpus` reads, in order: article files, and warnings about missing folders or manifests."""
    plan: list[ArticleFile | str] = []
    for folder in folders:
        if not folder.is_dir():
            plan.append(f"articles folder not found: {folder}")
            continue
        warnings: list[str] = []
        manifest = _read_manifest(folder, warnings)
        plan.extend(warnings)
        plan.extend(ArticleFile(path, manifest.get(path.name, {})) for path in article_files(folder))
    return plan


def read_article(path: Path) -> tuple[bytes, str, Cleaned]:
    """The bytes, text and cleaning of one article file; OSError or ValueError (the reason) when unusable."""
    size = path.stat().st_size
    if size == 0:
        raise ValueError("empty file")
    if size > MAX_BYTES:
        raise ValueError(
            f"too large for an article ({size // (1024 * 1024)} MB > {MAX_BYTES // (1024 * 1024)} MB)"
        )
    data = path.read_bytes()
    text = decode(data)
    if not text.strip():
        raise ValueError("no text (only whitespace)")
    cleaned = clean(text)
    if not cleaned.paragraphs:
        raise ValueError("no article text after removing page furniture")
    return data, text, cleaned


def load_article(file: ArticleFile, warnings: list[str]) -> RawArticle:
    """Read one article and its metadata (OSError or ValueError when unusable); appends metadata warnings."""
    data, text, cleaned = read_article(file.path)
    meta = build_meta(file.path.stem, file.path, data, text, cleaned, file.entry, warnings)
    return RawArticle(meta, text, cleaned)


def load_corpus(folders: Iterable[Path]) -> Corpus:
    """Read every article in `folders`; unreadable files are skipped with a reason, never fatal."""
    corpus = Corpus([], [], [])
    seen: set[str] = set()
    for item in corpus_plan(folders):
        if isinstance(item, str):
            corpus.warnings.append(item)
            continue
        path = item.path
        try:
            data, text, cleaned = read_article(path)
        except (OSError, ValueError) as exc:
            corpus.skipped.append(Skipped(str(path.name), str(exc)))
            continue
        article_id = path.stem
        if article_id in seen:
            corpus.skipped.append(Skipped(path.name, duplicate_reason(article_id)))
            continue
        seen.add(article_id)
        meta = build_meta(article_id, path, data, text, cleaned, item.entry, corpus.warnings)
        corpus.articles.append(RawArticle(meta, text, cleaned))
    return corpus


def duplicate_reason(article_id: str) -> str:
    """Why a second file with the same article id is skipped."""
    return f"duplicate article id {article_id!r}"


_OUTLETS_BY_DOMAIN = {
    "themoscowtimes.com": "The Moscow Times",
    "tass.com": "TASS",
    "tass.ru": "TASS",
    "japantimes.co.jp": "The Japan Times",
    "reuters.com": "Reuters",
    "apnews.com": "AP",
    "nhk.or.jp": "NHK",
    "kyodonews.net": "Kyodo News",
    "rt.com": "RT",
    "sputniknews.com": "Sputnik",
    "asahi.com": "The Asahi Shimbun",
    "mainichi.jp": "The Mainichi",
    "japan-forward.com": "Japan Forward",
    "nikkei.com": "Nikkei",
    "asia.nikkei.com": "Nikkei Asia",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "theguardian.com": "The Guardian",
    "nytimes.com": "The New York Times",
    "kremlin.ru": "Kremlin",
    "mid.ru": "Russian Foreign Ministry",
    "mofa.go.jp": "Japanese Foreign Ministry",
}


def _outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlparse(url).hostname or "").removeprefix("www.").removeprefix("en.")
    return _OUTLETS_BY_DOMAIN.get(host, host or None)


def _valid_url(url: str | None) -> bool:
    if not url or len(url) > URL_MAX or any(ch.isspace() or not ch.isprintable() for ch in url):
        return False
    try:
        parsed = urlparse(url)
        return parsed.scheme in ("http", "https") and bool(parsed.hostname)
    except ValueError:  # e.g. "https://[x": an unbalanced bracket where an IPv6 host would be
        return False


def _in_future(date: PartialDate) -> bool:
    # A day of slack: an article dated today in Tokyo is already dated tomorrow in UTC terms.
    latest = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    return (date.year, date.month or 0, date.day or 0) > (latest.year, latest.month, latest.day)


def _infer_published(cleaned: Cleaned) -> tuple[PartialDate | None, str | None]:
    from bot.ingest.dates import find_dates  # local import: the date grammar is compiled on first use

    for label, line in (("publication line", cleaned.published_line), ("dateline", cleaned.dateline)):
        if not line:
            continue
        for mention in find_dates(line):
            if mention.date is not None and not mention.relative and mention.date.granularity != "year":
                return mention.date, f"inferred from the {label} {line!r}"
    return None, None


def build_meta(
    article_id: str,
    path: Path,
    data: bytes,
    text: str,
    cleaned: Cleaned,
    entry: dict[str, object],
    warnings: list[str],
) -> ArticleMeta:
    """Manifest values where given, else what the text itself says."""

    def text_field(name: str) -> str | None:
        value = entry.get(name)
        return str(value).strip() if isinstance(value, str) and value.strip() else None

    title = text_field("title") or cleaned.title
    if not title:
        first = cleaned.paragraphs[0].text.strip()
        title = first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"
    url = text_field("url") or cleaned.source_url
    if url is not None and not _valid_url(url):
        warnings.append(f"{path.name}: URL {url[:60]!r} is not a usable http(s) link; ignored")
        url = None
    outlet = (
        text_field("outlet") or _outlet_from_url(url) or (cleaned.agency.upper() if cleaned.agency else None)
    )
    published: PartialDate | None = None
    note = text_field("published_note")
    raw_date = entry.get("published")
    if raw_date is not None:
        try:
            published = PartialDate.parse(str(raw_date))
        except ValueError:
            warnings.append(f"{path.name}: manifest date {raw_date!r} is not YYYY-MM-DD or YYYY-MM; ignored")
    if published is None:
        published, inferred_note = _infer_published(cleaned)
        note = note or inferred_note
    if published is not None and _in_future(published):
        # Relative dates ("last December") resolved against a future date would invent events.
        warnings.append(
            f"{path.name}: publication date {published.iso()} is in the future; ignored, so relative "
            "dates in it stay unresolved"
        )
        published, note = None, None
    return ArticleMeta(
        article_id=article_id,
        title=re.sub(r"\s+", " ", title),
        outlet=outlet,
        url=url,
        published=published,
        published_note=note,
        sha256=hashlib.sha256(data).hexdigest(),
        path=str(path),
    )
