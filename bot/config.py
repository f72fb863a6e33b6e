"""Settings from the environment and `.env`; every setting is documented in `.env.example`."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.answers.help import Link
from bot.bundled import seeds_folder

# Relative paths are relative to the current folder, as `.env` is: run from a checkout, that is the
# repository's `data/` and `articles/`; run from anywhere else (an installed wheel), a `data/` folder there.
DATA = Path("data")


class Settings(BaseSettings):
    """All settings. The token is a secret: it never appears in a repr, a log line or an error."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    discord_token: SecretStr | None = Field(default=None, alias="DISCORD_TOKEN")
    discord_guild_id: int | None = Field(default=None, alias="DISCORD_GUILD_ID")
    discord_api_base_url: str = Field(default="https://discord.com/api/v10", alias="DISCORD_API_BASE_URL")
    discord_gateway_url: str = Field(default="wss://gateway.discord.gg/", alias="DISCORD_GATEWAY_URL")
    db_path: Path = Field(default=DATA / "facts.db", alias="FACTBOT_DB_PATH")
    # How often a running bot looks for a new build of the store file (0: only on SIGHUP).
    store_poll_seconds: float = Field(default=30.0, ge=0, alias="FACTBOT_STORE_POLL_SECONDS")
    state_db_path: Path = Field(default=DATA / "state.db", alias="FACTBOT_STATE_DB_PATH")
    # A PostgreSQL URL puts the state where several processes share it; unset, the SQLite file above.
    state_url: SecretStr | None = Field(default=None, alias="FACTBOT_STATE_URL")
    # A comma-separated list in the environment, not JSON.
    articles: Annotated[list[Path], NoDecode] = Field(
        default_factory=lambda: [seeds_folder(), Path("articles")], alias="FACTBOT_ARTICLES"
    )
    log_level: str = Field(default="INFO", alias="FACTBOT_LOG_LEVEL")
    chart_cooldown_seconds: float = Field(default=30.0, alias="FACTBOT_CHART_COOLDOWN_SECONDS")
    daily_pause_after: int = Field(default=3, alias="FACTBOT_DAILY_PAUSE_AFTER")
    # Daily posts a second, all processes together (Discord allows a bot 50 requests a second in all).
    daily_posts_per_second: float = Field(default=25.0, gt=0, le=50, alias="FACTBOT_DAILY_POSTS_PER_SECOND")
    support_url: str | None = Field(default=None, alias="FACTBOT_SUPPORT_URL")
    source_code_url: str | None = Field(default=None, alias="FACTBOT_SOURCE_CODE_URL")
    # Sharding: how many shards the bot has in all, and which of them this process runs (all when unset).
    shard_count: int | None = Field(default=None, alias="FACTBOT_SHARD_COUNT")
    shard_ids: Annotated[list[int] | None, NoDecode] = Field(default=None, alias="FACTBOT_SHARD_IDS")
    # Seconds between two IDENTIFYs of the whole deployment (Discord allows one per 5 s per bucket).
    identify_interval: float = Field(default=5.0, ge=0, alias="FACTBOT_IDENTIFY_INTERVAL_SECONDS")
    # GET /healthz on this port (unset: no health endpoint), on this address.
    health_port: int | None = Field(default=None, ge=0, le=65535, alias="FACTBOT_HEALTH_PORT")
    health_host: str = Field(default="127.0.0.1", alias="FACTBOT_HEALTH_HOST")

    @field_validator("discord_guild_id", mode="before")
    @classmethod
    def _empty_guild(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("state_url", mode="before")
    @classmethod
    def _empty_state_url(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("state_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("postgresql://", "postgres://")):
            raise ValueError("FACTBOT_STATE_URL must be a postgresql:// URL (unset it for the SQLite file)")
        return value

    @field_validator("health_port", mode="before")
    @classmethod
    def _empty_port(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("shard_count", mode="before")
    @classmethod
    def _empty_count(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if value in ("", None):
            return None
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        return value

    @model_validator(mode="after")
    def _shards(self) -> Settings:
        check_shards(self.shard_count, self.shard_ids)
        return self

    @field_validator("discord_token", mode="before")
    @classmethod
    def _empty_token(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("support_url", "source_code_url", mode="before")
    @classmethod
    def _link(cls, value: object) -> object:
        if value in ("", None):
            return None
        text = str(value).strip()
        if not text.startswith(("https://", "http://")) or any(c.isspace() or c in "<>()" for c in text):
            raise ValueError(f"not a web address (https://…): {text[:80]!r}")
        return text

    @field_validator("articles", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        if isinstance(value, str):
            return [Path(p.strip()) for p in value.replace(";", ",").split(",") if p.strip()]
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in logging.getLevelNamesMapping():
            raise ValueError(f"unknown log level {value!r}")
        return level

    @property
    def sharded(self) -> bool:
        """Whether the bot runs as shards (a shard count is set)."""
        return self.shard_count is not None

    def owns_guild(self, guild_id: int) -> bool:
        """Whether this process serves the guild: its shard is one of this process's (or it is not sharded)."""
        if self.shard_count is None:
            return True
        shard = (guild_id >> 22) % self.shard_count
        return self.shard_ids is None or shard in self.shard_ids

    @property
    def state_location(self) -> str:
        """Where the state database is: the PostgreSQL URL when one is set, else the SQLite file's path."""
        return self.state_url.get_secret_value() if self.state_url else str(self.state_db_path)

    @property
    def has_token(self) -> bool:
        return self.discord_token is not None and bool(self.discord_token.get_secret_value().strip())

    @property
    def help_links(self) -> tuple[Link, ...]:
        """The links `/help` shows: those configured, in a fixed order."""
        named = (("Support server", self.support_url), ("Source code", self.source_code_url))
        return tuple(Link(label, url) for label, url in named if url)


def check_shards(count: int | None, ids: list[int] | None) -> None:
    """ValueError (one line) unless `ids` are distinct shards of `count` (ids need a count)."""
    if count is None:
        if ids is not None:
            raise ValueError("shard ids need a shard count (FACTBOT_SHARD_COUNT or --shard-count)")
        return
    if count < 1:
        raise ValueError(f"the shard count must be at least 1, not {count}")
    if ids is not None:
        if not ids or len(set(ids)) != len(ids):
            raise ValueError("shard ids must be a list of different shards, such as 0,1")
        outside = [i for i in ids if not 0 <= i < count]
        if outside:
            raise ValueError(f"shard {outside[0]} is not one of the {count} shards (0 to {count - 1})")
