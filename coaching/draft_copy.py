"""What the coach says around drafts, reviews, the follow-up clock and replies (Telegram HTML)."""

from coaching.defaults import BOOSTER_ANSWER_WITHIN, BOOSTER_DAYS, FOLLOW_UP_DAY, SECOND_PERSON_DAY

BOOSTER_ANSWER_HOURS = int(BOOSTER_ANSWER_WITHIN.total_seconds() // 3600)

CHOOSE_CONTACT = "✉️ Who is this request for?"
NO_CONTACTS_TO_ASK = "There's no one to write to yet. /find or /add puts people on your list first."
CHOOSE_KIND = "✉️ A request to <b>{name}</b>. Which channel?"
DRAFT_INTRO = "Here's your draft: {kind}. Copy it, adjust anything you like, and tap <b>I sent it</b> once it's gone."
REVIEW_TITLE = "🔍 <b>Review</b> ({passed} of {total} checks pass)"
REVIEW_ALL_GOOD = "Everything checks out. Send it!"
ASK_OWN_TEXT = "Send me your version of the draft and I'll review it. /cancel keeps the one above."
ASK_PASTE = "Paste the draft you'd like me to review (an email, a LinkedIn note, anything)."
SENT_REQUEST = (
    "📤 Sent to <b>{name}</b>. The follow-up clock is running, in business days:\n"
    f"• day {SECOND_PERSON_DAY} ({{day3}}): a nudge to reach a second person at the same place;\n"
    f"• day {FOLLOW_UP_DAY} ({{day7}}): one polite follow-up, if they haven't replied.\n"
    "Tap <b>They replied</b> on their card when they do."
)
SENT_REQUEST_NO_FOLLOW_UPS = (
    "📤 Sent to <b>{name}</b>. You've set follow-ups to none, so on {day7} I'll close them as "
    '"no response" if they haven\'t replied. Tap <b>They replied</b> on their card when they do.'
)
SENT_FOLLOW_UP = "📤 Follow-up sent to <b>{name}</b>. If there's still no reply, I'll suggest moving on around {due}."
SENT_FOLLOW_UP_MORE = (
    "📤 Follow-up sent to <b>{name}</b>. If there's still no reply, I'll nudge you again around {due}."
)
NO_MORE_FOLLOW_UPS = (
    "You've already followed up with <b>{name}</b> as many times as your settings allow. "
    "Silence is normal; it's time to move on to the next person. A gentle closing note is below if you want one."
)
ASK_REPLY = "💬 How did <b>{name}</b> reply?"
REPLY_BUTTONS = (
    ("✅ Yes, let's talk", "yes"),
    ("⏳ Not now", "not_now"),
    ("❌ No", "no"),
    ("👉 Referred me to someone", "referred"),
)
REPLY_YES = (
    f"🎉 Wonderful! {{booster}}Reply within {BOOSTER_ANSWER_HOURS} hours, thank them, and agree on a time. "
    "I've stopped the follow-up reminders for {name}."
)
BOOSTER = f"They answered within {BOOSTER_DAYS} business days, so they go first in /today. "
REPLY_NOT_NOW = "That's a kind answer. I've moved {name} to Keeping in touch and stopped the reminders."
REPLY_NO = "Thanks for logging it. I've closed {name} and stopped the reminders. On to the next person!"
ASK_REFERRAL = "Who did {name} refer you to? Send their name, and their company if you know it.\n<i>Example: Sam Ortiz, City Hospital</i>"
REFERRAL_ADDED = (
    "👉 Added <b>{new}</b>, referred by {name}. Mention {name} first when you write: it's the best opening there is."
)
SECOND_PERSON_PICK = "👥 Others you have at {company}:"
SECOND_PERSON_NONE = "You have no one else at {company} yet. /add someone there, or /find to brainstorm."
HISTORY = "<b>Requests sent:</b>"
CANCELLED = "Stopped. Your drafts are kept on the contact's card."
TODAY_REPLY = "💬 Reply to {name} (they answered{booster})"
TODAY_READY = "✉️ Ask {name} for a conversation"
NEEDS_PROFILE = "Drafts are written from your profile, so let's set that up first: send /start (it takes two minutes)."
# Why a button no longer does anything (coaching.outreach.Refusal values), said kindly; nothing changed.
REFUSALS = {
    "already_sent": "You've already marked this draft as sent. Nothing changed.",
    "already_asked": "You've already written to <b>{name}</b>, and the follow-up clock is running. Nothing changed.",
    "already_replied": "<b>{name}</b> has already replied (it's logged on their card). Nothing changed.",
    "not_waiting": "You're not waiting for a reply from <b>{name}</b> right now. Nothing changed.",
    "no_more_follow_ups": (
        "You've already followed up with <b>{name}</b> as many times as your settings allow. "
        "Silence is normal; it's time to move on to the next person."
    ),
    "archived": "<b>{name}</b> is archived. Unarchive them on their card first.",
    "past_that": "<b>{name}</b> is past that step already (see their card). Nothing changed.",
}
CHOOSE_CONTACT_PAGE = "✉️ Who is this request for? (page {page} of {pages})"
SENT_INTRO = (
    '📤 Intro request sent. I\'ve marked <b>{name}</b> as "intro requested"; if nothing has happened by '
    "{due}, I'll remind you to check in kindly with your mutual contact."
)
CANT_SHORTEN = "That's as short as I can make it without dropping your connection, the ask or the thanks."
NO_OTHER_VERSION = "I've no other phrasing for this one. ✏️ Edit lets you write your own."
PRESSED_ALREADY = "Done already: it's just below."  # a second press of the same draft button (a double tap)
ASK_WHY_THEM = (
    "💡 One question that makes the biggest difference: what about <b>{name}</b>'s work made you think of them?\n"
    'Finish the sentence <i>"I\'m getting in touch because of …"</i>\n'
    "<i>Example: your talk on accessible maps at CHI</i>\n\n"
    "I'll keep it on their card for next time."
)
SKIP = "Skip"
YES_DRAFT_INTRO = "Here's a short answer you could send, with a few concrete times:"
THEN_SCHEDULE = "Once you've agreed on a time, book it here: a calendar file and reminders follow."


# Size limits, each named in its message.
DRAFT_TOO_LONG = (
    "That's {length:,} characters; I review drafts up to {limit:,}, and a request reads best at about "
    "100 words. Send a shorter version, please."
)
PASTED_TOO_LONG = (
    "That draft is longer than {limit:,} characters, more than I review at once; a request reads best at "
    "about 100 words. Send /review and paste a shorter version."
)
ONE_REFERRAL = (
    "One person at a time here, please: send the first, and /add the others afterwards.\n"
    "<i>Example: Sam Ortiz, City Hospital</i>"
)
WHY_THEM_TOO_LONG = (
    "That's {length:,} characters; I keep this to {limit} so it fits in every draft, a LinkedIn note "
    "included. The one thing that made you think of them is plenty."
)

OWN_TEXT_EMPTY = "I couldn't find any words in that. Paste or type your version of the message, or /cancel."
