"""Benchmark: rendering the progress chart, and what it does to the event loop.

Run:  .venv/bin/python -m bench.charts [--renders 50] [--charts 20]
First the time to render one chart (median and p95 of --renders runs, after a warm-up). Then --charts
charts are rendered at once, as a burst of /progress taps would, while a 10 ms asyncio ticker runs: once
inline on the event loop, once through `asyncio.to_thread` as the bot does. The ticker's lateness is how
long every other user's update would wait. The baseline is the ticker alone on an idle loop.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/charts.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coaching.insights import Funnel, Progress, WeekCount
from services.charts import render_progress_png

TICK = 0.010


def sample() -> Progress:
    """A busy user's eight weeks: every bar and column has something to draw, and there is a goal."""
    start = date(2026, 10, 5)
    weeks = tuple(WeekCount(start + timedelta(weeks=i), n) for i, n in enumerate((0, 1, 3, 2, 0, 1, 2, 1)))
    return Progress(Funnel(contacts=42, requests=18, replies=9, meetings=6, referrals=2), weeks, goal_per_week=2)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def render_times(progress: Progress, renders: int) -> list[float]:
    render_progress_png(progress)  # warm-up: font loading
    times = []
    for _ in range(renders):
        start = time.perf_counter()
        render_progress_png(progress)
        times.append((time.perf_counter() - start) * 1000)
    return times


async def ticker(lateness: list[float], stop: asyncio.Event) -> None:
    """Sleep 10 ms at a time and record how late each wake-up is, in ms."""
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(TICK)
        lateness.append((time.perf_counter() - start - TICK) * 1000)


async def inline(progress: Progress) -> None:
    render_progress_png(progress)  # blocks the loop for the whole render


async def threaded(progress: Progress) -> None:
    await asyncio.to_thread(render_progress_png, progress)


async def under_load(
    render: Callable[[Progress], Awaitable[None]] | None, progress: Progress, charts: int
) -> tuple[list[float], float]:
    """(ticker lateness in ms, wall time in ms) while `charts` renders run concurrently (None: idle loop)."""
    lateness: list[float] = []
    stop = asyncio.Event()
    tick = asyncio.create_task(ticker(lateness, stop))
    await asyncio.sleep(TICK * 3)  # let the ticker settle
    lateness.clear()
    start = time.perf_counter()
    if render is None:
        await asyncio.sleep(0.3)
    else:
        await asyncio.gather(*(render(progress) for _ in range(charts)))
    wall = (time.perf_counter() - start) * 1000
    await asyncio.sleep(TICK * 2)  # the tick that was due during the last render
    stop.set()
    await tick
    return lateness, wall


async def main(renders: int, charts: int) -> None:
    progress = sample()
    times = render_times(progress, renders)
    size = len(render_progress_png(progress))
    print(
        f"one chart: median {statistics.median(times):5.1f} ms · p95 {percentile(times, 0.95):5.1f} ms "
        f"· {size / 1000:.0f} kB PNG · {renders} renders"
    )
    print()
    print(f"{charts} charts at once, 10 ms ticker   wall ms   ticks   median late ms   p95 late ms   max late ms")
    for name, render in (
        ("idle loop (baseline)", None),
        ("inline on the loop", inline),
        ("asyncio.to_thread", threaded),
    ):
        lateness, wall = await under_load(render, progress, charts)
        print(
            f"{name:<35} {wall:7.0f} {len(lateness):7d} {statistics.median(lateness):16.1f} "
            f"{percentile(lateness, 0.95):13.1f} {max(lateness):13.1f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--charts", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.renders, args.charts))
