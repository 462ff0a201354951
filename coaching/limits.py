"""Per-user limits: the flood throttle's rule, and what it says.

**The rule.** At most ``FLOOD_LIMIT`` (20) updates from one user are handled in any
``FLOOD_WINDOW_SECONDS`` (5 s), a sliding window over the updates that were let through. 20 in 5 s is
4 a second sustained: a person tapping through a flow as fast as they can manages 2-3 a second for a few
seconds, and waits for the answer now and then, so they never meet the limit, not even in a long run
of taps; a burst of 20 at once (a pasted list split by the client, a few quick double taps) also passes.
"30 in 5 seconds", a script or a stuck key, is slowed: from the 21st in the window, updates are dropped
until the oldest of the 20 is 5 s old, so a flood is served at 4 a second at most and everyone else
is served as usual.

**Telling the user.** The first dropped update of a spell says so (``Verdict.TELL``); the rest of the
spell is dropped quietly (``Verdict.DROP``), so a flood earns one polite message, never one per update.
A spell ends once a whole window passes without a drop.

**Memory.** Per user, the times of the last 20 updates let through (8-byte floats in one array, grown as
they come) and of the last drop: about 200 bytes for someone who sent a few, 450 at the limit. A user
idle for a window is forgotten (their state is then the same as a newcomer's), so the gate holds only the
users seen in the last few seconds, and never more than ``max_users``.

Pure: the time is a parameter (seconds from any monotonic clock), nothing here sleeps or reads a clock.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from enum import Enum

from coaching.defaults import FLOOD_LIMIT, FLOOD_TRACKED_USERS, FLOOD_WINDOW_SECONDS

# What the user is told (Telegram HTML; no user text in it).
FLOOD_NOTICE = (
    "🐢 You're sending messages faster than I can keep up with, so I skipped the last few. "
    "Give me a few seconds, then carry on where you were."
)
FLOOD_BUTTON_ANSWER = "One moment: that's a lot of taps at once. Try again in a few seconds."  # a popup, ≤ 200


class Verdict(Enum):
    ADMIT = "admit"  # handle it as usual
    TELL = "tell"  # over the limit, the first of a spell: drop it and tell the user once
    DROP = "drop"  # over the limit, and the user has been told: drop it quietly


@dataclass(slots=True)
class _Recent:
    """One user's recent updates. ``admitted`` holds the times of the last ``limit`` let through: oldest
    first while it fills, then a ring whose oldest is at ``oldest`` (each new time replaces the oldest)."""

    admitted: array[float]
    oldest: int = 0
    last_drop: float = -math.inf

    def newest(self) -> float:
        return self.admitted[self.oldest - 1]  # the one before the oldest; while filling, the last


@dataclass
class FloodGate:
    """The sliding-window rule for every user at once (see the module docstring)."""

    limit: int = FLOOD_LIMIT
    window: float = FLOOD_WINDOW_SECONDS
    max_users: int = FLOOD_TRACKED_USERS
    _users: dict[int, _Recent] = field(default_factory=dict, init=False, repr=False)
    _next_sweep: float = field(default=-math.inf, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window <= 0 or self.max_users < 1:
            raise ValueError("a flood gate needs a limit, a window and room for at least one user")

    def check(self, user_id: int, now: float) -> Verdict:
        """Whether the update ``user_id`` sent at ``now`` (seconds) is handled, and if not, whether to say so."""
        if now >= self._next_sweep:
            self._sweep(now)
        recent = self._users.get(user_id)
        if recent is None:
            if len(self._users) >= self.max_users:
                self._make_room(now)
            self._users[user_id] = _Recent(array("d", (now,)))
            return Verdict.ADMIT
        admitted = recent.admitted
        if len(admitted) < self.limit:
            admitted.append(now)
            return Verdict.ADMIT
        # Full: let through once the oldest of the last ``limit`` is a window old (else that many came in under one).
        if now - admitted[recent.oldest] >= self.window:
            admitted[recent.oldest] = now
            recent.oldest = (recent.oldest + 1) % self.limit
            return Verdict.ADMIT
        same_spell = now - recent.last_drop < self.window
        recent.last_drop = now
        return Verdict.DROP if same_spell else Verdict.TELL

    def tracked(self) -> int:
        """How many users the gate remembers now."""
        return len(self._users)

    def _idle(self, recent: _Recent, now: float) -> bool:
        """Nothing let through or dropped within a window: the same as a user never seen."""
        return now - recent.newest() >= self.window and now - recent.last_drop >= self.window

    def _sweep(self, now: float) -> None:
        """Forget idle users; runs at most once a window, so its cost is spread over the updates."""
        for user_id in [u for u, recent in self._users.items() if self._idle(recent, now)]:
            del self._users[user_id]
        self._next_sweep = now + self.window

    def _make_room(self, now: float) -> None:
        """Full: forget the idle, and if that is not enough, the longest-known tenth (they start afresh)."""
        self._sweep(now)
        excess = len(self._users) - self.max_users + 1
        if excess > 0:
            excess = max(excess, self.max_users // 10)
            for user_id in list(self._users)[:excess]:
                del self._users[user_id]
