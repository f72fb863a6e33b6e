"""The Discord layer: the client, its replies and page buttons, the embeds, translations and library patches.

- `client`: `FactBot` (owns the fact store, the state database and the command sync) and `run()`;
- `replies`: the command tree's one error handler and the one way an interaction is answered;
- `paging`: page buttons that survive restarts, and the saved queries behind them;
- `embeds`: answers rendered as Discord messages; `autocomplete`: choices within Discord's limits;
- `translations`: command names and descriptions in Japanese and Russian;
- `patches`: what discord.py must be told that it has no setting for, applied once by `run()`.

The slash commands themselves are the cogs in `commands/`.
"""
