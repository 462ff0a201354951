"""``@leads_to(...)``: the states a conversation callback moves to, for the flow diagrams (handlers.diagrams).

The diagrams read each callback's ``return`` statements; mark a callback only where that reading is wrong
or impossible (a state computed at run time). The mark is metadata: the callback is returned unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

Callback = TypeVar("Callback", bound=Callable)


def leads_to(*states: object) -> Callable[[Callback], Callback]:
    """Record ``states`` (state values, or ConversationHandler.END) as where ``callback`` can lead."""

    def mark(callback: Callback) -> Callback:
        callback.leads_to = states
        return callback

    return mark
