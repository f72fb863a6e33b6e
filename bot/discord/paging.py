"""Paged answers: previous/next buttons that keep working after a restart, and the queries behind them.

A button's custom id carries the kind of answer, the saved query's id and the page (a `DynamicItem`, so
any running bot can answer a click on a message an earlier process sent). The query's options are kept in
the state database; the page is drawn again from them with the pager its cog registered. Saved queries
expire: the state database keeps the PAGE_QUERIES_KEPT most recently saved, none older than
PAGE_QUERY_MAX_AGE; a button whose query expired says so and asks for the command again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, cast

import discord

from bot.answers import Facts
from bot.daily import StateStore
from bot.discord.embeds import NO_MENTIONS, Page
from bot.discord.replies import UserFacingError, reply_failure, send_page

Pager = Callable[[Facts, dict[str, Any]], Awaitable[Sequence[Page]]]
Clock = Callable[[], dt.datetime]

PAGE_QUERIES_KEPT = 1000  # page-button queries the state database keeps (the most recently saved)
PAGE_QUERY_MAX_AGE = dt.timedelta(days=30)  # and for how long after they were last saved


class Paging:
    """The pagers the cogs registered, and the saved queries their buttons name."""

    def __init__(self, facts: Facts, state: StateStore, clock: Clock) -> None:
        self.facts = facts
        self.state = state
        self.clock = clock
        self.pagers: dict[str, Pager] = {}
        # The most recently written, oldest first, with when each was written.
        self._saved: OrderedDict[str, dt.datetime] = OrderedDict()

    def register(self, kind: str, pager: Pager) -> None:
        """Draw the pages of `kind` answers with `pager` when their buttons are clicked."""
        self.pagers[kind] = pager

    async def save_query(self, kind: str, options: dict[str, Any]) -> str:
        """Remember a query so its page buttons work later, even after a restart; returns its id.

        Saved again, a query counts as new: it expires PAGE_QUERY_MAX_AGE after its last save, or once
        PAGE_QUERIES_KEPT others were saved after it.
        """
        blob = json.dumps({"kind": kind, "options": options}, sort_keys=True, ensure_ascii=False)
        qid = hashlib.sha256(blob.encode()).hexdigest()[:12]
        now = self.clock()
        # A popular question is written once, not once per asker: a query among the last half of those
        # written, and written in the first half of its lifetime, stays kept for a good while yet.
        written = self._saved.get(qid)
        if written is not None and now - written < PAGE_QUERY_MAX_AGE / 2:
            return qid
        await self.state.save_page_query(
            qid, blob, keep=PAGE_QUERIES_KEPT, now=now, forget_before=now - PAGE_QUERY_MAX_AGE
        )
        self._saved.pop(qid, None)
        self._saved[qid] = now
        if len(self._saved) > PAGE_QUERIES_KEPT // 2:
            self._saved.popitem(last=False)
        return qid

    async def load_query(self, qid: str) -> dict[str, Any] | None:
        """The options saved under `qid`, or None when they expired or were never saved."""
        blob = await self.state.load_page_query(qid, saved_since=self.clock() - PAGE_QUERY_MAX_AGE)
        if blob is None:
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
        file: discord.File | None = None,
    ) -> None:
        """Send the first page, with buttons for the rest."""
        view = None
        if len(pages) > 1:
            view = pager_view(kind, await self.save_query(kind, options), 0, len(pages))
        await send_page(interaction, pages[0], view=view, file=file)

    async def pages(self, kind: str, qid: str) -> Sequence[Page]:
        """The pages of a saved query, drawn again; UserFacingError when they cannot be."""
        options = await self.load_query(qid)
        pager = self.pagers.get(kind)
        if options is None or pager is None:
            raise UserFacingError("These results have expired. Please run the command again.")
        return await pager(self.facts, options)


class _PagingClient(Protocol):
    paging: Paging


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"pg:(?P<kind>[a-z]+):(?P<qid>[0-9a-f]{12}):(?P<page>\d+)",
):
    """A pagination button that keeps working after a restart: its custom_id carries the query and page."""

    def __init__(self, kind: str, qid: str, page: int, *, label: str, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=f"pg:{kind}:{qid}:{page}",
            )
        )
        self.kind, self.qid, self.page = kind, qid, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PageButton:
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["kind"], match["qid"], int(match["page"]), label=label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self._turn_page(interaction)
        except Exception as exc:
            # A view's errors go to the view, which only logs them: answer here as the command tree would.
            await reply_failure(interaction, exc)

    async def _turn_page(self, interaction: discord.Interaction) -> None:
        paging = cast(_PagingClient, interaction.client).paging
        pages = await paging.pages(self.kind, self.qid)
        page = max(0, min(self.page, len(pages) - 1))
        await interaction.response.edit_message(
            embeds=pages[page].embeds,
            attachments=[],
            view=pager_view(self.kind, self.qid, page, len(pages)),
            allowed_mentions=NO_MENTIONS,
        )


def pager_view(kind: str, qid: str, page: int, pages: int) -> discord.ui.View | None:
    """Previous/next buttons for a paged answer (None when it fits on one page)."""
    if pages <= 1:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton(kind, qid, max(page - 1, 0), label="◀ Previous", disabled=page == 0))
    view.add_item(PageButton(kind, qid, min(page + 1, pages - 1), label="Next ▶", disabled=page >= pages - 1))
    return view
