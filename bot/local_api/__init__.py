"""A local Bot API emulator on 127.0.0.1, strict like Telegram, for tests and `infocoach chat`."""

from bot.local_api.server import Limits, LocalBotApi, SentMessage, TelegramUser

__all__ = ["Limits", "LocalBotApi", "SentMessage", "TelegramUser"]
