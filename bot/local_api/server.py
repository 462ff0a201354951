"""A Bot API HTTP server on loopback that behaves, and refuses, like Telegram's.

Every request is checked against the machine-readable spec (bot.local_api.spec): unknown methods
or fields, missing fields, over-long text, over-long callback data and bad HTML are answered with
Telegram's error and recorded in ``violations``, so a test can fail on any of them.

Faults, for tests (each taken once per matching call, ``times`` over; optionally for one ``chat_id``):

- ``fail_next(method, error_code=429, retry_after=1)`` or any other code: Telegram's error answer;
  the call has no effect.
- ``fail_next(method, error_code=None)``: the connection is dropped without an answer; no effect.
- ``delay_next(method, seconds)``: a slow Telegram. The call takes effect at once (a message is sent
  and the user sees it), but the HTTP answer is held back for ``seconds``. A client whose read
  timeout is shorter (python-telegram-bot's default is 5 s) gives up with a timeout although the
  call succeeded: the bot believes it failed while the user already has the message.

For benchmarks, like Telegram far away and busy:

- ``latency=0.05`` (or ``api.latency = 0.05``): every call but getUpdates takes that long, half on the way
  in (before it takes effect) and half on the way back. The wait holds no lock, so calls overlap as with
  Telegram: two at once take one delay, not two.
- ``limits=Limits()`` (or ``api.limits = Limits()``): Telegram's flood limits, about 30 messages a second
  per bot and 1 a second per chat, as sliding windows over the sending methods (sendMessage, sendPhoto,
  sendDocument, editMessageText, …). A call over a limit has no effect and is answered 429 with
  ``retry_after`` (whole seconds, at least 1: when the window has room again).
- ``sends_attempted`` and ``sends_refused`` count the sending calls (whether limits are on or not) and the
  429s the limits gave, ``sends_refused_in_chat`` those for a chat's limit. ``cpu_seconds`` is the CPU
  time the server's own threads spent, so a benchmark in the same process can leave it out.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote

from bot.local_api.spec import check_request, parse_html_entities

BOT_USER = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "InfoCoach",
    "username": "InfoCoachLocalBot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
_MAX_POLL_SECONDS = 30
# The calls that post to a chat and count against Telegram's flood limits (answering a button doesn't).
SENDING_METHODS = frozenset(
    m.lower()
    for m in (
        "sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendVoice", "sendAnimation",
        "sendSticker", "sendVideoNote", "sendMediaGroup", "sendLocation", "sendVenue", "sendContact", "sendPoll",
        "sendDice", "copyMessage", "forwardMessage", "editMessageText", "editMessageCaption", "editMessageMedia",
        "editMessageReplyMarkup",
    )
)  # fmt: skip


@dataclass(frozen=True)
class Limits:
    """Telegram's flood limits, enforced by the fake as sliding windows over ``SENDING_METHODS``."""

    per_second: int = 30  # messages in any one second, all chats together
    per_chat: int = 1  # messages to one chat ...
    chat_period: float = 1.0  # ... in any this many seconds


@dataclass(frozen=True)
class TelegramUser:
    id: int
    first_name: str
    username: str | None = None
    language_code: str = "en"

    def to_dict(self) -> dict[str, Any]:
        user = {"id": self.id, "is_bot": False, "first_name": self.first_name, "language_code": self.language_code}
        if self.username:
            user["username"] = self.username
        return user


@dataclass
class SentMessage:
    """A message the bot sent, as the user sees it now (edits applied)."""

    chat_id: int
    message_id: int
    text: str
    html: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    reply_keyboard: list[list[dict[str, Any]]] | None = None
    document: tuple[str, bytes] | None = None
    photo: bytes | None = None
    edits: int = 0
    deleted: bool = False

    def button_labels(self) -> list[str]:
        return [button["text"] for row in self.buttons for button in row]


@dataclass(frozen=True)
class Event:
    """Something the bot did in a chat: "send", "edit", "delete" or "answer" (a callback answer)."""

    seq: int
    chat_id: int
    kind: str
    message: SentMessage | None
    at: float


@dataclass
class _Failure:
    method: str
    chat_id: int | None
    error_code: int | None
    description: str
    retry_after: int | None
    times: int
    delay: float | None = None  # a slow answer (delay_next), not an error


class TelegramError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


class LocalBotApi:
    """The emulator's state, plus a threaded HTTP server for it. Thread-safe."""

    def __init__(
        self,
        token: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        limits: Limits | None = None,
    ) -> None:
        self.token = token
        self.latency = latency  # seconds a call takes there and back (not getUpdates)
        self.limits = limits  # None: no flood limits
        self._host, self._port = host, port
        self._cond = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._acknowledged = 0
        self._message_ids: dict[int, itertools.count] = {}
        self._callbacks: dict[str, int] = {}
        self._event_ids = itertools.count(1)
        self._failures: list[_Failure] = []
        self._closing = False
        self._closed = threading.Event()  # ends the latency waits at shutdown, without the lock
        self._server: ThreadingHTTPServer | None = None
        self._by_chat: dict[int, list[SentMessage]] = {}  # chat_messages without scanning every chat
        self._sent_at: deque[float] = deque()  # accepted sends in the last second, for ``limits``
        self._chat_sent_at: dict[int, deque[float]] = {}
        self._cpu_lock = threading.Lock()
        self.sends_attempted = 0
        self.sends_refused = 0
        self.sends_refused_in_chat = 0  # of those, refused for the chat's limit (whatever the bot's)
        self.cpu_seconds = 0.0
        self.chats: dict[int, TelegramUser] = {}
        self.messages: dict[tuple[int, int], SentMessage] = {}
        self.events: list[Event] = []
        self.violations: list[str] = []
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.commands: list[dict[str, Any]] = []
        self.blocked: set[int] = set()
        self.groups: dict[int, dict[str, Any]] = {}  # group chat id -> its Chat object (type, title)
        self.files: dict[str, bytes] = {}  # file_id -> content of files users sent
        self.webhook: dict[str, Any] | None = None  # setWebhook's parameters while one is set

    # Lifecycle -----------------------------------------------------------------------------------

    def start(self) -> LocalBotApi:
        api = self

        class Handler(_RequestHandler):
            emulator = api

        self._server = _Server((self._host, self._port), Handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        threading.Thread(
            target=lambda: self._server.serve_forever(poll_interval=0.05), name="local-bot-api", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._closed.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> LocalBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE_URL should be set to: the bot's token is appended to it."""
        return f"http://{self._host}:{self._port}/bot"

    # What the user does ----------------------------------------------------------------------------

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _push(self, payload: dict[str, Any]) -> int:
        with self._cond:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, **payload})
            self._cond.notify_all()
            return update_id

    def send_from(self, user: TelegramUser, text: str | None = None, **content: Any) -> int:
        """The user sends a message (text, or content such as ``sticker=`` or ``location=``)."""
        with self._cond:
            self.chats[user.id] = user
            message_id = self._next_message_id(user.id)
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "from": user.to_dict(),
            "chat": self._chat(user.id),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}
                ]
        message.update(content)
        return self._push({"message": message})

    def add_group(self, chat_id: int, *, title: str = "Job seekers", kind: str = "group") -> int:
        """A group (``kind`` "group" or "supergroup") or a "channel" the bot is in; ids are negative."""
        if chat_id >= 0 or kind not in ("group", "supergroup", "channel"):
            raise ValueError("a group's id is negative, its type group, supergroup or channel")
        with self._cond:
            self.groups[chat_id] = {"id": chat_id, "type": kind, "title": title}
        return chat_id

    def send_in_group(self, user: TelegramUser, chat_id: int, text: str) -> int:
        """``user`` writes ``text`` in the group ``chat_id`` (see add_group); a command is marked as one."""
        with self._cond:
            if chat_id not in self.groups:
                raise ValueError(f"unknown group {chat_id}: add_group first")
            message_id = self._next_message_id(chat_id)
            chat = dict(self.groups[chat_id])
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "from": user.to_dict(),
            "chat": chat,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}
            ]
        return self._push({"message": message})

    def group_member_update(self, user: TelegramUser, chat_id: int, *, added: bool) -> int:
        """``user`` adds the bot to the group ``chat_id`` (or removes it): a my_chat_member update about the group."""
        with self._cond:
            chat = dict(self.groups[chat_id])
        old, new = ("left", "member") if added else ("member", "left")
        bot = {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")}
        return self._push(
            {
                "my_chat_member": {
                    "chat": chat,
                    "from": user.to_dict(),
                    "date": int(time.time()),
                    "old_chat_member": {"status": old, "user": bot},
                    "new_chat_member": {"status": new, "user": bot},
                }
            }
        )

    def send_document_from(
        self, user: TelegramUser, file_name: str, content: bytes, mime_type: str = "text/csv"
    ) -> int:
        """The user sends a file; the bot can fetch it with getFile and download it."""
        with self._cond:
            file_id = f"file{len(self.files) + 1}"
            self.files[file_id] = content
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        return self.send_from(user, document=document)

    def press_from(self, user: TelegramUser, message: SentMessage, callback_data: str) -> int:
        """The user presses an inline button carrying ``callback_data`` under ``message``."""
        query_id = uuid.uuid4().hex[:16]
        with self._cond:
            self._callbacks[query_id] = message.chat_id
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "chat_instance": f"ci{message.chat_id}",
            "data": callback_data,
            "message": self._message_dict(message),
        }
        return self._push({"callback_query": query})

    def expire_callbacks(self) -> None:
        """Every button press not answered yet is now too old to answer, as after a long downtime."""
        with self._cond:
            self._callbacks.clear()

    def chat_member_update(self, user: TelegramUser, *, blocked: bool) -> int:
        """The user blocks (or unblocks) the bot: a my_chat_member update, and sends fail with 403."""
        with self._cond:
            (self.blocked.add if blocked else self.blocked.discard)(user.id)
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        bot = {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")}
        return self._push(
            {
                "my_chat_member": {
                    "chat": self._chat(user.id),
                    "from": user.to_dict(),
                    "date": int(time.time()),
                    "old_chat_member": {"status": old, "user": bot, **({"until_date": 0} if old == "kicked" else {})},
                    "new_chat_member": {"status": new, "user": bot, **({"until_date": 0} if new == "kicked" else {})},
                }
            }
        )

    # Fault injection -------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        error_code: int | None,
        description: str = "",
        retry_after: int | None = None,
        chat_id: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail; ``error_code=None`` drops the connection."""
        with self._cond:
            self._failures.append(_Failure(method.lower(), chat_id, error_code, description, retry_after, times))

    def delay_next(self, method: str, seconds: float, *, chat_id: int | None = None, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` succeed, but answer only after ``seconds``.

        The call's effect is immediate (the message is there for the user); only the HTTP answer waits,
        so a client with a shorter read timeout sees a timeout for a call that went through.
        """
        with self._cond:
            self._failures.append(_Failure(method.lower(), chat_id, None, "", None, times, delay=float(seconds)))

    def _hold_answer(self, seconds: float) -> None:
        """Wait ``seconds`` without holding the lock; a server shutting down stops waiting."""
        deadline = time.monotonic() + seconds
        with self._cond:
            while not self._closing and (remaining := deadline - time.monotonic()) > 0:
                self._cond.wait(remaining)

    def _take_failure(self, method: str, chat_id: Any) -> _Failure | None:
        for failure in self._failures:
            if failure.method == method.lower() and failure.chat_id in (None, chat_id):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    # Reading what happened ---------------------------------------------------------------------------

    def acknowledged(self, update_id: int) -> bool:
        with self._cond:
            return self._acknowledged >= update_id

    def events_since(self, seq: int, chat_id: int | None = None) -> list[Event]:
        with self._cond:
            return [e for e in self.events if e.seq > seq and chat_id in (None, e.chat_id)]

    def last_seq(self) -> int:
        with self._cond:
            return self.events[-1].seq if self.events else 0

    def chat_messages(self, chat_id: int) -> list[SentMessage]:
        with self._cond:
            return [m for m in self._by_chat.get(chat_id, ()) if not m.deleted]

    def forget(self) -> None:
        """Drop the record of what happened (requests, events, messages), so a long benchmark can tell its
        own memory from the fake's. Chats, pending updates and unanswered buttons stay; a message sent before
        can no longer be edited."""
        with self._cond:
            self.requests.clear()
            self.events.clear()
            self.messages.clear()
            self._by_chat.clear()

    def unanswered_callbacks(self) -> int:
        with self._cond:
            return len(self._callbacks)

    def take_updates(self) -> list[dict[str, Any]]:
        """The updates waiting for the bot, handed over and counted as delivered. With a webhook set, Telegram
        posts them instead of being polled: a test posts them to the bot itself (again, until answered 200)."""
        with self._cond:
            taken, self._updates = self._updates, []
            if taken:
                self._acknowledged = max(self._acknowledged, taken[-1]["update_id"])
            return taken

    # Serving a request ------------------------------------------------------------------------------

    def handle(self, token: str, method: str, raw: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        """Run one Bot API call; returns its result or raises TelegramError (or ConnectionAbortedError)."""
        latency = self.latency if method.lower() != "getupdates" else 0.0
        if not latency:
            return self._handle(token, method, raw, files)
        self._closed.wait(latency / 2)  # on the way there; no lock held, so other calls overlap
        try:
            return self._handle(token, method, raw, files)
        finally:
            self._closed.wait(latency / 2)  # and back, whatever the answer

    def _handle(self, token: str, method: str, raw: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        if token != self.token:
            raise TelegramError(401, "Unauthorized")
        params, errors = check_request(method, {**raw, **{k: f"attach://{k}" for k in files}})
        with self._cond:
            self.requests.append((method, {k: v for k, v in params.items() if k not in files}))
            if errors:
                self.violations += [f"{method}: {error}" for error in errors]
                raise TelegramError(404 if errors[0].startswith("Not Found") else 400, errors[0])
            failure = self._take_failure(method, params.get("chat_id"))
            if failure is None or failure.delay is not None:
                self._admit(method, params.get("chat_id"))
        if failure is not None and failure.delay is not None:
            try:
                return self._serve(method, params, files)
            finally:  # the call took effect (or failed as it would have); only the answer is late
                self._hold_answer(failure.delay)
        if failure is not None:
            if failure.error_code is None:
                raise ConnectionAbortedError(method)
            extra = {"retry_after": failure.retry_after} if failure.retry_after is not None else None
            raise TelegramError(failure.error_code, failure.description, extra)
        return self._serve(method, params, files)

    def _admit(self, method: str, chat_id: Any) -> None:
        """Count a sending call, and refuse it with 429 if it breaks a flood limit (lock held)."""
        if method.lower() not in SENDING_METHODS:
            return
        self.sends_attempted += 1
        limits = self.limits
        if limits is None:
            return
        now = time.monotonic()
        chat = self._chat_sent_at.setdefault(chat_id, deque())
        in_chat = _window_wait(chat, limits.per_chat, limits.chat_period, now)
        wait = max(_window_wait(self._sent_at, limits.per_second, 1.0, now), in_chat)
        if wait > 0:
            self.sends_refused += 1
            self.sends_refused_in_chat += in_chat > 0
            retry_after = max(1, math.ceil(wait))
            raise TelegramError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
        self._sent_at.append(now)
        chat.append(now)
        if len(self._chat_sent_at) > 10_000:  # forget the chats with nothing in their window
            self._chat_sent_at = {
                c: times for c, times in self._chat_sent_at.items() if times and now - times[-1] < limits.chat_period
            }

    def add_cpu(self, seconds: float) -> None:
        with self._cpu_lock:
            self.cpu_seconds += seconds

    def _serve(self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        if method.lower() == "getupdates":
            return self._get_updates(params)
        handler = getattr(self, f"_do_{method.lower()}", None)
        if handler is None:
            with self._cond:
                self.violations.append(f"{method}: not implemented by the local Bot API")
            raise TelegramError(501, f"Not Implemented: {method} is not emulated")
        with self._cond:
            return handler(params, files)

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        with self._cond:
            if self.webhook is not None:
                raise TelegramError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                )
        offset = params.get("offset") or 0
        limit = min(int(params.get("limit") or 100), 100)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), _MAX_POLL_SECONDS)
        with self._cond:
            if offset:
                self._acknowledged = max(self._acknowledged, offset - 1)
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            return self._updates[:limit]

    # Methods (called with the lock held) ------------------------------------------------------------

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self.groups:
            return dict(self.groups[chat_id])
        user = self.chats.get(chat_id)
        return {"id": chat_id, "type": "private", "first_name": user.first_name if user else "User"}

    def _message_dict(self, message: SentMessage) -> dict[str, Any]:
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": self._chat(message.chat_id),
            "from": BOT_USER,
        }
        if message.photo is not None:
            result["photo"] = [
                {"file_id": f"photo{message.message_id}", "file_unique_id": f"p{message.message_id}",
                 "width": 1080, "height": 1080, "file_size": len(message.photo)}
            ]  # fmt: skip
            if message.text:
                result["caption"] = message.text
        elif message.document:
            result["document"] = {
                "file_id": f"doc{message.message_id}",
                "file_unique_id": f"u{message.message_id}",
                "file_name": message.document[0],
                "file_size": len(message.document[1]),
            }
            if message.text:
                result["caption"] = message.text
            if message.entities:
                result["caption_entities"] = message.entities
        else:
            result["text"] = message.text
            if message.entities:
                result["entities"] = message.entities
        if message.buttons:
            result["reply_markup"] = {"inline_keyboard": message.buttons}
        return result

    def _record(self, kind: str, chat_id: int, message: SentMessage | None) -> None:
        self.events.append(Event(next(self._event_ids), chat_id, kind, message, time.monotonic()))
        self._cond.notify_all()

    def _target_chat(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or (chat_id not in self.chats and chat_id not in self.groups):
            raise TelegramError(400, "Bad Request: chat not found")
        if chat_id in self.blocked:
            raise TelegramError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    @staticmethod
    def _rendered(params: dict[str, Any], key: str = "text") -> tuple[str, str, list[dict[str, Any]]]:
        """(plain text, the HTML sent, entities) of a text or caption parameter."""
        raw = params.get(key) or ""
        if params.get("parse_mode") == "HTML":
            return *parse_html_entities(raw), raw
        return raw, [], raw

    def _new_message(
        self, params: dict[str, Any], text_key: str = "text", document: tuple[str, bytes] | None = None
    ) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        plain, entities, raw = self._rendered(params, text_key)
        markup = params.get("reply_markup") or {}
        message = SentMessage(
            chat_id,
            self._next_message_id(chat_id),
            plain,
            raw,
            entities,
            buttons=markup.get("inline_keyboard", []),
            reply_keyboard=markup.get("keyboard"),
            document=document,
        )
        self.messages[(chat_id, message.message_id)] = message
        self._by_chat.setdefault(chat_id, []).append(message)
        self._record("send", chat_id, message)
        return self._message_dict(message)

    def _existing(self, params: dict[str, Any]) -> SentMessage:
        chat_id = self._target_chat(params)
        message = self.messages.get((chat_id, params.get("message_id")))
        if message is None or message.deleted:
            raise TelegramError(400, "Bad Request: message to edit not found")
        return message

    def _do_getfile(self, params, files):
        file_id = params.get("file_id")
        if file_id not in self.files:
            raise TelegramError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self.files[file_id]),
            "file_path": f"documents/{file_id}",
        }

    def file_content(self, token: str, path: str) -> bytes | None:
        with self._cond:
            if token != self.token or not path.startswith("documents/"):
                return None
            return self.files.get(path.removeprefix("documents/"))

    def _do_getme(self, params, files):
        return BOT_USER

    def _do_setwebhook(self, params, files):
        self.webhook = dict(params) if params["url"] else None  # an empty url removes the webhook
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _do_getwebhookinfo(self, params, files):
        info: dict[str, Any] = {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}
        if self.webhook is not None:
            info.update(url=self.webhook["url"], max_connections=self.webhook.get("max_connections", 40))
            if self.webhook.get("allowed_updates") is not None:
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _do_deletewebhook(self, params, files):
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _do_close(self, params, files):
        return True

    def _do_setmycommands(self, params, files):
        self.commands = params["commands"]
        return True

    def _do_getmycommands(self, params, files):
        return self.commands

    def _do_sendchataction(self, params, files):
        self._target_chat(params)
        return True

    def _do_sendmessage(self, params, files):
        return self._new_message(params)

    def _do_senddocument(self, params, files):
        name, content = files.get("document", ("document", b""))
        return self._new_message(params, "caption", document=(name, content))

    def _do_sendphoto(self, params, files):
        """Telegram processes the image: anything that isn't a PNG or JPEG is refused."""
        _name, content = files.get("photo", ("photo", b""))
        if not content.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
            raise TelegramError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        if len(content) > 10 * 1024 * 1024:
            raise TelegramError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        message = self._new_message(params, "caption")
        stored = self.messages[(message["chat"]["id"], message["message_id"])]
        stored.photo = content
        return self._message_dict(stored)

    def _do_editmessagetext(self, params, files):
        message = self._existing(params)
        plain, entities, raw = self._rendered(params)
        buttons = (params.get("reply_markup") or {}).get("inline_keyboard", [])
        if raw == message.html and buttons == message.buttons:
            raise TelegramError(
                400,
                "Bad Request: message is not modified: specified new message content "
                "and reply markup are exactly the same as a current content and reply "
                "markup of the message",
            )
        message.text, message.html, message.entities, message.buttons = plain, raw, entities, buttons
        message.edits += 1
        self._record("edit", message.chat_id, message)
        return self._message_dict(message)

    def _do_editmessagereplymarkup(self, params, files):
        message = self._existing(params)
        buttons = (params.get("reply_markup") or {}).get("inline_keyboard", [])
        if buttons == message.buttons:
            raise TelegramError(400, "Bad Request: message is not modified")
        message.buttons = buttons
        message.edits += 1
        self._record("edit", message.chat_id, message)
        return self._message_dict(message)

    def _do_deletemessage(self, params, files):
        message = self._existing(params)
        message.deleted = True
        self._record("delete", message.chat_id, message)
        return True

    def _do_answercallbackquery(self, params, files):
        chat_id = self._callbacks.pop(params["callback_query_id"], None)
        if chat_id is None:
            raise TelegramError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self._record("answer", chat_id, None)
        return True


def _window_wait(times: deque[float], limit: int, period: float, now: float) -> float:
    """Seconds until one more event fits in a sliding window of ``limit`` per ``period`` (0: now)."""
    while times and now - times[0] >= period:
        times.popleft()
    return 0.0 if len(times) < limit else times[0] + period - now


class _Server(ThreadingHTTPServer):
    # socketserver's listen backlog of 5 refused connections when a bot opened its pool of 32 at once (a
    # ReadError in the bot, where Telegram would simply accept them).
    request_queue_size = 128


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes; don't wait 40 ms for an ACK
    emulator: LocalBotApi

    def handle_one_request(self) -> None:
        """Counts this thread's CPU time into ``cpu_seconds`` (waiting for a request or a delay costs none)."""
        start = time.thread_time()
        try:
            super().handle_one_request()
        finally:
            self.emulator.add_cpu(time.thread_time() - start)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines carry the token."""

    def do_GET(self) -> None:
        if self.path.startswith("/file/bot"):
            token, _, file_path = unquote(self.path[len("/file/bot") :]).partition("/")
            content = self.emulator.file_content(token, file_path)
            if content is None:
                return self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
            return None
        self.do_POST()

    def do_POST(self) -> None:
        path, _, query = self.path.partition("?")
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method = parts[0][3:], parts[1]
        try:
            raw, files = self._read_params(query)
            result = self.emulator.handle(token, method, raw, files)
        except ConnectionAbortedError:
            self.close_connection = True
            return None
        except TelegramError as error:
            body = {"ok": False, "error_code": error.code, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            return self._reply(error.code, body)
        return self._reply(200, {"ok": True, "result": result})

    def _read_params(self, query: str) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client died mid-request (kill -9): nothing arrived to judge or answer
            raise ConnectionAbortedError("request cut short")
        content_type = self.headers.get("Content-Type", "")
        params: dict[str, Any] = dict(parse_qsl(query))
        files: dict[str, tuple[str, bytes]] = {}
        if content_type.startswith("application/json") and body:
            params.update(json.loads(body))
        elif content_type.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                payload = part.get_payload(decode=True) or b""
                if filename is not None:
                    files[name] = (filename, payload)
                else:
                    params[name] = payload.decode("utf-8")
        elif body:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return params, files

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (say, a long poll at shutdown)
