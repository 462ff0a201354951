"""Settings from the environment or a .env file (see .env.example)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org/bot"
_TOKEN_SHAPE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as a webhook's secret_token
_URL_SHAPE = re.compile(r"^https?://[^\s/?#]+[^\s#]*$")
WEB_ROUTES = ("/healthz", "/metrics")  # served next to the webhook (bot/web.py)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = TELEGRAM_API
    database_url: str = "sqlite+aiosqlite:///data/infocoach.db"
    log_level: str = "INFO"
    # "json": one JSON object per line for log collectors (bot/logs.py); never the token or message text.
    log_format: Literal["text", "json"] = "text"
    # Telegram's limits for everything the bot sends, replies and reminders together (bot/limiter.py).
    telegram_messages_per_second: float = Field(default=30, gt=0, le=1000)
    telegram_group_messages_per_minute: int = Field(default=20, gt=0, le=1000)
    # Reminders in flight at once (to different chats): a kill -9 can repeat at most this many (bot/dispatcher.py).
    dispatch_sends_at_once: int = Field(default=4, ge=1, le=32)
    # Webhook mode (`infocoach serve`) and the web endpoints /healthz and /metrics (bot/web.py).
    webhook_url: str | None = Field(default=None, max_length=2048)
    webhook_secret: SecretStr | None = None
    webhook_path: str = Field(default="/telegram", pattern=r"^/[A-Za-z0-9._~/-]*$", max_length=256)
    web_host: str = Field(default="127.0.0.1", min_length=1)
    web_port: int = Field(default=8080, ge=1, le=65535)
    # `infocoach run` serves /healthz and /metrics on this port when set (or with --health-port).
    health_port: int | None = Field(default=None, ge=1, le=65535)

    @field_validator("webhook_url", "webhook_secret", "health_port", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """``WEBHOOK_URL=`` in a .env file means "not set", as leaving it out does."""
        return None if value == "" else value

    @field_validator("webhook_url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is not None and not _URL_SHAPE.match(value):
            raise ValueError("the public address Telegram posts to, such as https://bot.example.com/telegram")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET_SHAPE.match(value.get_secret_value()):
            raise ValueError("use 1 to 256 of the characters A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return value

    @field_validator("webhook_path")
    @classmethod
    def _path_is_free(cls, value: str) -> str:
        if value.rstrip("/") in WEB_ROUTES or value == "/":
            raise ValueError(f"choose a path other than /, {' and '.join(WEB_ROUTES)}")
        return value

    def token(self) -> str:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else ""

    def api_base_url(self) -> str:
        """The base URL that python-telegram-bot appends the token to ("…/bot")."""
        url = self.telegram_api_base_url.rstrip("/")
        return url if url.endswith("/bot") else f"{url}/bot"

    def api_file_url(self) -> str:
        return self.api_base_url()[: -len("/bot")] + "/file/bot"

    def secret(self) -> str:
        return self.webhook_secret.get_secret_value() if self.webhook_secret else ""


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot be a bot token, or None when it has the right shape."""
    if not token:
        return "TELEGRAM_BOT_TOKEN is not set."
    if not _TOKEN_SHAPE.match(token):
        return "TELEGRAM_BOT_TOKEN does not look like a bot token (it should look like 123456789:AAE…)."
    return None


def setting_errors(error: ValidationError) -> str:
    """Settings of the wrong shape, in one line: each by its variable's name, with what is wrong."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors())


def webhook_problem(settings: Settings) -> str | None:
    """What `infocoach serve` is missing, in one line, or None."""
    missing = [
        name
        for name, value in (("WEBHOOK_URL", settings.webhook_url), ("WEBHOOK_SECRET", settings.secret()))
        if not value
    ]
    if not missing:
        return None
    return (
        f"{' and '.join(missing)} must be set for `infocoach serve`: the public https address Telegram posts updates to, "
        "and a secret it sends with each (see .env.example); or poll with `infocoach run`."
    )


HOW_TO_GET_A_TOKEN = """\
To get a bot token:
  1. In Telegram, open a chat with @BotFather and send /newbot.
  2. Choose a display name and a username ending in "bot".
  3. BotFather replies with a token such as 123456789:AAE-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.
  4. Put it in a .env file next to where you run infocoach:  TELEGRAM_BOT_TOKEN=123456789:AAE-…
     (or export it as an environment variable).
To try the bot without a token, run:  infocoach chat"""
