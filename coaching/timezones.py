"""Forgiving time-zone matching: IANA names, UTC offsets, abbreviations, cities, coordinates."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime

_REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")

# Common ways people name a zone that are not the city in its IANA name.
_ALIASES = {
    "utc": "UTC",
    "gmt": "UTC",
    "z": "UTC",
    "zulu": "UTC",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mountain": "America/Denver",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "central": "America/Chicago",
    "est": "America/New_York",
    "edt": "America/New_York",
    "eastern": "America/New_York",
    "bst": "Europe/London",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "ist": "Asia/Kolkata",
    "jst": "Asia/Tokyo",
    "aest": "Australia/Sydney",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "portland": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "philadelphia": "America/New_York",
    "nyc": "America/New_York",
    "austin": "America/Chicago",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "montreal": "America/Toronto",
    "ottawa": "America/Toronto",
    "san jose": "America/Los_Angeles",
    "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata",
    "beijing": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "milan": "Europe/Rome",
    "barcelona": "Europe/Madrid",
    "geneva": "Europe/Zurich",
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "kyiv": "Europe/Kyiv",
    "kiev": "Europe/Kyiv",
    "st petersburg": "Europe/Moscow",
    "rio de janeiro": "America/Sao_Paulo",
    "rio": "America/Sao_Paulo",
    "melbourne": "Australia/Melbourne",
    "canberra": "Australia/Sydney",
    "wellington": "Pacific/Auckland",
    "tel aviv": "Asia/Jerusalem",
    "hawaii": "Pacific/Honolulu",
    "cape town": "Africa/Johannesburg",
    "abu dhabi": "Asia/Dubai",
    "osaka": "Asia/Tokyo",
}

# Whole-hour offsets map to Etc/GMT zones; these fractional ones to a zone that uses them.
_FRACTIONAL_OFFSETS = {
    (-9, 30): "Pacific/Marquesas",
    (-3, 30): "America/St_Johns",
    (3, 30): "Asia/Tehran",
    (4, 30): "Asia/Kabul",
    (5, 30): "Asia/Kolkata",
    (5, 45): "Asia/Kathmandu",
    (6, 30): "Asia/Yangon",
    (8, 45): "Australia/Eucla",
    (9, 30): "Australia/Darwin",
    (10, 30): "Australia/Lord_Howe",
    (12, 45): "Pacific/Chatham",
}
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+\-−])\s*(\d{1,2})(?:[:.h]?(\d{2}))?$")


@dataclass(frozen=True)
class ZoneMatch:
    """The zone found for what the user typed, or up to three close guesses."""

    zone: str | None
    suggestions: tuple[str, ...] = field(default=())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.lower().replace("_", " ").replace("-", " ").split())


@functools.cache
def _canonical_zones() -> dict[str, str]:
    """Lower-case IANA name -> IANA name, for every zone tzdata ships."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


@functools.cache
def _city_index() -> dict[str, str]:
    """Folded city name -> zone, from the last part of each regional IANA name, plus aliases."""
    index: dict[str, str] = {}
    for name in sorted(zoneinfo.available_timezones()):
        if name.split("/")[0] in _REGIONS:
            index.setdefault(_fold(name.rsplit("/", 1)[-1]), name)
    index.update(_ALIASES)
    return index


def _from_offset(text: str) -> str | None:
    match = _OFFSET.match(text.replace(" ", ""))
    if not match:
        return None
    sign = -1 if match.group(1) in "-−" else 1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if minutes:
        return _FRACTIONAL_OFFSETS.get((sign * hours, minutes))
    if not -12 <= sign * hours <= 14:
        return None
    if hours == 0:
        return "UTC"
    # POSIX-style Etc names have the sign inverted: UTC+2 is Etc/GMT-2.
    return f"Etc/GMT{'-' if sign > 0 else '+'}{hours}"


def match_timezone(text: str | None) -> ZoneMatch:
    """Find the IANA zone meant by ``text``: "Europe/Berlin", "berlin", "UTC+2", "São Paulo"."""
    raw = (text or "").strip()
    if not raw or len(raw) > 100:
        return ZoneMatch(None)
    exact = _canonical_zones().get(raw.lower().replace(" ", "_"))
    if exact:
        return ZoneMatch(exact)
    offset_zone = _from_offset(raw.lower())
    if offset_zone:
        return ZoneMatch(offset_zone)
    cities = _city_index()
    for candidate in (raw, raw.split(",")[0]):
        zone = cities.get(_fold(candidate))
        if zone:
            return ZoneMatch(zone)
    close = difflib.get_close_matches(_fold(raw.split(",")[0]), list(cities), n=3, cutoff=0.75)
    return ZoneMatch(None, tuple(dict.fromkeys(cities[c] for c in close)))


@functools.cache
def _finder():
    # Imported lazily: building the finder reads its data files, which only location shares need.
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a point, found offline, or None (say, in the open sea)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    zone = _finder().timezone_at(lng=longitude, lat=latitude)
    return zone if zone in _canonical_zones().values() else None


def describe_zone(zone: str, now: datetime) -> str:
    """ "Europe/Berlin (UTC+01:00), where it is now 14:05"."""
    local = now.astimezone(zoneinfo.ZoneInfo(zone))
    offset = local.strftime("%z")
    return f"{zone} (UTC{offset[:3]}:{offset[3:]}), where it is now {local:%H:%M}"
