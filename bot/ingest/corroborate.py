"""Merge the same fact found in several articles into one fact with every source.

Events are the same when they have the same date and similar text; quotes when the speaker is the same
and the words are (nearly) the same; island facts when the island and date match and the sentence is
(nearly) the same. Comparison only happens inside those blocks.

Within a block, each item joins the group of the first earlier group representative (the words of the
group's first item) it is similar to, or starts a group. Comparing every item with every representative
is quadratic in the size of a block, so the representatives an item could be similar to are found first
with bounds that never miss one, and only those are compared:

* quotes and island facts (`fuzz.ratio` >= 90): the ratio is 100 * (1 - d / (len(a) + len(b))), with d
  the number of characters inserted or deleted to turn one text into the other. d is at least the
  difference of the two texts' character counts, summed over characters; that sum is computed for all
  pairs of similar length at once, as a matrix product of unary-coded character counts.
* events (at least four shared word stems): a stem-set prefix filter (two sets sharing k elements share
  one of the |S| - k + 1 rarest elements of each).

An item whose words are the same as an earlier item's gets the same answer without a search: the
representatives before the one the earlier item found were not similar then and are not now.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from rapidfuzz import fuzz, process

from bot.ingest.pipeline import ArticleEvent, ArticleFacts, ArticleIslandFact, ArticleQuote
from bot.models import Citation, Event, IslandFact, Quote
from bot.text import content_words

if TYPE_CHECKING:
    import numpy as np

EVENT_THRESHOLD = 60.0
EVENT_MIN_SHARED = 4  # shared word stems: short generic sentences never merge on the date alone
QUOTE_THRESHOLD = 90.0
ISLAND_THRESHOLD = 90.0

# The kinds of block `block_groups` knows.
QUOTES, EVENTS, ISLANDS = "quotes", "events", "islands"
_RATIO_THRESHOLDS = {QUOTES: QUOTE_THRESHOLD, ISLANDS: ISLAND_THRESHOLD}

# Below this many distinct texts a block is searched directly; above, through the character-count bound.
_DIRECT_MAX = 48
_TILE = 256  # texts whose candidates are computed in one matrix product
_TOP_CHARACTERS = 64  # characters counted one by one; the others are counted together

T = TypeVar("T")
BlockTask = tuple[str, list[str]]  # (kind, the texts of a block's items in order)
BlockRunner = Callable[[list[BlockTask]], list[list[int]]]


def _stems(text: str) -> str:
    # A crude stem (the first five letters) lets "voted"/"voting" and "Security"/"security" agree.
    return " ".join(w[:5] for w in text.split())


def _event_similar(a: str, b: str) -> bool:
    if not a or not b:
        return a == b
    sa, sb = _stems(a), _stems(b)
    shared = set(sa.split()) & set(sb.split())
    return len(shared) >= EVENT_MIN_SHARED and fuzz.token_set_ratio(sa, sb) >= EVENT_THRESHOLD


def block_groups(kind: str, texts: Sequence[str]) -> list[int]:
    """Group the items of one block: for each item (by its text, in order), the index of the item that
    started its group (its own index when it starts one)."""
    norm_of: dict[str, str] = {}
    norms = []
    for text in texts:
        norm = norm_of.get(text)
        if norm is None:
            norm = norm_of[text] = content_words(text)
        norms.append(norm)
    distinct = list(dict.fromkeys(norms))
    if kind == EVENTS:
        joins = _event_joins(distinct)
    else:
        joins = _ratio_joins(distinct, _RATIO_THRESHOLDS[kind])
    index = {norm: i for i, norm in enumerate(distinct)}
    founder: dict[int, int] = {}  # representative (distinct index) -> the item that started its group
    out = []
    for k, norm in enumerate(norms):
        rep = joins[index[norm]]
        if rep < 0:
            out.append(k)  # similar to nothing, not even to itself: every such item is a group of its own
        else:
            out.append(founder.setdefault(rep, k))
    return out


def _event_joins(norms: list[str]) -> list[int]:
    """For each distinct event text in order: the representative it joins (its own index when it
    becomes one), or -1 when it is similar to nothing."""
    stems = [set(_stems(n).split()) for n in norms]
    df = Counter(s for ss in stems for s in ss)
    postings: dict[str, list[int]] = {}
    joins = []
    for i, norm in enumerate(norms):
        if not norm:
            joins.append(i)  # only ever equal to itself
            continue
        if len(stems[i]) < EVENT_MIN_SHARED:
            joins.append(-1)
            continue
        ordered = sorted(stems[i], key=lambda s: (df[s], s))
        prefix = ordered[: len(ordered) - EVENT_MIN_SHARED + 1]
        candidates = sorted({r for s in prefix for r in postings.get(s, ())})
        found = next((r for r in candidates if _event_similar(norms[r], norm)), None)
        if found is None:
            joins.append(i)
            for s in prefix:
                postings.setdefault(s, []).append(i)
        else:
            joins.append(found)
    return joins


def _ratio_joins(norms: list[str], threshold: float) -> list[int]:
    """For each distinct text in order: the first earlier representative with `fuzz.ratio` >= threshold
    (its own index when there is none and it becomes a representative; -1 when it is not even similar to
    itself)."""
    reflexive = fuzz.ratio("", "") >= threshold
    direct = len(norms) <= _DIRECT_MAX
    if not direct:
        earlier, bounds = _ratio_candidates(norms, threshold)
    is_rep = [False] * len(norms)
    joins = []
    for i, norm in enumerate(norms):
        if not norm and not reflexive:
            joins.append(-1)
            continue
        candidates = range(i) if direct else earlier[bounds[i] : bounds[i + 1]].tolist()
        reps = [j for j in candidates if is_rep[j]]
        found = None
        if reps:
            # extract_iter scores in C and yields matches in the order given: the first is the answer.
            choices = [norms[j] for j in reps]
            for _, _, k in process.extract_iter(norm, choices, scorer=fuzz.ratio, score_cutoff=threshold):
                found = reps[k]
                break
        if found is None:
            is_rep[i] = True
            found = i
        joins.append(found)
    return joins


def _ratio_candidates(norms: list[str], threshold: float) -> tuple[np.ndarray, list[int]]:
    """For each text i, the earlier texts (ascending) that can have `fuzz.ratio` >= threshold with it:
    `earlier[bounds[i] : bounds[i + 1]]`.

    With d the insertions and deletions between a and b, the ratio is at least the threshold only when
    d <= f * (len(a) + len(b)), f = 1 - threshold / 100; d >= sum over characters c of |a_c - b_c|
    (a_c: the count of c in a), so sum(min(a_c, b_c)) >= ((1 - f) * (len(a) + len(b)) - slack) / 2.
    With counts written in unary (a_c ones), sum(min(a_c, b_c)) is a dot product: one matrix product
    gives it for a tile of texts against every text of similar length.
    """
    import numpy as np  # here, not at import time: only big blocks need it

    n = len(norms)
    f = 1.0 - threshold / 100.0
    lengths = np.fromiter((len(s) for s in norms), dtype=np.int64, count=n)
    order = np.argsort(lengths, kind="stable")
    sorted_lengths = lengths[order]
    unary = _unary_counts([norms[i] for i in order.tolist()], sorted_lengths)
    # Half of what sum(min(a_c, b_c)) must reach, per text, lowered a little against rounding.
    half = ((1.0 - f) / 2.0 * sorted_lengths - 0.5).astype(np.float32)
    # A similar pair differs in length by at most d: only texts of similar length are compared.
    high = np.searchsorted(sorted_lengths, np.ceil((1 + f) / (1 - f) * sorted_lengths) + 2, "right")
    keys = []
    for start in range(0, n, _TILE):
        # Each pair once: a tile against itself and the longer texts after it (the bound is symmetric).
        stop = min(n, start + _TILE)
        hi = int(high[stop - 1])
        shared = unary[start:stop] @ unary[start:hi].T
        shared -= half[start:hi][None, :]
        rows, cols = np.nonzero(shared >= half[start:stop][:, None])
        a, b = order[start + rows], order[start + cols]
        keys.append(np.maximum(a, b) * n + np.minimum(a, b))
    pairs = np.sort(np.concatenate(keys))
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # pairs inside a tile come twice
    bounds = np.searchsorted(pairs // n, np.arange(n + 1), "left").tolist()
    return pairs % n, bounds


def _unary_counts(norms: list[str], lengths: np.ndarray) -> np.ndarray:
    """Per text, its character counts in unary: for each counted character c, max(c) columns of which
    the first (count of c) are 1. The less frequent characters are counted together in one group."""
    import numpy as np

    n = len(norms)
    codes = np.frombuffer("".join(norms).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    frequency = np.bincount(codes)
    top = np.argsort(-frequency, kind="stable")[: min(_TOP_CHARACTERS, int(np.count_nonzero(frequency)))]
    columns = np.full(len(frequency), len(top), dtype=np.int64)  # the rest share the last column
    columns[top] = np.arange(len(top))
    width = len(top) + 1
    rows = np.repeat(np.arange(n), lengths)
    counts = np.bincount(rows * width + columns[codes], minlength=n * width).reshape(n, width)
    maxima = counts.max(axis=0)
    unary = np.zeros((n, int(maxima.sum())), dtype=np.float32)
    offset = 0
    for c in range(width):
        m = int(maxima[c])
        unary[:, offset : offset + m] = counts[:, c][:, None] > np.arange(m)[None, :]
        offset += m
    return unary


def _blocks(items: Sequence[T], block: Callable[[T], Hashable]) -> list[list[int]]:
    """The indices of the items of each block, blocks in the order of their first item."""
    blocks: dict[Hashable, list[int]] = {}
    for k, item in enumerate(items):
        blocks.setdefault(block(item), []).append(k)
    return list(blocks.values())


def _groups(items: Sequence[T], blocks: list[list[int]], founders: Iterable[list[int]]) -> list[list[T]]:
    """The items in groups (given each block's `block_groups`), in the order the groups were started."""
    founder = [0] * len(items)
    for ks, block_founders in zip(blocks, founders, strict=True):
        for k, f in zip(ks, block_founders, strict=True):
            founder[k] = ks[f]
    groups: dict[int, list[T]] = {}
    for k, item in enumerate(items):
        groups.setdefault(founder[k], []).append(item)
    return list(groups.values())


def run_blocks(tasks: list[BlockTask]) -> list[list[int]]:
    """`block_groups` for each task, in this process."""
    return [block_groups(kind, texts) for kind, texts in tasks]


def _sources(citations: list[Citation]) -> tuple[Citation, ...]:
    """The citations without repeats of a passage, in order."""
    if len(citations) == 1:
        return (citations[0],)
    first: dict[tuple[str, int, int], Citation] = {}
    for c in citations:
        first.setdefault((c.article_id, c.start, c.end), c)
    return tuple(first.values())


class MergePlan:
    """`merge` in steps, so that the blocks can be grouped elsewhere (in worker processes) and each kind of
    fact finished as soon as its blocks are: `tasks(kind)`, then `quotes`/`events`/`islands` with the
    groupings of those tasks, in order (each once)."""

    def __init__(self, articles: Sequence[ArticleFacts]) -> None:
        self._quotes = [q for a in articles for q in a.quotes]
        self._events = [e for a in articles for e in a.events]
        self._islands = [f for a in articles for f in a.island_facts]
        self._quote_blocks = _blocks(self._quotes, lambda q: (q.speaker_kind, q.speaker))
        self._event_blocks = _blocks(self._events, lambda e: e.date)
        self._island_blocks = _blocks(self._islands, lambda f: (f.island, f.date))

    def tasks(self, kind: str) -> list[BlockTask]:
        """The blocks of one kind of fact, to be grouped with `block_groups`."""
        kinds: dict[
            str, tuple[Sequence[ArticleQuote | ArticleEvent | ArticleIslandFact], list[list[int]]]
        ] = {
            QUOTES: (self._quotes, self._quote_blocks),
            EVENTS: (self._events, self._event_blocks),
            ISLANDS: (self._islands, self._island_blocks),
        }
        items, blocks = kinds[kind]
        return [(kind, [items[k].text for k in ks]) for ks in blocks]

    def quotes(self, grouped: Iterable[list[int]]) -> list[Quote]:
        """The corroborated quotes (once: the plan lets go of the extracted ones)."""
        items, self._quotes = self._quotes, []
        out = []
        for group in _groups(items, self._quote_blocks, grouped):
            best = max(group, key=lambda q: (not q.partial, len(q.text)))
            dated = [q.date for q in group if q.date is not None]
            described = next((q.speaker_description for q in group if q.speaker_description), None)
            out.append(
                Quote(
                    best.text,
                    best.speaker,
                    best.partial,
                    min(dated) if dated else None,
                    _sources([q.citation for q in group]),
                    speaker_kind=best.speaker_kind,
                    speaker_description=described,
                )
            )
        return out

    def events(self, grouped: Iterable[list[int]]) -> list[Event]:
        """The corroborated events (once: the plan lets go of the extracted ones)."""
        items, self._events = self._events, []
        out = []
        for group in _groups(items, self._event_blocks, grouped):
            best = max(group, key=lambda e: len(e.text))
            out.append(Event(best.date, best.text, _sources([e.citation for e in group])))
        return out

    def islands(self, grouped: Iterable[list[int]]) -> list[IslandFact]:
        """The corroborated island facts (once: the plan lets go of the extracted ones)."""
        items, self._islands = self._islands, []
        out = []
        for group in _groups(items, self._island_blocks, grouped):
            best = group[0]
            out.append(IslandFact(best.island, best.text, best.date, _sources([f.citation for f in group])))
        return out


def merge(
    articles: Sequence[ArticleFacts], groups_of: BlockRunner = run_blocks
) -> tuple[list[Quote], list[Event], list[IslandFact]]:
    """Corroborated quotes, events and island facts over all articles, in a stable order.

    `groups_of` groups the blocks (all at once, so that a parallel runner can balance them).
    """
    plan = MergePlan(articles)
    quote_tasks, event_tasks, island_tasks = plan.tasks(QUOTES), plan.tasks(EVENTS), plan.tasks(ISLANDS)
    results = groups_of([*quote_tasks, *event_tasks, *island_tasks])
    n_quotes, n_events = len(quote_tasks), len(event_tasks)
    return (
        plan.quotes(results[:n_quotes]),
        plan.events(results[n_quotes : n_quotes + n_events]),
        plan.islands(results[n_quotes + n_events :]),
    )
