"""Idle flows end: one periodic sweep instead of a scheduler job per open conversation.

A persistent flow left alone for ``FLOW_TIMEOUT`` (two days) is over, as PTB's ``conversation_timeout``
would have it. That option keeps one APScheduler job per open conversation (about 1.4 KB each, all
rebuilt at startup); here each step's last write is stored with it (storage/persistence.py), and this
job, hourly, deletes the idle ones and ends them in memory. A user still about keeps their flow: saving
the step refreshes its time at least hourly.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application, ContextTypes

from storage.persistence import SqlPersistence

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(hours=1)
JOB_NAME = "conversation-sweep"


def open_conversations(app: Application) -> dict:
    """Each persistent conversation's states by name: PTB 22 keeps them in a private attribute."""
    return app._conversation_handler_conversations  # noqa: SLF001


async def sweep(app: Application) -> int:
    """End the flows idle for the timeout; returns how many."""
    persistence = app.persistence
    if not isinstance(persistence, SqlPersistence):
        return 0
    ended = 0
    for name, states in open_conversations(app).items():
        for key in await persistence.sweep(name):
            states.pop(key, None)
            ended += 1
        states.pop_accessed_keys()  # PTB's bookkeeping for its own flush, which the processor replaces
    if ended:
        log.info("Ended %s flows left idle for %s", ended, persistence.idle_after)
    return ended


async def _job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await sweep(context.application)


def install(app: Application) -> None:
    if app.job_queue is not None:
        app.job_queue.run_repeating(_job, interval=SWEEP_EVERY, first=SWEEP_EVERY, name=JOB_NAME)
