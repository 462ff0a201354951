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
MAX_CONTACT_NAME_CHARS = 100  # a contact's name (the size of its column)
MAX_CONTACT_FIELD_CHARS = 200  # a contact's company, role, "via" or address (the size of their columns)
MAX_NOTE_CHARS = 4000
ACTIVE_EMPLOYERS = 5  # rule of thumb: about five target employers active at once
PAGE_SIZE = 8

# Settings (/settings): quiet hours to the minute, the pause on all nudges, and the choices offered.
QUIET_START_MINUTE = QUIET_START_HOUR * 60  # quiet hours are stored as minutes after local midnight
QUIET_END_MINUTE = QUIET_END_HOUR * 60
MIN_WAKING = timedelta(hours=8)  # quiet hours must leave at least this much of the day for reminders
PAUSE_CHOICES = (3, 7, 14)  # days, as buttons; a pause can also be typed ("5 days") or last until resumed
MAX_PAUSE_DAYS = 90
PAUSE_HOLD_RECHECK = timedelta(days=30)  # a pause until resumed holds each reminder this long, then again
RELEASE_RIGHT_AWAY = 3  # held reminders sent at once when a pause ends (a meeting's prep always goes)
RELEASE_PER_MORNING = 3  # the rest: this many each following morning, most urgent first
TOUCH_IDEAL_CHOICES = (28, 42, 56)  # the keep-in-touch ideal in days: 4, 6, 8 weeks
TOUCH_MAX_CHOICES = (61, 91, 182)  # its maximum: 2, 3, 6 months
REPORT_BACK_CHOICES = (14, 28, 42)  # report back this long after the thank-you: 2, 4, 6 weeks
NOT_NOW_CHOICES = (14, 28, 56)  # ask again this long after a "not now": 2, 4, 8 weeks


# Per-user limits (coaching/limits.py) ---------------------------------------------------------------------
# The flood throttle: at most FLOOD_LIMIT updates from one user in any FLOOD_WINDOW_SECONDS. 20 in 5 s is
# 4 a second sustained, above the 2-3 a second of someone tapping through a flow as fast as they can, and
# below "30 in 5 seconds", which is slowed. Over it, updates are dropped and the user told once.
FLOOD_LIMIT = 20
FLOOD_WINDOW_SECONDS = 5.0
FLOOD_TRACKED_USERS = 10_000  # the most users the throttle remembers at once (idle ones are forgotten first)
# Sizes per user, each refused with a message that names the limit.
MAX_EMPLOYERS = 100  # target employers on the list
MAX_EMPLOYERS_AT_ONCE = 10  # lines of employer names in one message
MAX_NAMES_AT_ONCE = 20  # lines of names in one /find message
MAX_OWN_QUESTIONS = 10  # the user's own questions for one meeting
MAX_PLACE_CHARS = 500  # a meeting's place or link
MAX_WHY_THEM_CHARS = 300  # "what made you think of them?", quoted in drafts
