"""Composition root: settings, logging, the application factory and the command line."""

import os

# Opt in to python-telegram-bot's coming behaviour now: durations (RetryAfter.retry_after) are timedeltas.
# Without it, every 429 logs a deprecation warning; the code handles both forms.
os.environ.setdefault("PTB_TIMEDELTA", "1")
