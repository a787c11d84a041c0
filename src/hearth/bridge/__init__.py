"""The Telegram and console channels and the aiohttp app: the face of Hearth."""

from hearth.bridge._console import ConsoleChannel
from hearth.bridge._delivery import owed_replies
from hearth.bridge._run import run_bridge, serve
from hearth.bridge._telegram import TelegramBridge
from hearth.bridge._text import escape_markdown_v2, split_message, to_markdown_v2, utf16_len

__all__ = [
    "ConsoleChannel",
    "TelegramBridge",
    "escape_markdown_v2",
    "owed_replies",
    "run_bridge",
    "serve",
    "split_message",
    "to_markdown_v2",
    "utf16_len",
]
