"""Read article files and their metadata; a file that cannot be read is skipped with a reason."""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import logging
import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

from bot.ingest.clean import Cleaned, clean
from bot.models import ArticleMeta, PartialDate

log = logging.getLogger(__name__)

MANIFEST = "articles.toml"
MAX_BYTES = 5 * 1024 * 1024  # a news article is a few KB; anything this big is not one
URL_MAX = 2048  # Discord refuses longer links, and no article's address is near it
ARTICLE_SUFFIXES = (".txt",)
MANIFEST_MAX_BYTES = MAX_BYTES

# Why a file is not read, in the one-line form the build report shows.
VANISHED = "the file disappeared while it was read"
OUTSIDE = "a link to something outside the articles folder; not read"
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFLNK: "a link",
}


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
    """A hash over the names and bytes of files (the curated data and code a store is built with).

    A file that cannot be read (too large, not a regular file, gone) counts by what it is, its size and its
    modification time, never by reading it.
    """
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(os.fsencode(path.name))
        h.update(b"\0")
        try:
            h.update(_file_digest(path))
        except (OSError, ValueError) as exc:
            h.update(f"unread:{exc}:{_stat_key(path)}".encode(errors="backslashreplace"))
    return h.hexdigest()


def _file_digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    with _open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_BYTES:
            raise ValueError(f"too large: {size} bytes")
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.digest()


def _stat_key(path: Path) -> str:
    try:
        st = path.lstat()
    except OSError:
        return "gone"
    return f"{stat.S_IFMT(st.st_mode)}:{st.st_size}:{st.st_mtime_ns}"


def _open_regular(path: Path, *, follow: bool = True) -> BinaryIO:
    """`path` opened for reading when it is a regular file; ValueError (the reason) or OSError otherwise.

    Non-blocking, so that a FIFO named like an article is refused instead of waiting for a writer forever.
    Without `follow`, a link is refused (it was not one when it was checked).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ValueError(VANISHED) from None
    except IsADirectoryError:
        raise ValueError(f"not a regular file ({_KINDS[stat.S_IFDIR]})") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise ValueError(OUTSIDE) from None  # replaced by a link since it was checked
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ValueError(f"not a regular file ({_KINDS.get(stat.S_IFMT(mode), 'special file')})")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def roots_of(folders: Iterable[Path]) -> tuple[Path, ...]:
    """The articles folders as real paths: where an article file (or what it links to) must lie."""
    return tuple(Path(os.path.realpath(folder)) for folder in folders)


def _inside(path: Path, roots: tuple[Path, ...]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def read_inside(path: Path, roots: tuple[Path, ...], limit: int = MAX_BYTES) -> bytes:
    """The bytes of `path`, an entry of an articles folder, when it is a regular file there (or a link to
    one whose real path lies inside an articles folder) of at most `limit` bytes.

    ValueError (the reason) otherwise; nothing outside the folders is ever opened. An entry that is not a
    link is opened without following links, so one swapped in meanwhile is refused; a link's target is
    checked before the open and checked to be the file opened after it.
    """
    real = Path(os.path.realpath(path)) if os.path.islink(path) else None
    if real is not None and not _inside(real, roots):
        raise ValueError(OUTSIDE)
    with _open_regular(path, follow=real is not None) as f:
        opened = os.fstat(f.fileno())
        if real is not None:
            try:
                there = os.stat(real)
            except OSError:
                raise ValueError(VANISHED) from None
            if (there.st_dev, there.st_ino) != (opened.st_dev, opened.st_ino):
                raise ValueError(OUTSIDE)  # the link changed between the check and the open
        if opened.st_size == 0:
            raise ValueError("empty file")
        if opened.st_size > limit:
            raise ValueError(_too_large(opened.st_size, limit))
        data = f.read(limit + 1)  # the file may have grown since
    if len(data) > limit:
        raise ValueError(_too_large(len(data), limit))
    return data


def _too_large(size: int, limit: int) -> str:
    mb = 1024 * 1024
    return f"too large for an article ({size // mb} MB > {limit // mb} MB)"


def display_name(name: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 as \\xNN escapes, controls escaped."""
    shown = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in shown)


@dataclass(frozen=True, slots=True)
class FolderScan:
    """The article files of a folder, and what looks like one but is not read, with why."""

    files: list[Path]
    skipped: list[Skipped]
    skipped_paths: list[Path]  # the paths of `skipped`, whose names are shown escaped


def _looks_like_article(entry: os.DirEntry[str]) -> bool:
    return entry.name.lower().endswith(ARTICLE_SUFFIXES) and not entry.name.startswith(".")


def scan_folder(folder: Path, roots: tuple[Path, ...]) -> FolderScan:
    """The regular article files of a folder in name order; links out of `roots`, folders, pipes and
    unprintable names are skipped with a reason. The folder may change meanwhile: what vanished is left out."""
    scan = FolderScan([], [], [])
    try:
        with os.scandir(folder) as entries:
            found = sorted((e for e in entries if _looks_like_article(e)), key=lambda e: os.fsencode(e.name))
    except OSError:
        return scan
    for entry in found:
        reason = _unreadable_reason(entry, roots)
        if reason is None:
            scan.files.append(folder / entry.name)
        elif reason != VANISHED:
            scan.skipped.append(Skipped(display_name(entry.name), reason))
            scan.skipped_paths.append(folder / entry.name)
    return scan


def _unreadable_reason(entry: os.DirEntry[str], roots: tuple[Path, ...]) -> str | None:
    name = entry.name
    if not name.isprintable():
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            return "the file name is not valid UTF-8"
        return "the file name contains control characters"
    try:
        if entry.is_symlink() and not _inside(Path(os.path.realpath(entry.path)), roots):
            return OUTSIDE
        mode = os.stat(entry.path).st_mode
    except FileNotFoundError:
        return "a link to nothing (its target does not exist)" if entry.is_symlink() else VANISHED
    except OSError as exc:
        return f"cannot be read ({exc.strerror or type(exc).__name__})"
    if not stat.S_ISREG(mode):
        return f"not a regular file ({_KINDS.get(stat.S_IFMT(mode), 'special file')})"
    return None


def article_files(folder: Path) -> list[Path]:
    """The article files of a folder, in name order (see `scan_folder`)."""
    return scan_folder(folder, roots_of([folder])).files


def sources_hash(folders: Iterable[Path]) -> str:
    """A hash of everything in the articles folders whose change means a rebuild: the article files and
    manifests by their bytes, and what is skipped by its name, reason, size and time (it is in the store's
    list of skipped files). Read as the build reads: nothing outside the folders, nothing too large."""
    h = hashlib.sha256()
    folders = list(folders)
    roots = roots_of(folders)
    for folder in folders:
        scan = scan_folder(folder, roots)
        entries = [*scan.files, *scan.skipped_paths]  # each in name order
        if os.path.lexists(folder / MANIFEST):
            entries.append(folder / MANIFEST)
        for path in entries:
            h.update(os.fsencode(path.name) + b"\0")
            try:
                data = read_inside(path, roots)
            except (OSError, ValueError) as exc:
                h.update(f"unread:{exc}:{_stat_key(path)}".encode(errors="backslashreplace"))
            else:
                h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def _read_manifest(
    folder: Path, roots: tuple[Path, ...], warnings: list[str]
) -> dict[str, dict[str, object]]:
    path = folder / MANIFEST
    if not os.path.lexists(path):
        return {}
    try:
        raw = tomllib.loads(read_inside(path, roots, MANIFEST_MAX_BYTES).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError, ValueError, OSError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else _one_line(exc)
        warnings.append(
            f"{path.name} in {folder.name}: unreadable manifest ({reason}); metadata inferred from text"
        )
        return {}
    return {k: v for k, v in raw.items() if isinstance(v, dict)}


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return " ".join(str(exc).split()) or type(exc).__name__


@dataclass(frozen=True, slots=True)
class ArticleFile:
    """An article file to read, with its manifest entry (empty when the manifest does not list it)."""

    path: Path
    entry: dict[str, object]
    roots: tuple[Path, ...]  # the articles folders: the file must lie inside one of them


def corpus_plan(folders: Iterable[Path]) -> list[ArticleFile | Skipped | str]:
    """What `load_corpus` reads, in order: article files, files skipped before reading (with why), and
    warnings about missing folders or manifests."""
    folders = list(folders)
    roots = roots_of(folders)
    plan: list[ArticleFile | Skipped | str] = []
    for folder in folders:
        if not folder.is_dir():
            plan.append(f"articles folder not found: {folder}")
            continue
        warnings: list[str] = []
        manifest = _read_manifest(folder, roots, warnings)
        plan.extend(warnings)
        scan = scan_folder(folder, roots)
        plan.extend(scan.skipped)
        plan.extend(ArticleFile(path, manifest.get(path.name, {}), roots) for path in scan.files)
    return plan


def read_article(path: Path, roots: tuple[Path, ...]) -> tuple[bytes, str, Cleaned]:
    """The bytes, text and cleaning of one article file; ValueError (the reason) when unusable."""
    try:
        data = read_inside(path, roots)
    except OSError as exc:
        raise ValueError(f"cannot be read ({_one_line(exc)})") from None
    text = decode(data)
    if not text.strip():
        raise ValueError("no text (only whitespace)")
    cleaned = clean(text)
    if not cleaned.paragraphs:
        raise ValueError("no article text after removing page furniture")
    return data, text, cleaned


def load_article(file: ArticleFile, warnings: list[str]) -> RawArticle:
    """Read one article and its metadata (OSError or ValueError when unusable); appends metadata warnings."""
    data, text, cleaned = read_article(file.path, file.roots)
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
        if isinstance(item, Skipped):
            corpus.skipped.append(item)
            continue
        path = item.path
        try:
            data, text, cleaned = read_article(path, item.roots)
        except ValueError as exc:
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


def usable_url(url: str | None) -> bool:
    """Whether `url` is an http(s) link whose host is the one a browser would open.

    A backslash (browsers read it as "/", Python's parser does not) or a user name before the host
    ("https://reuters.com@evil.example") would make the outlet named after the link differ from where it
    leads, so such links are not used at all.
    """
    # Only the ASCII space is both whitespace and printable (Python's Unicode tables), so these two
    # whole-string tests refuse exactly the links with any whitespace or unprintable character.
    if not url or len(url) > URL_MAX or " " in url or not url.isprintable():
        return False
    if "\\" in url:
        return False
    try:
        parsed = urlparse(url)
        return parsed.scheme in ("http", "https") and bool(parsed.hostname) and "@" not in parsed.netloc
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
    if url is not None and not usable_url(url):
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
