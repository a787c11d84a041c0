"""An instant engine that echoes the user, for measuring the bridge and queue alone.

Selected with `hearth worker --engine echo`; never used for real chats.
`HEARTH_ECHO_WORD_DELAY_S` slows it to a word every so many seconds, so that
crash tests and `make chaos` can kill a worker while it is mid-reply.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hearth.edge_runtime._engine import Generation, Message
from hearth.specs import Sampling, Spec


class EchoEngine:
    """Replies "echo: <last user message>" at once, streamed word by word."""

    def __init__(self, spec: Spec, home: Path) -> None:
        del home
        self.model_name = "echo"
        self.n_ctx = spec.engine.n_ctx
        # Read here, not from Settings: a knob of this test engine only.
        self.word_delay_s = float(os.environ.get("HEARTH_ECHO_WORD_DELAY_S", "0") or 0)

    def count_tokens(self, text: str) -> int:
        """About one token per four characters."""
        return len(text) // 4 + 1

    def generate(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        stop: Sequence[str] = (),
        json_schema: dict[str, Any] | None = None,
        on_text: Callable[[str], None] | None = None,
        deadline: float | None = None,
    ) -> Generation:
        """Echo the last user message."""
        start = time.monotonic()
        if json_schema is not None:
            text = '{"tool": "none"}'
        else:
            last = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
            text = f"echo: {last}"
            for i, word in enumerate(text.split(" ")):
                if i and self.word_delay_s:
                    time.sleep(self.word_delay_s)
                if on_text is not None:
                    on_text(word if i == 0 else " " + word)
        elapsed = time.monotonic() - start
        return Generation(text=text, finish_reason="stop", prompt_tokens=1,
                          completion_tokens=max(1, len(text.split())),
                          first_token_s=elapsed, total_s=elapsed)
