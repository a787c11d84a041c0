"""The test Bot API server, driven by unmodified python-telegram-bot over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from telegram import Bot, Update
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from tests.bridge.botapi import TOKEN, ApiError, BotApiServer, parse_markdown_v2

CHAT = 1001
USER = 42
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


@pytest_asyncio.fixture(loop_scope="function")
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as running:
        yield running


@pytest_asyncio.fixture(loop_scope="function")
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=f"{server.url}/bot") as connected:
        yield connected


def application(server: BotApiServer, *handlers: Any) -> Application:  # type: ignore[type-arg]
    app = Application.builder().token(TOKEN).base_url(f"{server.url}/bot").build()
    for handler in handlers:
        app.add_handler(handler)
    return app


async def run_polling(app: Application, body: Callable[[], Awaitable[None]]) -> None:  # type: ignore[type-arg]
    """Run `app` in polling mode around `body`, then stop it cleanly."""
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1)
        try:
            await body()
        finally:
            await app.updater.stop()
            await app.stop()


def methods(server: BotApiServer) -> list[str]:
    return [name for name, _ in server.calls]


async def test_echo_bot_answers_a_pushed_message(server: BotApiServer) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(f"echo: {update.message.text}")

    async def body() -> None:
        server.push_text(CHAT, USER, "hello 👋")
        await server.wait_for(lambda: server.sent_messages(CHAT))

    await run_polling(application(server, MessageHandler(filters.TEXT, echo)), body)

    [reply] = server.sent_messages(CHAT)
    assert reply["text"] == "echo: hello 👋"
    assert reply["from"]["is_bot"] and reply["chat"]["id"] == CHAT
    assert reply["message_id"] == 2  # the user's message was 1: ids count per chat
    assert {"getMe", "deleteWebhook", "getUpdates", "sendMessage"} <= set(methods(server))
    assert server.pending_updates() == []  # PTB acknowledged it when stopping


async def test_commands_carry_the_entities_ptb_needs(server: BotApiServer) -> None:
    seen: list[list[str]] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(list(context.args or []))
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "welcome")

    async def body() -> None:
        server.push_text(CHAT, USER, "/start now")
        server.push_text(-5, USER, "/start@hearth_test_bot", chat_type="group")
        await server.wait_for(lambda: len(seen) == 2)

    await run_polling(application(server, CommandHandler("start", start)), body)
    assert seen == [["now"], []]
    assert server.sent_messages(-5)[0]["chat"]["type"] == "group"


async def test_edit_applies_and_telegram_refusals_are_kept(server: BotApiServer, bot: Bot) -> None:
    server.push_text(CHAT, USER, "hi")
    sent = await bot.send_message(CHAT, "thinking")
    await bot.edit_message_text("thinking harder", chat_id=CHAT, message_id=sent.message_id)
    assert [m["text"] for m in server.sent_messages(CHAT)] == ["thinking harder"]
    assert server.sent_messages(CHAT)[0]["edit_date"] > 0

    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("thinking harder", chat_id=CHAT, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=CHAT, message_id=999)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(777, "nobody wrote from here")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(CHAT, "😀" * 2049)  # 4098 UTF-16 units
    with pytest.raises(BadRequest, match=r"(?i)text is empty"):
        await bot.send_message(CHAT, "   ")
    await bot.send_message(CHAT, "😀" * 2048)  # exactly 4096 units

    assert await bot.delete_message(CHAT, sent.message_id)
    assert [m["text"] for m in server.sent_messages(CHAT)] == ["😀" * 2048]


async def test_markdown_v2_is_parsed_like_telegram(server: BotApiServer, bot: Bot) -> None:
    server.push_text(CHAT, USER, "hi")
    message = await bot.send_message(CHAT, r"*bold* and `x\`y` in a\.b", parse_mode="MarkdownV2")
    assert message.text == "bold and x`y in a.b"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("bold", 0, 4), ("code", 9, 3)]
    with pytest.raises(BadRequest, match=r"(?i)Character '.' is reserved"):
        await bot.send_message(CHAT, "end.", parse_mode="MarkdownV2")
    with pytest.raises(BadRequest, match=r"(?i)Can't find end of Bold entity"):
        await bot.send_message(CHAT, "*open", parse_mode="MarkdownV2")


def test_markdown_v2_parser_follows_tdlib() -> None:
    assert parse_markdown_v2("```python\nprint(1)\n```") == (
        "print(1)\n", [{"type": "pre", "offset": 0, "length": 9, "language": "python"}])
    assert parse_markdown_v2(r"[a link](https://x.org/\)) __u__ ||s|| ~t~ _i_") == (
        "a link u s t i", [
            {"type": "text_link", "offset": 0, "length": 6, "url": "https://x.org/)"},
            {"type": "underline", "offset": 7, "length": 1},
            {"type": "spoiler", "offset": 9, "length": 1},
            {"type": "strikethrough", "offset": 11, "length": 1},
            {"type": "italic", "offset": 13, "length": 1}])
    assert parse_markdown_v2("😀*b*")[1] == [{"type": "bold", "offset": 2, "length": 1}]
    for bad in ("a-b", "(x)", "#1", "_open", "[x](http://no-end", "|x"):
        with pytest.raises(ApiError):
            parse_markdown_v2(bad)


async def test_reject_markdown_makes_ptb_raise_bad_request(
        server: BotApiServer, bot: Bot) -> None:
    server.reject_markdown = True
    server.push_text(CHAT, USER, "hi")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(CHAT, "plain enough", parse_mode="MarkdownV2")
    await bot.send_message(CHAT, "plain enough")  # the fallback goes through
    assert [m["text"] for m in server.sent_messages(CHAT)] == ["plain enough"]


async def test_injected_faults(server: BotApiServer, bot: Bot,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns when reading retry_after as int
    server.push_text(CHAT, USER, "hi")
    server.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "flood")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)

    server.fail_next("sendMessage", 500, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(CHAT, "down")
    assert server.sent_messages(CHAT) == []  # failed calls take no effect...
    assert methods(server).count("sendMessage") == 3  # ...but are recorded

    server.delay("sendMessage", 2.0)
    with pytest.raises(TimedOut):
        await bot.send_message(CHAT, "slow", read_timeout=0.3)
    assert [m["text"] for m in server.sent_messages(CHAT)] == ["slow"]  # it went through anyway
    server.delay("sendMessage", 0)
    await bot.send_message(CHAT, "fast", read_timeout=1)


async def test_long_polling_waits_for_an_update_or_the_timeout(
        server: BotApiServer, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9

    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await server.wait_for(lambda: "getUpdates" in methods(server)[1:])
    started = time.monotonic()
    update_id = server.push_text(CHAT, USER, "wake up")
    [update] = await poll
    assert update.update_id == update_id and time.monotonic() - started < 1


async def test_offset_acknowledges_and_only_offset_does(server: BotApiServer, bot: Bot) -> None:
    first = server.push_text(CHAT, USER, "one")
    second = server.push_text(CHAT, USER, "two")
    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    assert [u.update_id for u in await bot.get_updates()] == [first, second]  # not acknowledged
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [second]
    third = server.push_text(CHAT, USER, "three")
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == [third]
    assert await bot.get_updates(offset=third + 1) == ()
    assert server.pending_updates() == []


async def test_an_update_not_acknowledged_is_redelivered_to_a_new_application(
        server: BotApiServer, bot: Bot) -> None:
    lost = server.push_text(CHAT, USER, "before the crash")
    [fetched] = await bot.get_updates()  # the old process got it, then died before acking
    assert fetched.update_id == lost
    seen: list[int] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)

    async def wait_for_first() -> None:
        await server.wait_for(lambda: seen)

    await run_polling(application(server, MessageHandler(filters.TEXT, record)), wait_for_first)
    assert seen == [lost]

    # That application acknowledged it on the way out: the next one gets only new updates.
    fresh = server.push_text(CHAT, USER, "after the restart")

    async def wait_for_fresh() -> None:
        await server.wait_for(lambda: fresh in seen)

    await run_polling(application(server, MessageHandler(filters.TEXT, record)), wait_for_fresh)
    assert seen == [lost, fresh]


async def test_update_kinds_and_allowed_updates(server: BotApiServer, bot: Bot) -> None:
    server.push_sticker(CHAT, USER)
    server.push_photo(CHAT, USER, caption="look")
    server.push_edited_text(CHAT, USER, 1, "edited")
    server.push_reaction(CHAT, USER, 1, "👍")  # dropped: reactions were not asked for
    updates = await bot.get_updates()
    assert updates[0].message and updates[0].message.sticker
    assert updates[1].message and updates[1].message.photo
    assert updates[1].message.caption == "look"
    assert updates[2].edited_message and updates[2].edited_message.text == "edited"
    assert len(updates) == 3

    await bot.get_updates(offset=updates[-1].update_id + 1, allowed_updates=Update.ALL_TYPES)
    server.push_reaction(CHAT, USER, 1, "👎")
    [reaction] = await bot.get_updates(allowed_updates=Update.ALL_TYPES)
    assert reaction.message_reaction is not None
    assert [r.emoji for r in reaction.message_reaction.new_reaction] == ["👎"]  # type: ignore[attr-defined]

    sent = await bot.send_message(CHAT, "press")
    server.push_text(CHAT, USER, "a reply", reply_to_bot=True)
    [*_, reply] = await bot.get_updates(offset=reaction.update_id + 1)
    assert reply.message and reply.message.reply_to_message
    assert reply.message.reply_to_message.message_id == sent.message_id


async def test_small_methods_are_recorded(server: BotApiServer, bot: Bot) -> None:
    from telegram import BotCommand

    server.push_text(CHAT, USER, "hi")
    assert (await bot.get_me()).username == "hearth_test_bot"
    assert await bot.set_my_commands([BotCommand("start", "say hello")])
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    assert await bot.send_chat_action(CHAT, "typing")
    assert await bot.set_message_reaction(CHAT, 1, "👍")
    assert ("sendChatAction", {"chat_id": CHAT, "action": "typing"}) in server.calls
    [(_, reaction)] = [call for call in server.calls if call[0] == "setMessageReaction"]
    assert reaction["reaction"] == [{"type": "emoji", "emoji": "👍"}]

    assert await bot.set_webhook("https://example.invalid/hook", secret_token="s3cret")
    assert (await bot.get_webhook_info()).pending_update_count == 1
    with pytest.raises(Conflict, match=r"(?i)webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()

    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")


async def test_a_new_poll_ends_a_held_one_with_conflict(server: BotApiServer, bot: Bot) -> None:
    held = asyncio.create_task(bot.get_updates(timeout=10))
    await server.wait_for(lambda: "getUpdates" in methods(server)[1:])
    async with Bot(TOKEN, base_url=f"{server.url}/bot") as second_instance:
        assert await second_instance.get_updates() == ()
    with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates"):
        await held


async def test_stalled_get_updates_never_answers(server: BotApiServer, bot: Bot) -> None:
    server.stall_get_updates = True
    server.push_text(CHAT, USER, "stuck")
    with pytest.raises(TimedOut):
        await bot.get_updates(timeout=0, read_timeout=0.5)
    server.stall_get_updates = False
    assert len(await bot.get_updates()) == 1


async def test_raw_http_wrong_token_unknown_method_and_json_bodies(server: BotApiServer) -> None:
    server.push_text(CHAT, USER, "hi")
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{server.url}/bot1:wrong/getMe") as response:
            assert response.status == 401
            assert await response.json() == {
                "ok": False, "error_code": 401, "description": "Unauthorized"}
        async with http.post(f"{server.url}/bot{TOKEN}/fooBar") as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found: method fooBar"
        body = {"chat_id": CHAT, "text": "123"}
        async with http.post(f"{server.url}/bot{TOKEN}/sendMessage", json=body) as response:
            assert (await response.json())["result"]["text"] == "123"
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=f"{server.url}/bot") as wrong:
            await wrong.get_me()


async def test_stop_answers_held_polls_at_once() -> None:
    server = BotApiServer()
    await server.start()
    async with Bot(TOKEN, base_url=f"{server.url}/bot") as client:
        held = asyncio.create_task(client.get_updates(timeout=30))
        await server.wait_for(lambda: "getUpdates" in methods(server))
        started = time.monotonic()
        await server.stop()
        assert await held == ()
    assert time.monotonic() - started < 1


async def test_group_mentions_get_entities(server: BotApiServer, bot: Bot) -> None:
    server.push_text(-7, USER, "😀 @hearth_test_bot what now?", chat_type="group",
                     username="alice")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.from_user is not None
    assert update.message.from_user.username == "alice"
    assert update.message.chat.type == "group"
    assert list(update.message.parse_entities().values()) == ["@hearth_test_bot"]
