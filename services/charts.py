"""The progress chart: the outreach funnel and conversations per week, as one PNG for a phone screen.

`chart_data` picks the numbers; `render_progress_png` draws exactly those, so tests check the numbers and
the picture follows. The card is opaque dark slate with light text and bright bars, so it reads the
same in Telegram's light and dark themes. A pure function of its input: same progress, same bytes.

Rendering takes tens of milliseconds of CPU: the bot calls it through `asyncio.to_thread`
(bench/charts.py shows what rendering on the event loop would cost everyone else).
"""

from __future__ import annotations

import functools
import io
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from coaching.insights import Progress, goal_of, short_date

__all__ = ["HEIGHT", "WIDTH", "chart_data", "render_progress_png"]

WIDTH, HEIGHT = 1080, 1080
MARGIN = 40
PAD = 44

BACKGROUND = (15, 23, 42)  # slate 900
CARD = (30, 41, 59)  # slate 800
GRID = (71, 85, 105)  # slate 600
TEXT = (241, 245, 249)  # slate 100
MUTED = (148, 163, 184)  # slate 400
FUNNEL_COLOURS = ((56, 189, 248), (45, 212, 191), (74, 222, 128), (250, 204, 21), (244, 114, 182))
WEEK = (45, 212, 191)  # teal 400
THIS_WEEK = (94, 234, 212)  # teal 300: the current week stands out a little
GOAL = (251, 146, 60)  # orange 400: only the goal line and its label use it

FUNNEL_LABELS = ("Contacts", "Requests", "Replies", "Meetings", "Referrals")
PALETTE_COLOURS = 64
MAX_WEEK_LABELS = 9  # more weeks than this: label every other (or every third) week

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def chart_data(progress: Progress) -> dict[str, Any]:
    """Exactly the numbers the chart draws: funnel bars, weekly columns (labelled '3 Nov') and the goal."""
    f = progress.funnel
    return {
        "funnel": list(zip(FUNNEL_LABELS, (f.contacts, f.requests, f.replies, f.meetings, f.referrals), strict=True)),
        "weeks": [(short_date(week.week_start), week.conversations) for week in progress.weeks],
        "goal": goal_of(progress),
    }


@functools.lru_cache(maxsize=8)
def _font(size: int) -> Font:
    """Pillow's bundled font at `size` (cached: loading it costs more than drawing a bar)."""
    return ImageFont.load_default(size=size)


def _card(draw: ImageDraw.ImageDraw, top: int, bottom: int, title: str) -> None:
    draw.rounded_rectangle((MARGIN, top, WIDTH - MARGIN, bottom), radius=28, fill=CARD)
    draw.text((MARGIN + PAD, top + PAD), title, font=_font(40), fill=TEXT, anchor="lt")


def _funnel(draw: ImageDraw.ImageDraw, bars: list[tuple[str, int]], top: int, bottom: int) -> None:
    """Horizontal bars, one per stage, each with its name on the left and its number at its end."""
    _card(draw, top, bottom, "Your outreach funnel")
    font = _font(34)
    left = MARGIN + PAD
    bar_left = left + 220
    value_room = 16 + round(max(draw.textlength(str(value), font=font) for _, value in bars))
    bar_room = WIDTH - MARGIN - PAD - value_room - bar_left
    most = max([value for _, value in bars] + [1])
    first = top + 130
    step = (bottom - PAD - first) // len(bars)
    height = int(step * 0.62)
    for index, (label, value) in enumerate(bars):
        y = first + index * step
        middle = y + height // 2
        draw.text((left, middle), label, font=font, fill=TEXT, anchor="lm")
        length = max(round(bar_room * value / most), 6)
        colour = FUNNEL_COLOURS[index % len(FUNNEL_COLOURS)] if value else GRID
        draw.rounded_rectangle((bar_left, y, bar_left + length, y + height), radius=10, fill=colour)
        draw.text((bar_left + length + 16, middle), str(value), font=font, fill=TEXT, anchor="lm")


def _dashed(draw: ImageDraw.ImageDraw, x0: int, x1: int, y: int) -> None:
    for x in range(x0, x1, 30):
        draw.line((x, y, min(x + 18, x1), y), fill=GOAL, width=4)


def _weeks(draw: ImageDraw.ImageDraw, columns: list[tuple[str, int]], goal: int | None, top: int, bottom: int) -> None:
    """A column per week, its count on top and its Monday below; the goal as a dashed line."""
    _card(draw, top, bottom, "Conversations per week")
    left, right = MARGIN + PAD, WIDTH - MARGIN - PAD - (90 if goal else 0)
    base, ceiling = bottom - PAD - 44, top + 150
    if not columns:
        draw.text(((left + right) // 2, (base + ceiling) // 2), "No weeks yet", font=_font(34), fill=MUTED, anchor="mm")
        return
    draw.line((left, base, right, base), fill=GRID, width=3)
    scale = (base - ceiling) / max([value for _, value in columns] + [goal or 0, 1])
    slot = (right - left) / len(columns)
    width = int(slot * 0.6)
    every = -(-len(columns) // MAX_WEEK_LABELS)
    for index, (label, value) in enumerate(columns):
        middle = int(left + slot * (index + 0.5))
        y = base - max(round(value * scale), 4 if value else 0)
        colour = THIS_WEEK if index == len(columns) - 1 else WEEK
        if value:
            draw.rounded_rectangle((middle - width // 2, y, middle + width // 2, base), radius=8, fill=colour)
        draw.text((middle, y - 10), str(value), font=_font(30), fill=TEXT if value else MUTED, anchor="mb")
        if (len(columns) - 1 - index) % every == 0:
            draw.text((middle, base + 14), label, font=_font(26), fill=MUTED, anchor="mt")
    if goal:
        y = base - round(goal * scale)
        _dashed(draw, left, right, y)
        draw.text((right + 12, y), f"goal {goal}", font=_font(28), fill=GOAL, anchor="lm")


def _title(draw: ImageDraw.ImageDraw) -> None:
    draw.text((MARGIN + 8, MARGIN), "Your progress", font=_font(52), fill=TEXT, anchor="lt")


def render_progress_png(progress: Progress) -> bytes:
    """The chart as PNG bytes: title, the funnel card and the weekly card, drawn from `chart_data`."""
    data = chart_data(progress)
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    _title(draw)
    _funnel(draw, data["funnel"], 120, 580)
    _weeks(draw, data["weeks"], data["goal"], 610, HEIGHT - MARGIN)
    # A flat chart needs few colours: a 64-colour palette looks the same, encodes a little faster and
    # makes a file about 40 % the size of the full-colour one (23 kB instead of 57 kB).
    palette = image.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
