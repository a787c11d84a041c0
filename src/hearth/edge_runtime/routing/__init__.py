"""Routing a message to a tool, a catalog model or chat, and replies that agree with tools.

`match` classifies by the routes' patterns; `extract` reads a built-in tool's
arguments from the message; `template` and `agrees` make sure a reply states
the tool's result. The agent (`edge_runtime._agent`) puts them together and
asks the model only where these are unsure.
"""

from hearth.edge_runtime.routing._choices import mentioned_choices
from hearth.edge_runtime.routing._classify import (
    CHAT,
    Matches,
    any_tool_route,
    fallback,
    match,
    routed_tools,
)
from hearth.edge_runtime.routing._date_arguments import date_arguments
from hearth.edge_runtime.routing._described import described_codes
from hearth.edge_runtime.routing._extract import extract
from hearth.edge_runtime.routing._flags import flag_arguments
from hearth.edge_runtime.routing._grounded import asking_for, ungrounded
from hearth.edge_runtime.routing._labelled import labelled_arguments
from hearth.edge_runtime.routing._math import IMPLICIT_CONSTANTS, message_numbers
from hearth.edge_runtime.routing._number_lists import number_lists
from hearth.edge_runtime.routing._places import place_arguments, without_other_areas
from hearth.edge_runtime.routing._quoted import quoted_arguments
from hearth.edge_runtime.routing._ratings import rating_arguments
from hearth.edge_runtime.routing._readers import corrected, read_arguments
from hearth.edge_runtime.routing._relevance import SURE_SCORE, rank, words
from hearth.edge_runtime.routing._repeated import without_repeats
from hearth.edge_runtime.routing._replies import NOT_KNOWN, agrees, template, without_scaffold
from hearth.edge_runtime.routing._stated import stated_only
from hearth.edge_runtime.routing._url_arguments import url_arguments

__all__ = [
    "CHAT",
    "IMPLICIT_CONSTANTS",
    "NOT_KNOWN",
    "SURE_SCORE",
    "Matches",
    "agrees",
    "any_tool_route",
    "asking_for",
    "corrected",
    "date_arguments",
    "described_codes",
    "extract",
    "fallback",
    "flag_arguments",
    "labelled_arguments",
    "match",
    "mentioned_choices",
    "message_numbers",
    "number_lists",
    "place_arguments",
    "quoted_arguments",
    "rank",
    "rating_arguments",
    "read_arguments",
    "routed_tools",
    "stated_only",
    "template",
    "ungrounded",
    "url_arguments",
    "without_other_areas",
    "without_repeats",
    "without_scaffold",
    "words",
]
