"""The Telegram and console channels and the aiohttp app: the face of Hearth."""

from hearth.bridge._console import ConsoleChannel

__all__ = ["ConsoleChannel"]
