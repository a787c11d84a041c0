"""A local Telegram Bot API server that unmodified python-telegram-bot talks to over HTTP.

Use ``base_url(f"{server.url}/bot")`` (PTB requests ``{base_url}{token}/{method}``). As on
Telegram: updates are dropped only below a later getUpdates offset, a new poll ends a held
one with 409, message ids count per chat, texts are parsed as MarkdownV2 (tdlib's rules) and
measured in UTF-16 units, chats must write first, and update kinds outside allowed_updates
(by default reactions) are dropped.
"""

import asyncio
import contextlib
import inspect
import itertools
import json
import re
import time
from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any, Self

from aiohttp import web

from hearth.bridge._text import utf16_len

Json = dict[str, Any]
TOKEN = "123456:TEST-hearth-bot-token"
BOT: Json = {"id": 123456, "is_bot": True, "first_name": "Hearth", "username": "hearth_test_bot",
             "can_join_groups": True, "can_read_all_group_messages": False}
DEFAULT_ALLOWED = {"message", "edited_message", "channel_post", "edited_channel_post",
                   "callback_query", "my_chat_member", "inline_query", "chosen_inline_result"}
_RAW = {"text", "parse_mode", "action", "url", "secret_token", "callback_query_id", "caption"}
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{3,32}")
_LANGUAGE, _NEWLINE = re.compile(r"[^\s`]*"), re.compile(r"(?:\r\n|\n\r|\r|\n)?")
_CANT_PARSE = "Bad Request: can't parse entities: "
_MD_RESERVED = "_*[]()~`>#+-=|{}.!"
_OPENERS = {"__": "underline", "||": "spoiler", "![": "custom_emoji", "_": "italic",
            "*": "bold", "~": "strikethrough", "[": "text_link", "`": "code"}
_CLOSERS = {"bold": "*", "italic": "_", "code": "`", "pre": "```", "text_link": "]",
            "underline": "__", "strikethrough": "~", "spoiler": "||", "custom_emoji": "]"}


class ApiError(Exception):
    """An error answer of the Bot API: HTTP `status` and Telegram's `description`."""

    def __init__(self, status: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


def _escaped(text: str, i: int) -> bool:
    return text[i] == "\\" and i + 1 < len(text) and 0 < ord(text[i + 1]) <= 126


def parse_markdown_v2(text: str) -> tuple[str, list[Json]]:
    """Plain text and entities of MarkdownV2 `text` by tdlib's rules; ApiError if invalid."""
    out, entities, units, i, n = list[str](), list[Json](), 0, 0, len(text)
    stack: list[tuple[str, int, int, int, str]] = []  # kind, utf16 offset, out pos, src, arg
    while i < n:
        c, top = text[i], stack[-1][0] if stack else ""
        if (escaped := _escaped(text, i)) or c not in ("`" if top in ("code", "pre")
                                                       else _MD_RESERVED):
            out.append(text[i + escaped])
            units, i = units + utf16_len(out[-1]), i + 1 + escaped
            continue
        closer = _CLOSERS.get(top, "\0")
        closes = text.startswith(closer, i) and not (top == "italic" and text[i + 1 : i + 2] == "_")
        if not closes:
            two = text[i : i + 2]
            key = two if len(two) == 2 and two in _OPENERS else c
            kind, arg, start = _OPENERS.get(key, ""), "", i
            if text.startswith("```", i):
                kind, i = "pre", i + 3
                end = _LANGUAGE.match(text, i).end()  # type: ignore[union-attr]
                if i < end < n and text[end] != "`":
                    arg, i = text[i:end], end
                i = _NEWLINE.match(text, i).end()  # type: ignore[union-attr]
            elif kind:
                i += len(key)
            else:
                raise ApiError(400, f"{_CANT_PARSE}Character '{c}' is reserved and must be "
                                    "escaped with the preceding '\\'")
            stack.append((kind, units, len(out), start, arg))
            continue
        kind, offset, pos, start, arg = stack.pop()
        i += len(closer)
        entity: Json = {"type": kind, "offset": offset, "length": units - offset}
        if kind in ("text_link", "custom_emoji"):
            arg = "".join(out[pos:])
            if text[i : i + 1] == "(":
                url_start, i, url = i, i + 1, []
                while i < n and text[i] != ")":
                    url.append(text[i + 1] if _escaped(text, i) else text[i])
                    i += 2 if _escaped(text, i) else 1
                if i >= n:
                    raise ApiError(400, f"{_CANT_PARSE}Can't find end of a URL at {url_start}")
                arg, i = "".join(url), i + 1
            entity["url" if kind == "text_link" else "custom_emoji_id"] = arg
        elif arg:
            entity["language"] = arg
        if entity["length"]:
            entities.append(entity)
    if stack:
        kind, start = stack[-1][0], stack[-1][3]
        raise ApiError(400, f"{_CANT_PARSE}Can't find end of {kind.title().replace('_', '')} "
                            f"entity at byte offset {len(text[:start].encode())}")
    return "".join(out), sorted(entities, key=lambda e: e["offset"])


def _entities(text: str) -> list[Json]:
    """The bot_command and mention entities Telegram attaches to a user's text."""
    found = sorted([(m.start(), m.group(), "bot_command") for m in _COMMAND.finditer(text)]
                   + [(m.start(), m.group(), "mention") for m in _MENTION.finditer(text)])
    return [{"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(word)}
            for start, word, kind in found]


def _decode(key: str, value: Any) -> Any:
    """PTB sends form fields JSON-encoded, except plain strings; a file stands as its name."""
    if not isinstance(value, str) or key in _RAW:
        return getattr(value, "filename", value)
    with contextlib.suppress(ValueError):
        return json.loads(value)
    return value


class BotApiServer:
    """The Bot API on 127.0.0.1, port chosen by the OS; see the module docstring."""

    def __init__(self, token: str = TOKEN, *, reject_markdown: bool = False) -> None:
        self.token, self.reject_markdown, self.stall_get_updates = token, reject_markdown, False
        self.calls, self.commands = list[tuple[str, Json]](), list[Json]()
        self.url, self.webhook, self._updates = "", Json(), list[Json]()
        self._update_ids, self._message_ids = itertools.count(1), dict[int, Iterator[int]]()
        self._chats, self._sent = dict[int, Json](), dict[tuple[int, int], Json]()
        self._faults, self._delays = dict[str, list[ApiError]](), dict[str, float]()
        self._allowed, self._poller, self._closing = DEFAULT_ALLOWED, 0, False
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, tuple[str, Callable[[Json], Any]]] = {name.lower(): (
            name, method) for name, method in {
            "getMe": lambda p: BOT, "getUpdates": self._get_updates,
            "sendMessage": self._send_message, "editMessageText": self._edit_message_text,
            "deleteMessage": self._delete_message, "setMyCommands": self._set_my_commands,
            "getMyCommands": lambda p: self.commands, "setWebhook": self._set_webhook,
            "deleteWebhook": lambda p: self._set_webhook({**p, "url": ""}),
            "getWebhookInfo": lambda p: {"url": self.webhook.get("url", ""), "pending_update_count":
                                         len(self._updates), "has_custom_certificate": False},
            "sendChatAction": lambda p: bool(self._chat_of(p)),
            "setMessageReaction": lambda p: bool(self._chat_of(p)),
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "editMessageReplyMarkup": self._edit_message_reply_markup}.items()}
        #: Documents the bot sent: chat_id, filename, content (bytes), caption.
        self.documents = list[Json]()
        #: answerCallbackQuery calls: callback_query_id, text, show_alert.
        self.callback_answers = list[Json]()
        self._callbacks, self._files = dict[str, Json](), dict[str, Any]()

    async def start(self) -> None:
        """Listen on a free port; `url` is then http://127.0.0.1:PORT."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        """Answer every held request and close the server."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def push_update(self, update: Json) -> int:
        """Queue a raw update under the next update_id, which it returns."""
        update = {**update, "update_id": next(self._update_ids)}
        self._updates.append(update)
        self._notify()
        return int(update["update_id"])

    def push_message(self, chat_id: int, user_id: int, *, chat_type: str = "private",
                     username: str | None = None, **content: Any) -> int:
        """Queue a user's message with any content fields (text, sticker, voice, ...)."""
        self._chat(chat_id, chat_type, user_id)
        return self.push_update({"message": self._message(
            chat_id, self._user(user_id, username), **content)})

    def push_text(self, chat_id: int, user_id: int, text: str, *, chat_type: str = "private",
                  username: str | None = None, reply_to_bot: bool = False) -> int:
        """Queue a text (with Telegram's command and mention entities), maybe a reply to the bot."""
        content: Json = {"text": text, "entities": _entities(text)}
        if reply_to_bot:
            if not (mine := self.sent_messages(chat_id)):
                raise ValueError(f"reply_to_bot: the bot has sent nothing in chat {chat_id}")
            content["reply_to_message"] = mine[-1]
        return self.push_message(chat_id, user_id, chat_type=chat_type, username=username,
                                 **{k: v for k, v in content.items() if v})

    def push_edited_text(self, chat_id: int, user_id: int, message_id: int, text: str, *,
                         chat_type: str = "private", username: str | None = None) -> int:
        """Queue an `edited_message` update: the user changed message `message_id`."""
        return self.push_update({"edited_message": {
            "message_id": message_id, "date": int(time.time()), "edit_date": int(time.time()),
            "chat": self._chat(chat_id, chat_type, user_id), "from": self._user(user_id, username),
            "text": text, "entities": _entities(text)}})

    def push_sticker(self, chat_id: int, user_id: int, emoji: str = "😀", **kw: Any) -> int:
        """Queue a sticker message."""
        sticker = {"file_id": "st1", "file_unique_id": "s1", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": emoji}
        return self.push_message(chat_id, user_id, sticker=sticker, **kw)

    def push_photo(self, chat_id: int, user_id: int, **kw: Any) -> int:
        """Queue a photo message (pass caption=... for a caption)."""
        photo = [{"file_id": "ph1", "file_unique_id": "p1", "width": 90, "height": 90}]
        return self.push_message(chat_id, user_id, photo=photo, **kw)

    def push_reaction(self, chat_id: int, user_id: int, message_id: int, emoji: str | None,
                      *, chat_type: str = "private") -> int:
        """Queue a `message_reaction` update (None: the user took their reaction back)."""
        return self.push_update({"message_reaction": {
            "chat": self._chat(chat_id, chat_type, user_id), "message_id": message_id,
            "user": self._user(user_id, None), "date": int(time.time()), "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": emoji}] if emoji else []}})

    def push_callback_query(self, chat_id: int, user_id: int, message_id: int, data: str) -> str:
        """Queue a `callback_query` update: the user pressed an inline button under a bot
        message; returns the query id (what answerCallbackQuery must name)."""
        if (message := self._sent.get((chat_id, message_id))) is None:
            raise ValueError(f"no bot message {message_id} in chat {chat_id}")
        buttons = [b.get("callback_data") for row in (message.get("reply_markup") or {}).get(
            "inline_keyboard", []) for b in row]
        if data not in buttons:
            raise ValueError(f"message {message_id} has no button with data {data!r}")
        query_id = str(next(self._update_ids) * 1000 + user_id)
        query = {"id": query_id, "from": self._user(user_id, None), "message": message,
                 "chat_instance": str(chat_id), "data": data}
        self._callbacks[query_id] = query
        self.push_update({"callback_query": query})
        return query_id

    def sent_messages(self, chat_id: int) -> list[Json]:
        """The bot's messages in `chat_id` that were not deleted, edits applied, oldest first."""
        return [dict(m) for (chat, _), m in sorted(self._sent.items()) if chat == chat_id]

    def pending_updates(self) -> list[Json]:
        """Updates no getUpdates offset has acknowledged yet."""
        return list(self._updates)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until `predicate()` is truthy and return its value; TimeoutError otherwise."""
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            if (left := deadline - time.monotonic()) <= 0:
                raise TimeoutError(f"not met within {timeout} s; last calls: {self.calls[-5:]}")
            await self._wait_change(min(left, 0.05))  # also polls, for state outside the server
        return result

    def fail_next(self, method: str, status: int = 500, *, retry_after: int | None = None,
                  description: str | None = None, times: int = 1) -> None:
        """Answer the next `times` calls with an error (429: retry_after, default 1 s)."""
        retry_after = retry_after or (1 if status == 429 else None)
        description = description or (f"Too Many Requests: retry after {retry_after}"
                                      if status == 429 else HTTPStatus(status).phrase)
        error = ApiError(status, description, {"retry_after": retry_after} if retry_after else None)
        self._faults.setdefault(method.lower(), []).extend([error] * times)

    def delay(self, method: str, seconds: float) -> None:
        """Answer `method` `seconds` late (0 clears); the call takes effect at once."""
        self._delays[method.lower()] = seconds

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _answer(ApiError(401, "Unauthorized"))
        name = request.match_info["method"]
        body = await (request.json() if request.content_type == "application/json"
                      else request.post())
        self._files = {k: v for k, v in body.items() if hasattr(v, "file")}
        params = {k: _decode(k, v) for k, v in [*request.query.items(), *body.items()]}
        canonical, method = self._methods.get(name.lower(), (name, None))
        self.calls.append((canonical, params))
        self._notify()
        if method is None:
            return _answer(ApiError(404, f"Not Found: method {name}"))
        try:
            if faults := self._faults.get(name.lower()):
                raise faults.pop(0)
            answer = method(params)
            answer = await answer if inspect.isawaitable(answer) else answer
        except ApiError as error:
            answer = error
        deadline = time.monotonic() + self._delays.get(name.lower(), 0)
        while not self._closing and (left := deadline - time.monotonic()) > 0:
            await self._wait_change(left)
        return _answer(answer)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, timeout: float | None) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    def _user(self, user_id: int, username: str | None) -> Json:
        user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        return user | ({"username": username} if username else {})

    def _chat(self, chat_id: int, chat_type: str, user_id: int) -> Json:
        name = ({"first_name": f"User{user_id}"} if chat_type == "private"
                else {"title": f"Group {chat_id}"})
        self._chats[chat_id] = {"id": chat_id, "type": chat_type, **name}
        return self._chats[chat_id]

    def _message(self, chat_id: int, sender: Json, **content: Any) -> Json:
        ids = self._message_ids.setdefault(chat_id, itertools.count(1))
        return {"message_id": next(ids), "date": int(time.time()),
                "chat": self._chats[chat_id], "from": sender, **content}

    def _chat_of(self, params: Json) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _text(self, params: Json, fields: Json) -> Json:
        """`fields` plus the text, entities and reply_markup of a sendMessage or an edit."""
        text, entities = str(params.get("text") or ""), params.get("entities") or []
        if mode := params.get("parse_mode"):
            if self.reject_markdown:
                raise ApiError(400, f"{_CANT_PARSE}reject_markdown=True")
            if mode != "MarkdownV2":
                raise ApiError(400, f"Bad Request: test server has no parse_mode {mode!r}")
            text, entities = parse_markdown_v2(text)
        shift = utf16_len(text) - utf16_len(text.lstrip())  # Telegram trims the text
        if not (text := text.strip()):
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        fields = {**fields, "text": text}
        if entities:
            fields["entities"] = [{**e, "offset": e["offset"] - shift} for e in entities]
        if "reply_markup" in params:
            fields["reply_markup"] = params["reply_markup"]
        return fields

    async def _get_updates(self, params: Json) -> list[Json]:
        if self.webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                "active; use deleteWebhook to delete the webhook first")
        self._poller += 1
        self._notify()  # a poll still held for someone else ends with 409
        offset = int(params.get("offset") or 0)
        self._updates = ([u for u in self._updates if u["update_id"] >= offset] if offset >= 0
                         else self._updates[offset:])
        if "allowed_updates" in params:
            self._allowed = set(params["allowed_updates"] or DEFAULT_ALLOWED)
        me, limit = self._poller, min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            if me != self._poller:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                    "make sure that only one bot instance is running")
            if self.stall_get_updates and not self._closing:
                await self._wait_change(None)
                continue
            self._updates = [u for u in self._updates if self._allowed & u.keys()]
            if self._updates or self._closing or (left := deadline - time.monotonic()) <= 0:
                return self._updates[:limit]
            await self._wait_change(left)

    def _send_message(self, params: Json) -> Json:
        chat_id = self._chat_of(params)
        message = self._message(chat_id, BOT, **self._text(params, {}))
        self._sent[(chat_id, message["message_id"])] = message
        return message

    def _send_document(self, params: Json) -> Json:
        chat_id, upload = self._chat_of(params), self._files.get("document")
        if upload is None:
            raise ApiError(400, "Bad Request: there is no document in the request")
        content = upload.file.read()
        if not content:
            raise ApiError(400, "Bad Request: file must be non-empty")
        caption = str(params.get("caption") or "")
        if utf16_len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        document = {"file_id": f"doc{len(self.documents) + 1}", "file_unique_id":
                    f"d{len(self.documents) + 1}", "file_name": upload.filename,
                    "mime_type": upload.content_type, "file_size": len(content)}
        message = self._message(chat_id, BOT, document=document,
                                **({"caption": caption} if caption else {}))
        self._sent[(chat_id, message["message_id"])] = message
        self.documents.append({"chat_id": chat_id, "filename": upload.filename,
                               "content": content, "caption": caption})
        return message

    def _edit_message_reply_markup(self, params: Json) -> Json:
        key = (self._chat_of(params), int(params.get("message_id") or 0))
        if (old := self._sent.get(key)) is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        new = {k: v for k, v in old.items() if k != "reply_markup"}
        if params.get("reply_markup"):
            new["reply_markup"] = params["reply_markup"]
        if new == old:
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        self._sent[key] = new | {"edit_date": int(time.time())}
        return self._sent[key]

    def _answer_callback_query(self, params: Json) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if self._callbacks.pop(query_id, None) is None:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                                "or query ID is invalid")
        self.callback_answers.append({"callback_query_id": query_id,
                                      "text": params.get("text"),
                                      "show_alert": bool(params.get("show_alert"))})
        return True

    def _edit_message_text(self, params: Json) -> Json:
        key = (self._chat_of(params), int(params.get("message_id") or 0))
        if (old := self._sent.get(key)) is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        new = self._text(params, {k: old[k] for k in old.keys() - {"entities", "reply_markup"}})
        if new | {"edit_date": 0} == old | {"edit_date": 0}:
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        self._sent[key] = new | {"edit_date": int(time.time())}
        return self._sent[key]

    def _delete_message(self, params: Json) -> bool:
        key = (self._chat_of(params), int(params.get("message_id") or 0))
        if self._sent.pop(key, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def _set_my_commands(self, params: Json) -> bool:
        self.commands = list(params["commands"])
        return True

    def _set_webhook(self, params: Json) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {k: v for k, v in params.items() if k != "drop_pending_updates"}
        return True


def _answer(answer: Any) -> web.Response:
    if not isinstance(answer, ApiError):
        return web.json_response({"ok": True, "result": answer})
    body: Json = {"ok": False, "error_code": answer.status, "description": answer.description}
    return web.json_response(body | ({"parameters": answer.parameters} if answer.parameters
                                     else {}), status=answer.status)
