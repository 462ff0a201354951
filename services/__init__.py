"""Use cases: one async function per user intent, each in one unit of work, with ``now`` as a parameter.

Handlers and the nudge dispatcher call these; they return plain results (dataclasses) to render.
"""
