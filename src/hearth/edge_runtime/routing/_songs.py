"""Song searches in the form a music function asks for: 'track:Friends artist:Marshmello'.

Music functions often want their query as 'track:SongName artist:ArtistName';
people say "play the song 'Friends' by Marshmello" or "play wrecking ball by
Miley Cyrus". A small model copies one of the two names, a bigger one fills
the artist with the song's name when the message gives none. Read only for a
string argument whose description shows that form, from a song the message
quotes or puts after "play", "listen to" or "hear", and the capitalised name
after "by" ("play it by ear" names no artist);
with no artist, the song alone where the description allows it ("or just the
song name if the artist is unknown").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_FORM = re.compile(r"track:\s*\S.*?\bartist:", re.IGNORECASE)
_ALONE = re.compile(r"\bjust\b[^.]*\bsong\b|\bartist is unknown\b|\bwithout (?:the )?artist",
                    re.IGNORECASE)
#: The artist: capitalised words after "by" ("by Ed Sheeran", "by the Beatles").
_WORD = r"[A-Z][\w'&-]*(?:\.[A-Z][\w'&-]*)*"  # "M.I.A", never "Buttar. Can"
_ARTIST = rf"(?P<artist>(?:the\s+)?{_WORD}(?:\s+(?:{_WORD}|&|and|the|of))*)"
#: A quoted title: apostrophes inside words ("'Don't Stop Me Now'") do not end it.
_TITLE = r"(?P<song>(?:[^'\"‘’“”]|(?<=\w)['’](?=\w)){2,80}?)"
_QUOTED = re.compile(r"(?:^|[\s(])['\"‘“]" + _TITLE + r"['\"’”](?!\w)(?:\s+by\s+" + _ARTIST
                     + r")?")
#: Words after "play" that name no song ("play something by Queen", "play it by ear").
_NO_SONG = re.compile(r"^(?:it|me|my|some|something|anything|music|songs?|tracks?|a song|"
                      r"a track|stuff|this|that|your|our|the playlist)\b", re.IGNORECASE)
_PLAYED = re.compile(
    r"(?i:\b(?:play|listen to|hear|put on|queue)\s+(?:the\s+(?:song|track)\s+)?"
    r"(?:(?:called|named|titled)\s+)?)"
    r"(?P<song>[\w'’ .-]{1,60}?)\s+by\s+" + _ARTIST + r"(?=\s*(?:[.!?,]|\bon\b|\bplease\b|$))")
#: "Don't play …": no request to play it.
_NEGATED = re.compile(r"\b(?:don'?t|do not|never|stop)\s+(?:\w+\s+){0,2}?(?:play|put on|queue)\b",
                      re.IGNORECASE)


def _song(user: str) -> tuple[str, str | None] | None:
    """(song, artist or None) the message asks for, or None when it names no one song."""
    if _NEGATED.search(user):
        return None
    quoted = list(_QUOTED.finditer(user))
    if len(quoted) == 1:
        found = quoted[0]
        return found.group("song").strip(), (found.group("artist") or "").strip() or None
    if not quoted and (played := _PLAYED.search(user)) and \
            not _NO_SONG.match(played.group("song")):
        return played.group("song").strip(), played.group("artist").strip()
    return None


def song_queries(schema: Mapping[str, Any], user: str) -> dict[str, str]:
    """{argument: 'track:Song artist:Artist'} for the argument whose description asks so."""
    asking = [(str(k), str(p.get("description") or "")) for k, p in
              (schema.get("properties") or {}).items()
              if isinstance(p, Mapping) and p.get("type", "string") == "string"
              and _FORM.search(str(p.get("description") or ""))]
    if len(asking) != 1 or (found := _song(user)) is None:
        return {}
    (key, description), (song, artist) = asking[0], found
    if artist is not None:
        return {key: f"track:{song} artist:{artist}"}
    return {key: song} if _ALONE.search(description) else {}
