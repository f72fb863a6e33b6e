"""Paged answers: page buttons that keep working after a restart, and the queries behind them.

A button's custom id carries the kind of answer, the saved query's id, the page it shows, who may turn
the message's pages and which button it is (a `DynamicItem`, so any running bot can answer a click on a
message an earlier process sent). The asker turns the pages of the message itself; anyone else who
presses a button gets their own private copy at the page they asked for, whose buttons are theirs. The
query's options are kept in the state database; the page is drawn again from them with the pager its cog
registered. Saved queries expire: the state database keeps the PAGE_QUERIES_KEPT most recently saved, none
older than PAGE_QUERY_MAX_AGE; a button whose query expired says so and asks for the command again.

Every answer is sent through `Paging.send`, which also makes it private (ephemeral) when the asker chose
the `private` option. A burst of commands repeats questions, and Discord wants each first response within
3 s: the pages of the PAGES_CACHED most recent questions are kept (`Paging.answer`, per locale), each page
rendered once, and a query is written to the state database only after the answer went out.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, cast

import discord

from bot.answers import Facts
from bot.daily import StateStore
from bot.discord.embeds import NO_MENTIONS, Page
from bot.discord.replies import UserFacingError, holding_facts, reply_failure, send_page
from bot.render.locales import ENGLISH, N_, translate

log = logging.getLogger(__name__)

# The pages of a saved query in a locale (the presser's, when a button is pressed).
Pager = Callable[[Facts, dict[str, Any], str], Awaitable[Sequence[Page]]]
Clock = Callable[[], dt.datetime]

PAGE_QUERIES_KEPT = 1000  # page-button queries the state database keeps (the most recently saved)
PAGE_QUERY_MAX_AGE = dt.timedelta(days=30)  # and for how long after they were last saved
FIRST_LAST_AFTER = 3  # answers with more pages than this get first and last buttons too
PAGES_CACHED = 256  # questions whose pages are kept in memory (the most recently asked)


def query_id(kind: str, options: dict[str, Any]) -> str:
    """The id a query is saved under: the same question always gets the same id."""
    return hashlib.sha256(_query_blob(kind, options).encode()).hexdigest()[:12]


def _query_blob(kind: str, options: dict[str, Any]) -> str:
    return json.dumps({"kind": kind, "options": options}, sort_keys=True, ensure_ascii=False)


class Paging:
    """The pagers the cogs registered, and the saved queries their buttons name."""

    def __init__(self, facts: Callable[[], Facts], state: StateStore, clock: Clock) -> None:
        self._facts = facts  # the store the running answer holds (a newer build may replace it)
        self.state = state
        self.clock = clock
        self.pagers: dict[str, Pager] = {}
        # The most recently written, oldest first, with when each was written.
        self._saved: OrderedDict[str, dt.datetime] = OrderedDict()
        # Queries whose answer went out and whose write is under way (when they were asked): their buttons
        # work already.
        self._writing: dict[str, tuple[str, dt.datetime]] = {}
        self._saving: set[asyncio.Task[str]] = set()
        # The pages of the most recently asked questions in a locale, least recent first.
        # (store id, question, locale): a newer store's answers are drawn anew.
        self._pages: OrderedDict[tuple[str, str, str], Sequence[Page]] = OrderedDict()

    def register(self, kind: str, pager: Pager) -> None:
        """Draw the pages of `kind` answers with `pager` when their buttons are clicked."""
        self.pagers[kind] = pager

    async def save_query(
        self, kind: str, options: dict[str, Any], *, asked: dt.datetime | None = None
    ) -> str:
        """Remember a query so its page buttons work later, even after a restart; returns its id.

        Saved again, a query counts as new: it expires PAGE_QUERY_MAX_AGE after its last save (or after
        `asked`, when it was asked before it is saved), or once PAGE_QUERIES_KEPT others were saved after it.
        """
        blob = _query_blob(kind, options)
        qid = query_id(kind, options)
        now = asked or self.clock()
        # A popular question is written once, not once per asker: a query among the last half of those
        # written, and written in the first half of its lifetime, stays kept for a good while yet.
        written = self._saved.get(qid)
        if written is not None and now - written < PAGE_QUERY_MAX_AGE / 2:
            return qid
        self._writing[qid] = (blob, now)
        try:
            await self.state.save_page_query(
                qid, blob, keep=PAGE_QUERIES_KEPT, now=now, forget_before=now - PAGE_QUERY_MAX_AGE
            )
        finally:
            self._writing.pop(qid, None)
        self._saved.pop(qid, None)
        self._saved[qid] = now
        if len(self._saved) > PAGE_QUERIES_KEPT // 2:
            self._saved.popitem(last=False)
        return qid

    async def load_query(self, qid: str) -> dict[str, Any] | None:
        """The options saved under `qid`, or None when they expired or were never saved."""
        saved_since = self.clock() - PAGE_QUERY_MAX_AGE
        blob, asked = self._writing.get(qid, (None, saved_since))
        if blob is None:
            blob = await self.state.load_page_query(qid, saved_since=saved_since)
        if blob is None or asked < saved_since:
            return None
        try:
            return dict(json.loads(blob)["options"])
        except (ValueError, KeyError, TypeError):
            return None

    async def send(
        self,
        interaction: discord.Interaction,
        kind: str,
        options: dict[str, Any],
        pages: Sequence[Page],
        *,
        private: bool = False,
        file: discord.File | None = None,
    ) -> None:
        """Send the first page, with buttons for the rest; only the asker sees it when `private`.

        The query is saved for the buttons afterwards. The save is a database write: awaited before the
        answer, it would make the answer wait for every write queued before it, and in a burst that is most
        of Discord's 3 s. It goes on beside the answer, and `settle` waits for it.
        """
        if len(pages) <= 1:
            await send_page(interaction, pages[0], file=file, ephemeral=private)
            return
        saving = asyncio.create_task(self.save_query(kind, options, asked=self.clock()))
        self._saving.add(saving)
        saving.add_done_callback(self._saved_one)
        view = pager_view(
            kind,
            query_id(kind, options),
            0,
            len(pages),
            owner=interaction.user.id,
            locale=str(interaction.locale),
        )
        await send_page(interaction, pages[0], view=view, file=file, ephemeral=private)

    def _saved_one(self, task: asyncio.Task[str]) -> None:
        self._saving.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error(
                "a page query could not be saved; its buttons will say it expired", exc_info=task.exception()
            )

    async def settle(self) -> None:
        """Wait for the queries being saved (before the state database is closed)."""
        while self._saving:
            await asyncio.gather(*self._saving, return_exceptions=True)

    async def answer(self, kind: str, options: dict[str, Any], locale: str = ENGLISH) -> Sequence[Page]:
        """The pages of a question in `locale`, drawn by the pager registered for `kind`, or kept from a
        recent ask.

        The pages are shared by everyone who asks the same question: send them, never change them.
        """
        facts = self._facts()
        key = (facts.store.store_id, _query_blob(kind, options), locale)
        pages = self._pages.get(key)
        if pages is not None:
            self._pages.move_to_end(key)
            return pages
        pager = self.pagers.get(kind)
        if pager is None:
            raise KeyError(f"no pager registered for {kind!r}")
        pages = await pager(facts, options, locale)
        self._pages[key] = pages
        while len(self._pages) > PAGES_CACHED:
            self._pages.popitem(last=False)
        return pages

    async def pages(self, kind: str, qid: str, locale: str = ENGLISH) -> Sequence[Page]:
        """The pages of a saved query, drawn again in `locale`; UserFacingError when they cannot be."""
        options = await self.load_query(qid)
        if options is None or kind not in self.pagers:
            raise UserFacingError("These results have expired. Please run the command again.")
        return await self.answer(kind, options, locale)


class _PagingClient(Protocol):
    paging: Paging


# Which button of a message a custom id names: custom ids must differ within a message, and "first" and
# "previous" both lead to page 1 from page 2.
BUTTONS = {"f": N_("⏮ First"), "p": N_("◀ Previous"), "n": N_("Next ▶"), "l": N_("Last ⏭")}


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    # Messages sent before buttons named their owner have ids without the last two parts: anyone turns those.
    template=r"pg:(?P<kind>[a-z]+):(?P<qid>[0-9a-f]{12}):(?P<page>\d+)(?::(?P<owner>\d+):(?P<slot>[fpnl]))?",
):
    """A page button that keeps working after a restart: its custom_id carries the query, the page it
    shows and who may turn the message's pages (None: anyone)."""

    def __init__(
        self,
        kind: str,
        qid: str,
        page: int,
        *,
        owner: int | None,
        slot: str,
        label: str | None = None,
        disabled: bool = False,
    ) -> None:
        custom_id = f"pg:{kind}:{qid}:{page}" + (f":{owner}:{slot}" if owner is not None else "")
        super().__init__(
            discord.ui.Button(
                label=label or BUTTONS[slot],
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=custom_id,
            )
        )
        self.kind, self.qid, self.page, self.owner = kind, qid, page, owner

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        owner = int(match["owner"]) if match["owner"] else None
        return cls(
            match["kind"],
            match["qid"],
            int(match["page"]),
            owner=owner,
            slot=match["slot"] or "n",
            label=label,
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            async with holding_facts(interaction.client):
                await self._turn_page(interaction)
        except Exception as exc:
            # A view's errors go to the view, which only logs them: answer here as the command tree would.
            await reply_failure(interaction, exc)

    async def _turn_page(self, interaction: discord.Interaction) -> None:
        paging = cast(_PagingClient, interaction.client).paging
        locale = str(interaction.locale)  # the presser's: a copy for someone else reads in their language
        pages = await paging.pages(self.kind, self.qid, locale)
        page = max(0, min(self.page, len(pages) - 1))
        if self.owner is None or interaction.user.id == self.owner:
            await interaction.response.edit_message(
                embeds=pages[page].embeds,
                attachments=[],
                view=pager_view(self.kind, self.qid, page, len(pages), owner=self.owner, locale=locale),
                allowed_mentions=NO_MENTIONS,
            )
            return
        # Someone else's answer: the message stays where its asker left it; the presser gets a copy of
        # their own, whose buttons they turn.
        view = pager_view(self.kind, self.qid, page, len(pages), owner=interaction.user.id, locale=locale)
        await send_page(interaction, pages[page], view=view, ephemeral=True)


def pager_view(
    kind: str, qid: str, page: int, pages: int, *, owner: int | None, locale: str = ENGLISH
) -> discord.ui.View | None:
    """Page buttons for a paged answer whose pages `owner` turns (None when it fits on one page).

    Previous and next; first and last as well when there are more than FIRST_LAST_AFTER pages, except on
    messages sent before buttons named their owner: their ids cannot tell "first" from "previous".
    """
    if pages <= 1:
        return None
    last = pages - 1
    buttons = [("p", max(page - 1, 0), page == 0), ("n", min(page + 1, last), page >= last)]
    if pages > FIRST_LAST_AFTER and owner is not None:
        buttons = [("f", 0, page == 0), *buttons, ("l", last, page >= last)]
    view = discord.ui.View(timeout=None)
    for slot, target, disabled in buttons:
        label = translate(locale, BUTTONS[slot])
        view.add_item(PageButton(kind, qid, target, owner=owner, slot=slot, label=label, disabled=disabled))
    return view
