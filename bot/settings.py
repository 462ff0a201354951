"""Settings from the environment or a .env file (see .env.example)."""

from __future__ import annotations

import re

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org/bot"
_TOKEN_SHAPE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = TELEGRAM_API
    database_url: str = "sqlite+aiosqlite:///data/infocoach.db"
    log_level: str = "INFO"
    # Telegram's limits for everything the bot sends, replies and reminders together (bot/limiter.py).
    telegram_messages_per_second: float = Field(default=30, gt=0, le=1000)
    telegram_group_messages_per_minute: int = Field(default=20, gt=0, le=1000)
    # Reminders in flight at once (to different chats): a kill -9 can repeat at most this many (bot/dispatcher.py).
    dispatch_sends_at_once: int = Field(default=4, ge=1, le=32)

    def token(self) -> str:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else ""

    def api_base_url(self) -> str:
        """The base URL that python-telegram-bot appends the token to ("…/bot")."""
        url = self.telegram_api_base_url.rstrip("/")
        return url if url.endswith("/bot") else f"{url}/bot"

    def api_file_url(self) -> str:
        return self.api_base_url()[: -len("/bot")] + "/file/bot"


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot be a bot token, or None when it has the right shape."""
    if not token:
        return "TELEGRAM_BOT_TOKEN is not set."
    if not _TOKEN_SHAPE.match(token):
        return "TELEGRAM_BOT_TOKEN does not look like a bot token (it should look like 123456789:AAE…)."
    return None


HOW_TO_GET_A_TOKEN = """\
To get a bot token:
  1. In Telegram, open a chat with @BotFather and send /newbot.
  2. Choose a display name and a username ending in "bot".
  3. BotFather replies with a token such as 123456789:AAE-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.
  4. Put it in a .env file next to where you run infocoach:  TELEGRAM_BOT_TOKEN=123456789:AAE-…
     (or export it as an environment variable).
To try the bot without a token, run:  infocoach chat"""
