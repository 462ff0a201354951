"""Every number of the method in one place. Settings, models and copy read their defaults here."""

from __future__ import annotations

from datetime import time, timedelta

# Quiet hours: no nudge between these local times.
QUIET_START_HOUR = 21
QUIET_END_HOUR = 8
MORNING = time(9, 0)  # business-day reminders go out at this local time
CUTOFF = time(12, 0)  # a message sent at or after noon local time starts counting the next business day

# Request messages.
MAX_REQUEST_WORDS = 100
MAX_REQUEST_WORDS_STRICT = 75
LINKEDIN_NOTE_MAX_CHARS = 300

# The 3B7 follow-up clock, in business days.
SECOND_PERSON_DAY = 3
FOLLOW_UP_DAY = 7
CLOSE_AFTER_FOLLOW_UP_DAYS = 7
INTRO_FOLLOW_UP_DAY = 7
DEFAULT_MAX_FOLLOW_UPS = 1
MAX_FOLLOW_UPS = 3

# Replies: a booster answered within this many business days; answer them within the window.
BOOSTER_DAYS = 3
BOOSTER_ANSWER_WITHIN = timedelta(hours=24)

# Meetings and after.
PHONE_MINUTES = 30  # default length of a phone call
VIDEO_MINUTES = 30  # default length of a video call
IN_PERSON_MINUTES = 60  # default length of a meeting in person
MAX_MEETING_AHEAD = timedelta(days=365)  # further ahead than this is questioned
PREP_EVENING = time(18, 0)  # the day-before prep pack goes out at this local time
PREP_RIGHT_AWAY_WITHIN = timedelta(hours=12)  # a meeting closer than this gets its prep pack now
PREP_HOUR_BEFORE = timedelta(minutes=60)  # the last reminder, questions and pitch on one screen
REFLECTION_AFTER = timedelta(minutes=60)  # "how did it go?" this long after the meeting ends
CALENDAR_ALARM_BEFORE = timedelta(minutes=60)  # the .ics file's own alarm
THANK_YOU_WITHIN = timedelta(hours=24)
MINUTES_PER_QUESTION = (3, 4)
REPORT_BACK_AFTER = timedelta(weeks=4)  # after the thank-you: time to act on their advice, then tell them
KEEP_IN_TOUCH_IDEAL = timedelta(weeks=6)
KEEP_IN_TOUCH_MAX = timedelta(days=91)
NOT_NOW_REASK_AFTER = timedelta(weeks=4)  # a "not now" reply gets a gentle re-ask this much later
KEEP_IN_TOUCH_CHOICES = (28, 42, 91)  # per-contact cadences offered on the card, in days

# Nudges.
SNOOZES = {"s1d": timedelta(days=1), "s1w": timedelta(weeks=1)}
MAX_SEND_ATTEMPTS = 5
DIGEST_WEEKDAY = 0  # Monday

# Contacts.
MAX_CONTACTS = 2000
MAX_NOTE_CHARS = 4000
ACTIVE_EMPLOYERS = 5  # rule of thumb: about five target employers active at once
PAGE_SIZE = 8
