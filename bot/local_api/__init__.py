"""A local Bot API emulator on 127.0.0.1, strict like Telegram, for tests and `infocoach chat`."""

from bot.local_api.driver import BotMessage, ChatDriver
from bot.local_api.server import LocalBotApi, TelegramUser

__all__ = ["BotMessage", "ChatDriver", "LocalBotApi", "TelegramUser"]
