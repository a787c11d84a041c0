"""The specs Hearth ships with: `default` (SmolLM2-135M) and `gemma3-270m`."""

from __future__ import annotations

from hearth.errors import SpecNotFound
from hearth.specs._decline_patterns import DECLINE_PATTERNS
from hearth.specs._model import Spec
from hearth.specs._primitives import (
    ANY_TOOL,
    Agent,
    FewShot,
    Intelligence,
    Route,
    Sampling,
    Tool,
    Tools,
)

DEFAULT_SYSTEM_PROMPT = (
    "You are Hearth, a helpful personal assistant running privately on the user's own "
    "computer. Answer in the user's language. Be brief and direct: one to three short "
    "sentences unless the user asks for more. If you do not know something, say so "
    "plainly instead of guessing. You cannot browse the web, send e-mail, make calls or "
    "buy things; say so politely when asked."
)

_TOOL_DESCRIPTIONS = {
    "calculator": "Evaluate an arithmetic expression exactly, e.g. 1234*5678 or (3+4)/2.",
    "clock": "Current date, time and weekday in the user's time zone, and date arithmetic.",
    "remember": "Store a fact the user wants you to remember for later conversations.",
    "recall": "Search the facts and past messages remembered for this chat.",
    "reminder": "Schedule a reminder message back to this chat at a given time.",
}


def _builtin_tools(enabled: bool = False) -> Tools:
    return Tools(
        tools=tuple(
            Tool(name=name, enabled=enabled, description=text)
            for name, text in _TOOL_DESCRIPTIONS.items()
        )
    )


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_NUMBER = r"(\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred)\b)"
#: Units a conversion names, short: two of them fit one pattern.
#: A message about the weather or the news is not the clock's, whatever day it names.
_NOT_WEATHER = (r"^(?!.*\b(weather|forecast|rain|snow|sunny|cloudy|windy|stormy|news|headlines|"
                r"traffic)\b).*?")
_TO_UNIT = (r"(k?m|kilomet\w*|miles?|met\w*|[cm]m|c?entimet\w*|inch\w*|feet|foot|ft|yards?|kg|"
            r"kilo\w*|grams?|g|pounds?|lbs?|ounces?|oz|stones?|lit\w*|l|ml|millilit\w*|cups?|"
            r"pints?|gallons?|celsius|fahrenheit|kelvin|[cfk]|mph|km/h|knots?)")
_UNIT_WORDS = (r"(millimet(re|er)s?|centimet(re|er)s?|met(re|er)s?|kilomet(re|er)s?|km|cm|mm|"
               r"inch(es)?|feet|foot|ft|yards?|miles?|grams?|kilo(gram)?s?|kg|ounces?|oz|"
               r"pounds?|lbs?|stones?|tonnes?|lit(re|er)s?|millilit(re|er)s?|ml|cups?|"
               r"teaspoons?|tablespoons?|tsp|tbsp|pints?|quarts?|gallons?|celsius|fahrenheit|"
               r"kelvin|[cfk]\b|mph|km/h|knots?)")

#: The default routes: English patterns for the built-in tools' query classes.
#: Each pattern is one piece of evidence; the class with the most wins, ties go
#: to the model. The search may add classes, patterns and models.
DEFAULT_ROUTES = (
    Route(name="reminder", path="tool", tool="reminder",
          description="set a reminder for later",
          patterns=(r"\bremind (me|us)\b(?!,)", r"\bset (a|an) (reminder|alarm)\b",
                    r"^\W*((please|can you|could you|hey)[\s,]+)*((set|start) (me )?(an? )?"
                    r"(\w+[- ](minute|min|hour)s?[- ])?)?timer\b",
                    r"\bremind\b.*\b(in \d+|at \d|tomorrow)")),
    Route(name="remember", path="tool", tool="remember",
          description="store a fact the user tells me to remember",
          patterns=(r"^\W*(please\s+)?(remember|note|memori[sz]e|keep in mind|don'?t forget)\b"
                    r"(?!.*\?\s*$)",
                    # Not "I can't remember that", "I'll always remember that": no request.
                    r"(?<!n't )(?<!not )(?<!always )(?<!\bi )(?<!we )\b(remember|keep in mind|"
                    r"note) that\b(?!.*\?\s*$)")),
    Route(name="recall", path="tool", tool="recall",
          description="a question about something the user told me before",
          patterns=(r"^(?!.*\d)\W*.*\b(what|where|when|who|which|how old|how many|do|does|is|am)"
                    r"\b[^?]*"
                    r"(\bmy\b|\b(do|did|am|was|have) i\b)[^?]*\?\s*$",
                    # A short remark may follow a question about one of my things ("When's my
                    # dad's birthday? Want to order something in time."), not a request.
                    r"^(?!.*\d)\W*(what|where|when|who|which|how old)('s|’s|\s+is|\s+are|\s+was"
                    r"|\s+were)\s+my\s+[^?]{1,40}\?\s+(?![^?]*\b(please|also|add|book|turn|set|"
                    r"give|tell|ideas?|should|can|could|would|will)\b)[^?.!]{1,60}[.!]?\s*$",
                    r"\bdo you remember\b",
                    r"\bwhat did i (tell|say)\b", r"\bdid i (tell|mention|say)\b")),
    Route(name="arithmetic", path="tool", tool="calculator",
          description="a calculation with numbers",
          patterns=(r"\d\s*[-+*/x×÷^]\s*\(?-?\d",
                    _NUMBER + r"\s*(plus|minus|times|multiplied by|divided by|to the power|"
                    r"squared|cubed|percent|%)",
                    r"\b(square root|sqrt|sum of|product of|average of|calculat\w*|compute)\b",
                    r"\b(divide|multiply|subtract|add)\b.*\d",
                    r"\bhow (much|many)\b.*\d|\d.*\bhow (much|many)\b",
                    r"\bhow many (seconds|minutes|hours|days|weeks|months)\b.*\b(in|per)\b "
                    r"(an?|one|\d)",
                    # "Convert 5 miles to km", "72 degrees Fahrenheit in Celsius", "How many
                    # ounces in a pound?"
                    r"\bwhat (percent|percentage)\b.*\d|\d.*\bwhat (percent|percentage)\b|"
                    r"\binterest\b.*\d\s*%|\d\s*%.*\binterest\b",
                    r"\b(half|double|twice|triple|a third|a quarter) of \d|\b(double|triple) \d"
                    r"|\bround \d.*\b(decimal|nearest)\b|\b(split|share|divide)\b.*\b(between|"
                    r"among) \d|\d\s*(feet|foot|ft)\s*(and\s+)?\d+\s*(inches|inch)?\b.*\b(in|"
                    r"into|to) (cm|centimet(re|er)s|met(re|er)s|m)\b",
                    # A unit to a unit: not "5 miles to the shop" or "100 pounds in euros".
                    r"\d\s*(°\s*|degrees\s+)?[a-z/]{1,15}\s+(in|into|to|as)\s+(°\s*)?"
                    + _TO_UNIT + r"\s*(\?|\.|!|$|please)",
                    r"\d\s*degrees (in|into|to) (fahrenheit|celsius|centigrade)\b",
                    r"\bhow many " + _UNIT_WORDS + r" (are )?(there )?(in|per) (an?|one|\d)")),
    Route(name="dates_times", path="tool", tool="clock",
          description="the date, the time, a weekday, or date and time arithmetic",
          # "What time is my flight?" ("the meeting", "yoga") asks about an event, not the
          # clock; "What time is it?", "What day is Thanksgiving?", "the 15th" do.
          patterns=(r"\b(what|which) (day|date|time|year|month|weekday)\b"
                    r"(?!\s+(is|was|are|were|does|did|do)\s+(?!(it|today|tomorrow|now|this|"
                    r"that|noon|midnight|there|next|last|the (date|time|day|first|last|\d+\w*))\b"
                    r"|\d|(?-i:[A-Z]))\w)",
                    # "today's news" and "the weather like tomorrow" ask for news and weather;
                    # "today's date" for the clock.
                    _NOT_WEATHER + r"\b(today|tomorrow|yesterday)\b(?!['’]s\s+(\w+\s+){0,2}?"
                    r"(news|weather|forecast|headlines|scores?|traffic|prices?)\b)",
                    r"\b(weekday|day of the week)\b",
                    r"\b\d{4}-\d{1,2}-\d{1,2}\b", r"\bleap year\b",
                    r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*(am|pm)\b",
                    _NOT_WEATHER + rf"\b({_MONTHS})\b", _NOT_WEATHER + rf"\b({_WEEKDAYS})\b",
                    r"\b(days?|weeks?) (after|before|until|since|from|between)\b",
                    r"\butc\s*[+-]", r"\b\d+(st|nd|rd|th) day\b|\bday of the year\b",
                    # "How long till Christmas?", "When is Easter?", "born in 1985", "between
                    # 9:15 and 17:45" (two clock times: a span, not a sum).
                    r"\b(how long|how many (days|sleeps)|when is|what day)\b.*\b(christmas|xmas|"
                    r"easter|halloween|thanksgiving|new year'?s?( eve| day)?|valentine'?s)\b",
                    r"\bhow old\b.*\bborn in \d{4}\b|\b(left|remaining) (in|of) (this|the) year\b"
                    r"|\bend of (this|the) year\b",
                    r"\bwhat('s| is) the (current |local )?(time|date)\b|\bwhat time will it be\b"
                    r"|\bhow (many (minutes|hours)|long) (until|till|before) \d",
                    r"\b(between|from) \d{1,2}(:\d{2}|\s*[ap]m)\b.*\b(and|to|until) "
                    r"\d{1,2}(:\d{2}|\s*[ap]m)\b",
                    # Counting in the calendar: "How many Fridays in October 2027?", "How many
                    # days does 2028 have?", "how many leap years from 2001 to 2099".
                    rf"\bhow many (({_WEEKDAYS})s|leap years|(working|week|business) days)\b"
                    r"|\bday number\b|\bhow many days (are there in|are in|in|does|did|will|has) "
                    r"(the year )?\d{4}\b")),
    # Actions in the world and live information: no built-in tool does them, and
    # a small model otherwise answers "Done!" (a function offered with the
    # message is tried before any route, so an owner's own tool still gets them).
    Route(name="cannot", path="decline",
          description="an action in the world or live information no tool here provides",
          patterns=DECLINE_PATTERNS),
    Route(name="tool_call", path="tool", tool=ANY_TOOL,
          description="an action one of the offered functions does"),
    Route(name="chat", path="chat", description="anything else: conversation, knowledge"),
)

#: Shown before the conversation: a small model copies the shape of what it saw,
#: so the examples are short, direct and honest about what Hearth can do.
DEFAULT_FEW_SHOT = (
    FewShot(user="Hi! What can you do?",
            assistant="Hi! I'm Hearth, your assistant on your own computer. I can answer "
            "questions, do exact calculations, tell the date and time, remember things "
            "you tell me and set reminders."),
    FewShot(user="What is the capital of France?", assistant="The capital of France is Paris."),
)


# Gemma 3 has no system role: the system prompt rides in a user turn. No BOS
# here: llama.cpp adds it when it tokenizes the prompt.
GEMMA_CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if message['role'] == 'assistant' %}{% set role = 'model' %}"
    "{% else %}{% set role = 'user' %}{% endif %}"
    "{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<start_of_turn>model\n' }}{% endif %}"
)


def default_spec() -> Spec:
    """SmolLM2-135M-Instruct with the built-in tools on and routed by query class."""
    return Spec(
        name="default",
        intelligence=Intelligence(model="smollm2-135m-instruct", sampling=Sampling()),
        agent=Agent(kind="tools", system_prompt=DEFAULT_SYSTEM_PROMPT, routes=DEFAULT_ROUTES,
                    few_shot=DEFAULT_FEW_SHOT, copy_spans=True),
        tools=_builtin_tools(enabled=True),
    )


def gemma_spec() -> Spec:
    """Gemma 3 270M (a base model): an explicit template and few-shot examples."""
    return Spec(
        name="gemma3-270m",
        intelligence=Intelligence(
            model="gemma3-270m",
            chat_template=GEMMA_CHAT_TEMPLATE,
            stop=("<end_of_turn>", "<start_of_turn>"),
            sampling=Sampling(temperature=0.3, max_tokens=200),
        ),
        agent=Agent(
            kind="chat",
            system_prompt=DEFAULT_SYSTEM_PROMPT,
            few_shot=(
                FewShot(user="Hi!", assistant="Hello! How can I help you today?"),
                FewShot(user="What is the capital of France?", assistant="Paris."),
                FewShot(
                    user="Can you order me a pizza?",
                    assistant="Sorry, I can't place orders. I can help you plan one, though.",
                ),
            ),
        ),
        tools=_builtin_tools(),
    )


BUILTIN_SPECS = {"default": default_spec, "gemma3-270m": gemma_spec}


def builtin_spec(name: str) -> Spec:
    """A built-in spec by name, or `SpecNotFound` listing the names."""
    try:
        return BUILTIN_SPECS[name]()
    except KeyError:
        raise SpecNotFound(
            f"no built-in spec {name!r}; built-in specs: {', '.join(BUILTIN_SPECS)}"
        ) from None
