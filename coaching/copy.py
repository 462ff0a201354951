"""What the coach says: message texts in Telegram HTML, reviewed like content.

Placeholders are filled by the handlers with user text escaped first.
"""

from coaching.profile import Step

WELCOME = (
    "👋 <b>Welcome to InfoCoach.</b>\n\n"
    "I help you learn about careers from the people doing them, through short "
    "<i>informational interviews</i>: finding people to ask, writing requests that get answers, "
    "preparing good questions and following up.\n\n"
    "First, a few questions so my advice fits you. Each answer is saved as you give it, and "
    "/cancel stops at any point."
)

PROMPTS = {
    Step.NAME: "What should I call you?\n<i>Example: Maria</i>",
    Step.FIELD: ("Which field or industry are you exploring?\n<i>Example: UX design in healthcare</i>"),
    Step.ROLES: (
        "Which roles are you curious about? A few words is plenty.\n<i>Example: product designer, UX researcher</i>"
    ),
    Step.STAGE: "Where are you in your career right now?",
    Step.TIMEZONE: (
        "Which time zone are you in? I use it to send reminders at sensible hours.\n"
        "Type a city or a zone, or share your location with the button below.\n"
        "<i>Examples: Berlin, America/Chicago, UTC+2</i>"
    ),
    Step.GOAL: (
        "How many informational conversations would you like to have? Pick one, or type your own.\n"
        "<i>Example: 2 a week, or 6 per month</i>"
    ),
    Step.MOTIVATION: (
        'Last piece for your pitch: finish the sentence <i>"I\'d like to learn more because…"</i>\n'
        "<i>Example: I want to see how research shapes real product decisions before I switch from teaching</i>"
    ),
    Step.PITCH: (
        "Here's a short pitch from your answers. It's how you'll introduce yourself in requests "
        "and at the start of each conversation:\n\n<blockquote>{pitch}</blockquote>\n\n"
        "Use it as it is, or send me your own version."
    ),
}

STEP_LABELS = {
    Step.NAME: "Name",
    Step.FIELD: "Field",
    Step.ROLES: "Roles",
    Step.STAGE: "Career stage",
    Step.TIMEZONE: "Time zone",
    Step.GOAL: "Goal",
    Step.MOTIVATION: "Why you're asking",
    Step.PITCH: "Pitch",
}

NAME_FROM_TELEGRAM = "Call me {name}"
KEEP_CURRENT = "Keep: {value}"
SHARE_LOCATION = "📍 Share my location"
USE_PITCH = "✅ Use this pitch"
KEEP_PITCH = "Keep my current pitch"
CURRENT_PITCH = "\n\nYour current pitch:\n<blockquote>{pitch}</blockquote>"

ZONE_SET = "Got it: {zone}."
ZONE_UNKNOWN = (
    "I couldn't match <b>{text}</b> to a time zone. Try a big city near you, a zone such as "
    "<i>Europe/Berlin</i>, or an offset such as <i>UTC+2</i>."
)
ZONE_SUGGEST = "I couldn't match <b>{text}</b> exactly. Did you mean one of these?"
ZONE_NOT_FOUND_AT_LOCATION = "I couldn't find a time zone at that spot. Please type a city or a zone instead."
PICK_A_BUTTON = "Please pick one of the buttons above (or /cancel)."
TEXT_ONLY = "I can only read text for this question. {prompt_hint}"
IN_A_FLOW = "We're in the middle of something: answer the question above, or send /cancel to stop here."
COMMAND_IN_FLOW = (
    "We're in the middle of setting up your profile. Answer the question above, or send /cancel to stop here."
)

REVIEW_COMPLETE = "You're all set up. Here's your profile:\n\n{summary}\n\nWhat would you like to do?"
REVIEW_PARTIAL = "Welcome back! You've answered {done} of {total} setup questions. I kept every answer."
KEEP_PROFILE = "Keep it"
EDIT_DETAIL = "✏️ Edit a detail"
REDO_ALL = "🔁 Go through all questions"
CONTINUE_SETUP = "▶️ Continue where I left off"
WHICH_DETAIL = "Which detail would you like to change?"
PROFILE_KEPT = "Great, your profile stays as it is. /help shows what I can do."

SUMMARY = (
    "<b>Name:</b> {name}\n"
    "<b>Exploring:</b> {field}\n"
    "<b>Roles:</b> {roles}\n"
    "<b>Stage:</b> {stage}\n"
    "<b>Time zone:</b> {timezone}\n"
    "<b>Goal:</b> {goal}\n"
    "<b>Your pitch:</b>\n<blockquote>{pitch}</blockquote>"
)

DONE = (
    "🎉 <b>Your profile is ready.</b>\n\n{summary}\n\n"
    "<b>What to do next</b>\n"
    "1. Send /find: we'll list people whose work in {field} interests you (friends, former "
    "classmates, colleagues, people you've read about) and the employers you'd most like to learn about.\n"
    "2. Note what you have in common with each. A shared school or a mutual friend is the best "
    "way to open a request.\n"
    "3. Keep your pitch at hand: you'll use it in every request.\n\n"
    "/profile shows or changes these answers at any time, and /help lists everything I can do."
)
SAVED_SINGLE = "Saved. Here's your profile now:\n\n{summary}"

CANCELLED_WITH_KEPT = "Stopped. I kept what you told me so far: {kept}.\nSend /start whenever you'd like to carry on."
CANCELLED_NOTHING_KEPT = "Stopped. Nothing was saved yet. Send /start whenever you're ready."
PASTED_DRAFT = "That looks like a draft request. Shall I review it against the method?"
REVIEW_IT = "🔍 Review it"
PROMPT_CANCELLED = "OK, cancelled. Nothing was changed."
NOTHING_TO_CANCEL = "There's nothing to cancel right now. /help shows what I can do."

HELP = (
    "<b>InfoCoach</b> coaches you through informational interviews: short conversations with "
    "people in a field you're curious about, to learn how it really works — never to ask for a job.\n\n"
    "I help you decide whom to talk to, write requests that get answered, prepare your questions, "
    "and follow up at the right moments.\n\n"
    "<b>Commands</b>\n"
    "/start: set up your profile, or review it\n"
    "/profile: show or change your profile\n"
    "/find: a guided brainstorm of people to talk to and employers to target\n"
    "/add: add one contact\n"
    "/contacts: your contacts by stage, with a card for each\n"
    "/employers: your target employers, most wanted first\n"
    "/draft: a request to someone on your list, for any channel\n"
    "/review: check any draft against the method\n"
    "/meeting: schedule a conversation, with a calendar file and reminders\n"
    "/prep: your prep pack for the next conversation\n"
    "/reflect: note what you learned from a conversation; I'll turn it into a plan and a thank-you\n"
    "/insights: what you've learned across all your conversations, and your progress\n"
    "/today: what's due now and soon\n"
    "/settings: time zone, quiet hours, a pause, holidays, the digest day, reminders, keep-in-touch periods\n"
    "/export: all your data as files (JSON, CSV, calendar, contacts)\n"
    "/delete_me: delete everything I keep about you (asks first)\n"
    "/privacy: what I keep, where, and what I never do\n"
    "/help: this message\n"
    "/cancel: stop whatever we're doing (your answers so far are kept)\n\n"
    "Send a CSV file (LinkedIn's Connections.csv works) to import contacts."
)
COMMANDS = (
    ("start", "Set up or review your profile"),
    ("profile", "Show or change your profile"),
    ("find", "Brainstorm people and employers"),
    ("add", "Add a contact"),
    ("contacts", "Your contacts by stage"),
    ("employers", "Your target employers"),
    ("draft", "Draft a request"),
    ("review", "Review a draft"),
    ("meeting", "Schedule a conversation"),
    ("prep", "Your prep pack for the next meeting"),
    ("reflect", "Reflect on a conversation"),
    ("insights", "What you've learned so far"),
    ("today", "What's due now and soon"),
    ("settings", "Time zone, quiet hours, pause, reminders"),
    ("export", "All your data as files"),
    ("delete_me", "Delete all your data"),
    ("privacy", "What is stored, and where"),
    ("help", "What InfoCoach does"),
    ("cancel", "Stop the current step"),
)

UNKNOWN_TEXT_NEW_USER = "Hi! Let's start by setting up your profile: send /start."
UNKNOWN_TEXT = (
    "I'm not sure what to do with that. Here's what I can help with:\n"
    "/find to brainstorm people to talk to, /add to add one, /contacts to see them\n"
    "/profile to see or change your profile\n/help for everything else"
)
UNKNOWN_COMMAND = "I don't know that command. /help lists the ones I understand."
NON_TEXT = "I can only work with text messages for now. /help lists what I can do."
STALE_BUTTON = "That button is no longer active."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Your earlier answers are safe. Please try again, or send /cancel."
)

SETTINGS = (
    "⚙️ <b>Settings</b>\n\n"
    "🌍 <b>Time zone:</b> {zone} (default {zone_default})\n"
    "🌙 <b>Quiet hours (no reminders):</b> {quiet} (default {quiet_default})\n"
    "⏸ <b>Reminders:</b> {pause} (default {pause_default})\n"
    "🎌 <b>Public holidays skipped:</b> {country} (default none)\n"
    "🗓 <b>Weekly digest:</b> {digest_day} mornings (default {digest_default})\n"
    "🔕 <b>Muted reminders:</b> {muted} (default none)\n"
    "✍️ <b>Strict drafting style:</b> {strict} (default {strict_default})\n"
    "🔁 <b>Follow-ups per request:</b> {follow_ups} (default {follow_ups_default})\n"
    "🤝 <b>Keep in touch:</b> {touch} (default {touch_default})\n"
    "📣 <b>Report back:</b> {report_back} after the thank-you (default {report_back_default})\n"
    "🌱 <b>Ask again after a “not now”:</b> {not_now} later (default {not_now_default})"
)
TOUCH_WORDS = "every {ideal}, at most {maximum}"
PAUSE_OFF = "on"
PAUSED = "⏸ paused {until}"
SET_ZONE = "🌍 Time zone"
SET_QUIET = "🌙 Quiet hours"
SET_PAUSE = "⏸ Pause reminders"
SET_RESUME = "▶️ Resume reminders"
SET_COUNTRY = "🎌 Public holidays"
SET_DIGEST = "🗓 Digest day"
SET_STRICT = "✍️ Strict style on/off"
SET_FOLLOW_UPS = "🔁 Follow-ups"
SET_TOUCH = "🤝 Keep in touch"
SET_REPORT_BACK = "📣 Report back"
SET_NOT_NOW = "🌱 Ask again"
ASK_FOLLOW_UPS = (
    "How many polite follow-ups should I suggest after a request goes unanswered? One is usually "
    "right; more than that starts to feel like pressure."
)
SET_UNMUTE = "🔔 Turn muted reminders back on"
SET_CLOSE = "Done"
BACK = "« Back"
NO_HOLIDAYS = "Don't skip holidays"
ASK_ZONE = (
    "Which time zone are you in now? Type a city, a zone or an offset, or share your location (📎 → Location).\n"
    "<i>Examples: New York, Europe/Berlin, UTC+5:30</i>\n\n"
    "Your reminders keep their local time: a 09:00 reminder stays at 09:00 where you are. "
    "Meetings stay at the moment you agreed with the other person."
)
ZONE_SAVED = "✅ Saved. Reminders now follow {zone}."
ASK_QUIET = (
    "When should I stay quiet? Pick one, or type two times in your local time.\n"
    "<i>Examples: 22:30-6:45, 10pm-7am, or 22-7 (from 22:00 to 07:00)</i>"
)
QUIET_UNREADABLE = (
    "Please send two times, from when to when, like <i>22:30-6:45</i>, <i>10pm-7am</i> or <i>22-7</i> "
    "(from 22:00 to 07:00). Or pick a button."
)
QUIET_NO_SUCH_TIME = (
    "<b>{text}</b> isn't a time on the clock: hours go from 0 to 23 (or 1 to 12 with am or pm), minutes "
    "from 00 to 59. For example: <i>22:30-6:45</i>."
)
QUIET_SAME = "That starts and ends at the same time. Pick two different times, for example <i>22-7</i>."
QUIET_TOO_LONG = (
    "That leaves fewer than 8 hours a day for reminders (only {awake}), and I need at least 8 to be useful. "
    "Try something like <i>22-7</i>.{hint}"
)
QUIET_DID_YOU_MEAN = " Did you mean {quiet}? Then send <i>{typed}</i>."
QUIET_MOVED = "{count} reminder{s} moved out of your new quiet hours."
HOLIDAYS_MOVED = "{count} reminder{s} moved off those public holidays."
ZONE_MOVED = "{count} reminder{s} moved to the same local time."
ASK_PAUSE = (
    "Need a break? While reminders are paused I send none at all. When they resume, I drop the ones that "
    "no longer apply and send the rest calmly: at most {right_away} at once, the others over the next "
    "mornings.\n\nFor how long? Pick one, or type a number of days.\n<i>Example: 5 days</i>"
)
PAUSE_UNTIL_RESUMED = "Until I resume"
PAUSE_UNREADABLE = "Please send a number of days, like <i>5 days</i> or <i>2 weeks</i>, or pick a button."
PAUSE_OUT_OF_RANGE = (
    "I can pause for 1 to {most} days. For longer, pick <b>Until I resume</b> and come back with /settings."
)
PAUSED_NOTE = (
    "⏸ Reminders are paused {until}. /today still shows what's due, and meetings' calendar files keep their own alarms."
)
PAUSED_UNTIL_WHEN = "until {when}"
PAUSED_FOREVER = "until you resume them"
RESUMED = "▶️ Reminders are back on."
RESUMED_NOTHING = "Nothing fell due while they were paused."
RESUMED_SENT = "{now} of the reminders that fell due meanwhile arrive{s} now"
RESUMED_LATER = "{later} more over the next mornings"
RESUMED_DROPPED = "{dropped} no longer applied and {verb} dropped"
ASK_TOUCH = (
    "How often should I remind you to keep in touch with people you've met? The ideal comes first; if you "
    "let it pass, one more reminder at the maximum. People with their own period (on their card) keep it."
)
TOUCH_IDEAL_ROW = "Every {period}"
TOUCH_MAX_ROW = "At most {period}"
CADENCE_MAX_BELOW_IDEAL = (
    "The maximum ({maximum}) can't be shorter than the ideal ({ideal}). Pick a longer maximum or a shorter ideal."
)
ASK_REPORT_BACK = (
    "How long after the thank-you should I remind you to report back: to tell them what you did with their advice?"
)
ASK_NOT_NOW = "When someone says “not now”, how long should I wait before suggesting a gentle check-in?"
ASK_COUNTRY = (
    "Which country's public holidays should reminders skip? Type its name or two-letter code.\n"
    "<i>Example: Germany, or DE</i>"
)
ASK_DIGEST_DAY = "On which morning would you like your weekly digest?"
SAVED = "✅ Saved."
UNMUTED = "🔔 Those reminders are back on."
SETTINGS_SAVED_CLOSED = "✅ Settings saved. /settings opens them again."
SETTINGS_CANCELLED = "Closed the settings. Everything you changed is saved."
