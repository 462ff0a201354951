"""The coach's brain: pure rules, texts and plans.

Nothing here imports telegram or sqlalchemy, and nothing reads the clock: functions that
depend on time take ``now`` as a parameter, so every rule is unit-tested with plain values.
"""
