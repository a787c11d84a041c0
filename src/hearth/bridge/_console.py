"""The console channel: the same pipeline as Telegram (queue, worker, reply stream).

For people without a bot token, for demos and for scripts: when standard
input is not a terminal it reads one message per line, prints each reply,
and returns at end of input. Reminders due for the console chat are printed
between messages, each once: an entry of the outbox is acknowledged only
after it was printed, and one printed again after a crash says so.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterable
from typing import TextIO

import redis

from hearth.errors import PayloadInvalid
from hearth.queue import (
    OUTBOX,
    REPORTS,
    Control,
    ControlKind,
    Inbound,
    MorningReport,
    Outbound,
    enqueue_chat,
    enqueue_control,
    online_workers,
    parse,
    read_reply,
)

#: Seconds to wait for one reply before giving up on it.
REPLY_TIMEOUT_S = 900.0

HELP = "Type a message and press Enter. Commands: /reset, /forget, /quit."
#: The console's consumer group on the morning reports (the bridge has its own).
CONSOLE_GROUP = "hearth-console"
#: Put before a reminder printed again: a console killed after printing it may have shown it.
RESENT_MARK = "(sent again after a restart)"


class ConsoleChannel:
    """Chat with Hearth in a terminal."""

    def __init__(self, client: redis.Redis, *, chat_id: str = "console",
                 user_id: str = "console", out: TextIO = sys.stdout,
                 interactive: bool = False) -> None:
        self.client = client
        self.chat_id = chat_id
        self.user_id = user_id
        self.out = out
        self.interactive = interactive

    def _say(self, text: str, end: str = "\n") -> None:
        self.out.write(text + end)
        self.out.flush()

    def _wait(self, message_id: str) -> str:
        shown = ""
        final = ""
        for state in read_reply(self.client, message_id, timeout_s=REPLY_TIMEOUT_S):
            if self.interactive:
                if not state.text.startswith(shown):  # a retried attempt starts over
                    self._say("\n[restarted] ", end="")
                    shown = ""
                self._say(state.text[len(shown):], end="")
                shown = state.text
            if state.final is not None:
                final = state.final.text
        if self.interactive:
            self._say("")
        elif final:
            self._say(final)
        else:
            self._say("(no reply: no worker answered in time)")
        return final

    def send(self, text: str) -> str:
        """Send one message (or command) and return the reply text."""
        message_id = f"console-{uuid.uuid4().hex}"
        if text in ("/reset", "/forget"):
            kind = ControlKind.RESET if text == "/reset" else ControlKind.FORGET
            enqueue_control(self.client, Control(kind=kind, chat_id=self.chat_id,
                                                 message_id=message_id), user_id=self.user_id)
        else:
            if not online_workers(self.client):
                self._say("(no worker is online; your message waits in the queue)")
            enqueue_chat(self.client, Inbound(message_id=message_id, chat_id=self.chat_id,
                                              user_id=self.user_id, text=text,
                                              channel="console"))
        return self._wait(message_id)

    def morning_reports(self) -> int:
        """Print the morning reports not shown yet (read through the console's group)."""
        try:
            self.client.xgroup_create(REPORTS, CONSOLE_GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        answer = self.client.xreadgroup(CONSOLE_GROUP, "console", {REPORTS: ">"}, count=10)
        shown = 0
        for _, entries in answer or []:
            for entry_id, fields in entries:
                try:
                    report = parse(MorningReport, json.loads(fields[b"data"]))
                except (KeyError, ValueError, PayloadInvalid):
                    report = None
                if report is not None:
                    self._say(f"\n{report.text}")
                    self._say("(full report: `hearth search report`"
                              + (f"; approve: `hearth spec approve {report.pending_spec[:12]}`"
                                 if report.pending_spec else "") + ")")
                    shown += 1
                self.client.xack(REPORTS, CONSOLE_GROUP, entry_id)
        return shown
    def reminders(self) -> int:
        """Print the reminders due for this chat, each once; how many were printed."""
        group = f"hearth-console-{self.chat_id}"
        try:
            self.client.xgroup_create(OUTBOX, group, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        printed = 0
        for start in ("0", ">"):  # first what a killed console read but did not acknowledge
            answer = self.client.xreadgroup(group, "console", {OUTBOX: start}, count=100)
            for entry_id, fields in (answer[0][1] if answer else []):
                try:
                    message = parse(Outbound, json.loads(fields.get(b"data", b"")))
                except (PayloadInvalid, ValueError):
                    message = None
                if message is not None and message.chat_id == self.chat_id:
                    self._say(f"{RESENT_MARK} {message.text}" if start == "0"
                              else message.text)
                    printed += 1
                self.client.xack(OUTBOX, group, entry_id)
        return printed

    def run(self, lines: Iterable[str]) -> int:
        """Chat until end of input or /quit; return the exit status."""
        self.morning_reports()
        if self.interactive:
            self._say(HELP)
            self._say("you> ", end="")
        for line in lines:
            self.reminders()
            text = line.strip()
            if text in ("/quit", "/exit"):
                break
            if text:
                if self.interactive:
                    self._say("hearth> ", end="")
                self.send(text)
                self.morning_reports()
            self.reminders()
            if self.interactive:
                self._say("you> ", end="")
        return 0
