"""The Telegram and console channels and the aiohttp app: the face of Hearth."""
