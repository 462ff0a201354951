"""services/charts.py: the progress chart is a valid PNG drawn from exactly the numbers of `chart_data`."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from PIL import Image

from coaching.insights import Funnel, Progress, WeekCount
from services import charts
from services.charts import HEIGHT, WIDTH, chart_data, render_progress_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WEEKS = tuple(WeekCount(date(2026, 10, 26) + timedelta(weeks=i), n) for i, n in enumerate((0, 1, 3, 2, 0, 1, 2, 1)))
BUSY = Progress(Funnel(contacts=42, requests=18, replies=9, meetings=6, referrals=2), WEEKS, goal_per_week=2)
EMPTY = Progress(Funnel(0, 0, 0, 0, 0), (), None)


def opened(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def orange_pixels(png: bytes) -> int:
    """Pixels close to the goal colour: the goal line and its label are the only orange on the card."""
    r0, g0, b0 = charts.GOAL
    colours = opened(png).convert("RGB").getcolors(maxcolors=WIDTH * HEIGHT) or []
    return sum(n for n, (r, g, b) in colours if abs(r - r0) < 24 and abs(g - g0) < 24 and abs(b - b0) < 24)


def test_the_chart_is_a_valid_png_of_the_promised_size() -> None:
    png = render_progress_png(BUSY)
    assert png.startswith(PNG_SIGNATURE)
    Image.open(io.BytesIO(png)).verify()
    image = opened(png)
    assert image.format == "PNG"
    assert image.size == (WIDTH, HEIGHT)
    assert 900 <= min(image.size) and max(image.size) <= 1200


def test_chart_data_holds_the_funnel_and_weeks_given() -> None:
    data = chart_data(BUSY)
    assert data == {
        "funnel": [("Contacts", 42), ("Requests", 18), ("Replies", 9), ("Meetings", 6), ("Referrals", 2)],
        "weeks": [
            ("26 Oct", 0),
            ("2 Nov", 1),
            ("9 Nov", 3),
            ("16 Nov", 2),
            ("23 Nov", 0),
            ("30 Nov", 1),
            ("7 Dec", 2),
            ("14 Dec", 1),
        ],
        "goal": 2,
    }


@pytest.mark.parametrize(("goal", "expected"), [(None, None), (0, None), (3, 3)])
def test_chart_data_has_a_goal_only_when_one_is_set(goal: int | None, expected: int | None) -> None:
    assert chart_data(Progress(BUSY.funnel, BUSY.weeks, goal))["goal"] == expected


def test_a_goal_line_is_drawn_only_when_a_goal_is_set() -> None:
    with_goal = orange_pixels(render_progress_png(BUSY))
    without = orange_pixels(render_progress_png(Progress(BUSY.funnel, BUSY.weeks, None)))
    assert without == 0
    assert with_goal > 500  # a dashed line across the plot, and its label


def test_render_draws_from_chart_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects the contract the tests rely on: the picture shows what chart_data says, nothing else."""
    seen: list[Progress] = []
    swapped = chart_data(Progress(Funnel(1, 1, 1, 1, 1), (), None))

    def fake(progress: Progress) -> dict[str, Any]:
        seen.append(progress)
        return swapped

    monkeypatch.setattr(charts, "chart_data", fake)
    drawn = render_progress_png(BUSY)
    monkeypatch.undo()
    assert seen == [BUSY]
    assert drawn == render_progress_png(Progress(Funnel(1, 1, 1, 1, 1), (), None))
    assert drawn != render_progress_png(BUSY)


def test_rendering_is_deterministic() -> None:
    assert render_progress_png(BUSY) == render_progress_png(BUSY)


@pytest.mark.parametrize(
    "progress",
    [
        EMPTY,
        Progress(Funnel(0, 0, 0, 0, 0), tuple(WeekCount(week.week_start, 0) for week in WEEKS), 2),
        Progress(Funnel(123_456, 0, 7, 0, 99_999), WEEKS * 3, 50),
        Progress(Funnel(1, 2, 3, 4, 5), WEEKS[:1], None),
    ],
    ids=["nothing", "zero-weeks-with-goal", "huge-and-many-weeks", "one-week"],
)
def test_edge_data_renders_a_valid_png(progress: Progress) -> None:
    image = opened(render_progress_png(progress))
    assert image.size == (WIDTH, HEIGHT)
    assert image.convert("RGB").getpixel((5, 5)) == charts.BACKGROUND  # opaque: readable on any theme
