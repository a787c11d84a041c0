"""Place names as IANA time zones: "Tokyo" is Asia/Tokyo, "Japan" too, "New York" America/New_York.

Every city the time-zone database names is known by its last part
("Asia/Tokyo" -> "tokyo", "America/Sao_Paulo" -> "sao paulo"); a short
table adds countries with one zone and big cities the database files under
another ("Beijing" is Asia/Shanghai). Countries with several zones (the US,
Canada, Australia, Brazil, Russia, Mexico) are left out: a guess there is an
hour or more wrong.
"""

from __future__ import annotations

import functools
import re
import zoneinfo

#: Places the database does not name, as the zone they keep.
_ALIASES = {
    "uk": "Europe/London", "united kingdom": "Europe/London", "britain": "Europe/London",
    "england": "Europe/London", "scotland": "Europe/London", "wales": "Europe/London",
    "manchester": "Europe/London", "edinburgh": "Europe/London", "ireland": "Europe/Dublin",
    "france": "Europe/Paris", "germany": "Europe/Berlin", "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin", "spain": "Europe/Madrid",
    "barcelona": "Europe/Madrid", "italy": "Europe/Rome", "milan": "Europe/Rome",
    "portugal": "Europe/Lisbon", "porto": "Europe/Lisbon", "netherlands": "Europe/Amsterdam",
    "holland": "Europe/Amsterdam", "belgium": "Europe/Brussels", "switzerland": "Europe/Zurich",
    "geneva": "Europe/Zurich", "austria": "Europe/Vienna", "poland": "Europe/Warsaw",
    "sweden": "Europe/Stockholm", "norway": "Europe/Oslo", "denmark": "Europe/Copenhagen",
    "finland": "Europe/Helsinki", "greece": "Europe/Athens", "turkey": "Europe/Istanbul",
    "czechia": "Europe/Prague", "czech republic": "Europe/Prague", "hungary": "Europe/Budapest",
    "japan": "Asia/Tokyo", "osaka": "Asia/Tokyo", "kyoto": "Asia/Tokyo",
    "china": "Asia/Shanghai", "beijing": "Asia/Shanghai", "shenzhen": "Asia/Shanghai",
    "india": "Asia/Kolkata", "mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata",
    "south korea": "Asia/Seoul", "korea": "Asia/Seoul", "thailand": "Asia/Bangkok",
    "vietnam": "Asia/Ho_Chi_Minh", "hanoi": "Asia/Ho_Chi_Minh", "philippines": "Asia/Manila",
    "indonesia": "Asia/Jakarta", "uae": "Asia/Dubai", "abu dhabi": "Asia/Dubai",
    "israel": "Asia/Jerusalem", "tel aviv": "Asia/Jerusalem", "egypt": "Africa/Cairo",
    "south africa": "Africa/Johannesburg", "cape town": "Africa/Johannesburg",
    "nigeria": "Africa/Lagos", "kenya": "Africa/Nairobi", "new zealand": "Pacific/Auckland",
    "wellington": "Pacific/Auckland", "argentina": "America/Argentina/Buenos_Aires",
    "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
    "washington dc": "America/New_York", "boston": "America/New_York",
    "miami": "America/New_York", "atlanta": "America/New_York",
    "philadelphia": "America/New_York", "houston": "America/Chicago",
    "dallas": "America/Chicago", "austin": "America/Chicago", "montreal": "America/Toronto",
    "ottawa": "America/Toronto", "singapore": "Asia/Singapore", "hong kong": "Asia/Hong_Kong",
    "utc": "UTC", "gmt": "UTC", "la": "America/Los_Angeles", "nyc": "America/New_York",
    "sf": "America/Los_Angeles", "california": "America/Los_Angeles",
    "hawaii": "Pacific/Honolulu", "samoa": "Pacific/Apia", "san juan": "America/Puerto_Rico",
    "puerto rico": "America/Puerto_Rico", "cordoba": "Europe/Madrid",
    # Zone abbreviations as people use them: "EST" for New York's clock in any season.
    "est": "America/New_York", "edt": "America/New_York", "cst": "America/Chicago",
    "cdt": "America/Chicago", "mst": "America/Denver", "mdt": "America/Denver",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "cet": "Europe/Berlin",
    "cest": "Europe/Berlin", "bst": "Europe/London", "jst": "Asia/Tokyo",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "ist": "Asia/Kolkata",
    "nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland",
}
#: Zones south of the equator: their winter is the north's summer.
SOUTHERN = re.compile(r"^(?:Australia|Antarctica)/|^Pacific/(?:Auckland|Chatham|Apia|Fiji|"
                      r"Tongatapu|Noumea)|^America/(?:Santiago|Sao_Paulo|Argentina/|Montevideo|"
                      r"Asuncion|La_Paz|Lima)|^Africa/(?:Johannesburg|Maputo|Harare|Windhoek|"
                      r"Gaborone|Maseru|Mbabane|Lusaka)")
#: Zone names that are no place a person names ("Etc/GMT+5", "US/Pacific", "Australia/North").
_NOT_PLACES = re.compile(r"^(?:etc|us|canada|brazil|mexico|chile|systemv|antarctica)/|"
                         r"^australia/(?:north|south|west|act|nsw|lhi|yancowinna|victoria)$",
                         re.IGNORECASE)
#: Last parts that are more often a word or a person than the place: "at Christmas", "Davis".
_WORDS = frozenset(("christmas", "easter", "midway", "wake", "nome", "stanley", "regina",
                    "dawson", "knox", "marengo", "monticello", "jersey", "truk", "chuuk",
                    "tell city", "winamac", "vincennes", "petersburg", "center", "beulah"))


@functools.cache
def _places() -> dict[str, str]:
    found: dict[str, str] = {}
    for zone in zoneinfo.available_timezones():
        name = zone.rsplit("/", 1)[-1].replace("_", " ").lower()
        if "/" in zone and not _NOT_PLACES.search(zone) and name not in _WORDS:
            found.setdefault(name, zone)
    return {**found, **_ALIASES}


@functools.cache
def _zone_names() -> dict[str, str]:
    return {zone.lower(): zone for zone in zoneinfo.available_timezones()}


def zone_for(name: str) -> str | None:
    """The IANA zone of a place name or zone name (any case), or None when it names none."""
    text = " ".join(name.strip().split()).lower()
    return _places().get(text.removeprefix("the ")) or _zone_names().get(text)


@functools.cache
def _place_pattern() -> re.Pattern[str]:
    names = sorted(_places(), key=len, reverse=True)  # "new york" before "york"
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)


def places_in(text: str) -> list[re.Match[str]]:
    """The place names of `text` that have a zone, in order."""
    return list(_place_pattern().finditer(text))
