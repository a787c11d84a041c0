"""The teacher's budget for one search session: tokens and US dollars.

A call is checked before it is sent: its input is estimated at one token per
four characters and its output at the most it may produce (`max_tokens` of
the request), so a session can never spend more than it was given. After the
call, the server's `usage` is charged (the estimate when it sends none).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hearth.errors import TeacherError
from hearth.specs import Learning

#: Characters per token when the server does not say (a common rule of thumb).
CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    """Tokens `text` is taken to cost when the server reports no usage."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


class BudgetExhausted(TeacherError):
    """A teacher call was refused before sending: it could exceed the session's budget."""

    def __init__(self, message: str, *, needed_tokens: int, left_tokens: int,
                 needed_usd: float, left_usd: float) -> None:
        super().__init__(message)
        self.needed_tokens = needed_tokens
        self.left_tokens = left_tokens
        self.needed_usd = needed_usd
        self.left_usd = left_usd


@dataclass
class Budget:
    """Tokens and dollars one session may spend on the teacher, and what it spent.

    Prices are US dollars per 1000 tokens; 0 (a local teacher) makes the
    dollar limit moot.
    """

    max_tokens: int
    max_usd: float
    usd_per_1k_input: float = 0.0
    usd_per_1k_output: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0

    @classmethod
    def from_learning(cls, learning: Learning, *, usd_per_1k_input: float = 0.0,
                      usd_per_1k_output: float = 0.0) -> Budget:
        """The budget a spec's learning primitive gives one session."""
        return cls(max_tokens=learning.budget_tokens, max_usd=learning.budget_usd,
                   usd_per_1k_input=usd_per_1k_input, usd_per_1k_output=usd_per_1k_output)

    def cost_usd(self, input_tokens: int, output_tokens: int) -> float:
        """What a call of that size costs."""
        return (input_tokens * self.usd_per_1k_input
                + output_tokens * self.usd_per_1k_output) / 1000

    @property
    def used_tokens(self) -> int:
        """Tokens spent so far."""
        return self.input_tokens + self.output_tokens

    @property
    def used_usd(self) -> float:
        """Dollars spent so far."""
        return self.cost_usd(self.input_tokens, self.output_tokens)

    @property
    def exhausted(self) -> bool:
        """Whether nothing is left to spend."""
        return self.used_tokens >= self.max_tokens or (
            self.used_usd >= self.max_usd and self.usd_per_1k_input + self.usd_per_1k_output > 0)

    def fit_output(self, input_tokens: int, want_output: int, *, least_output: int) -> int:
        """The most output tokens a call with `input_tokens` may ask for, up to `want_output`.

        Raises `BudgetExhausted` when not even `least_output` tokens fit.
        """
        left_tokens = self.max_tokens - self.used_tokens - input_tokens
        fit = min(want_output, left_tokens)
        if self.usd_per_1k_output > 0:
            left_usd = self.max_usd - self.used_usd - self.cost_usd(input_tokens, 0)
            fit = min(fit, math.floor(left_usd * 1000 / self.usd_per_1k_output))
        elif self.cost_usd(input_tokens, 0) > self.max_usd - self.used_usd:
            fit = -1
        if fit < least_output:
            needed = input_tokens + least_output
            raise BudgetExhausted(
                f"teacher call refused before sending: it needs about {needed} tokens "
                f"(${self.cost_usd(input_tokens, least_output):.4f}), the session has "
                f"{max(0, self.max_tokens - self.used_tokens)} tokens and "
                f"${max(0.0, self.max_usd - self.used_usd):.4f} left; raise "
                "learning.budget_tokens / learning.budget_usd in the spec or --budget-usd",
                needed_tokens=needed, left_tokens=max(0, self.max_tokens - self.used_tokens),
                needed_usd=self.cost_usd(input_tokens, least_output),
                left_usd=max(0.0, self.max_usd - self.used_usd))
        return fit

    def charge(self, input_tokens: int, output_tokens: int) -> None:
        """Record what a call spent."""
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens
        self.calls += 1
