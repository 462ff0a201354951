"""What the coach says about contacts, employers, the brainstorm and imports (Telegram HTML)."""

from __future__ import annotations

from dataclasses import dataclass

CARD = "👤 <b>{name}</b>\n{details}"
READ_FULL_NOTES = "📖 Read the full notes"
NOTES_ALL_SHOWN = "The card already shows every note in full."
NO_CONTACTS = (
    "📇 <b>Your contacts</b>\n\nNo one here yet. /find walks you through where to look, "
    "/add adds one person, and you can send me a CSV file (LinkedIn's Connections.csv works)."
)
PIPELINE = (
    "📇 <b>Your contacts</b> ({total})\n\n{stages}\n\n{filter}Page {page} of {pages}. Tap a person to open their card."
)
NOTHING_IN_FILTER = "📇 <b>Your contacts</b>\n\nNo one matches this filter."
NOT_FOUND = "I couldn't find that contact."
LIMIT_REACHED = (
    "You've reached {limit} contacts, the most I can keep. To add more, delete a few you won't need "
    "(archived ones count too)."
)

ASK_NAME = "Who would you like to add? Send their full name.\n<i>Example: Ana Lee</i>"
ASK_COMPANY = "Where do they work?\n<i>Example: Acme Health</i>"
ASK_ROLE = "What's their role?\n<i>Example: Senior UX researcher</i>"
ASK_HOW = "How do you know them?"
ASK_VIA = "Who do you both know, or who could introduce you?\n<i>Example: my former manager Tom</i>"
ASK_CHANNEL = "What's the best way to reach them?"
ASK_HANDLE = "Their {channel} address or handle, if you have it.\n<i>Example: {example}</i>"
HANDLE_EXAMPLES = {
    "email": "ana.lee@example.com",
    "linkedin": "linkedin.com/in/ana-lee",
    "phone": "+49 30 1234567",
    "in_person": "the Thursday design meetup",
}
SKIP = "Skip ›"
DUPLICATE = "⚠️ You already have <b>{name}</b> at {company} in your list. Is this someone else?"
KEEP_BOTH = "Yes, keep both"
DISCARD_NEW = "No, drop this one"
DISCARDED = "Dropped. Here's the contact you already had:"
ADD_CANCELLED = "Stopped. {kept}"
ADD_KEPT = "I kept {name} with what you'd told me so far."
ADD_NOTHING = "Nothing was added."

ASK_NOTE = {
    "company_notes": "What have you learned about their company? Products, news, culture, anything worth a question.",
    "person_notes": "What have you learned about them? Their path, posts, talks, what you have in common.",
    "offer": "What could you offer them in return? An introduction, an article they'd like, a few hours of help.",
    "why_them": (
        "What about their work made you think of them? Finish the sentence "
        '<i>"I\'m getting in touch because of …"</i> Example: <i>your talk on accessible maps at CHI</i>'
    ),
}
ASK_FIELD = {
    "name": ASK_NAME,
    "company": ASK_COMPANY,
    "role": ASK_ROLE,
    "via": ASK_VIA,
}
EDIT_WHICH = "What would you like to change?"
MOVE_WHERE = "Move {name} to which stage? (Now: {stage})"
CONFIRM_DELETE = "Delete <b>{name}</b> and everything noted about them? This can't be undone."
DELETED = "🗑 Deleted {name}."
SAVED = "✅ Saved."
EDIT_CANCELLED = "Stopped. Nothing else was changed."

FIND_INTRO = (
    "🔎 <b>Let's find people to talk to.</b>\n\n"
    "Most informational interviews come from people you already know, or people they know. "
    "I'll go through the usual places one at a time. For each, type any names that come to mind, "
    "one per line, with their company if you know it (<i>Ana Lee, Acme</i>), or tap Next."
)
FIND_NO_NAMES = "I didn't find a name in that. Type names, one per line (<i>Ana Lee, Acme</i>), or tap Next."
FIND_ADDED = "Added {count}: {names}."
FIND_ALREADY_THERE = "Already on your list, so not added again: {names}."
FIND_NEXT = "Next ›"
FIND_TO_EMPLOYERS = "On to employers ›"
FIND_FINISH = "Finish"
ASK_EMPLOYERS = (
    "🏢 <b>Target employers.</b> Which organisations would you most like to learn about? "
    "One per line, up to ten.\n<i>Example:\nAcme Health\nCity Hospital</i>\n\n"
    "Tip: calling a company's main office or HR and asking who you could speak to about a role "
    "is a perfectly good way in."
)
ASK_MOTIVATION = "How much would you like to work at <b>{name}</b>? 1 = curious, 5 = dream employer."
ASK_KNOWS = "Do you know anyone at <b>{name}</b>, even loosely?"
YES, NO = "Yes", "No"
EMPLOYERS_TITLE = "🏢 <b>Your employers</b>, most wanted first. Keep about {active} active at once:"
NO_EMPLOYERS = "No employers on your list yet. /find helps you build one."
FIND_SUMMARY = (
    "🎯 <b>Your list so far:</b> {contacts} and {employers}.\n\n"
    "Next: open a contact in /contacts, add what you know about them and their company, and note "
    "something you could offer in return."
)
FIND_CANCELLED = "Stopped. Everyone you added is kept: /contacts shows them."

IMPORT_SUMMARY = "📥 <b>Import finished.</b> Added {added}. Skipped {skipped}.{reasons}"
IMPORT_SHORTENED = (
    "\n\n✂️ Shortened to {limit} characters, the most a contact's company, role or address holds: {rows}. "
    "Their cards show what was kept; edit them there if anything important was cut."
)
IMPORT_BAD_TYPE = "Please send a .csv file (for example LinkedIn's Connections.csv)."
IMPORT_TOO_BIG = "That file is {size} MB; I can import files up to {limit} MB."
IMPORT_FAILED = "I couldn't import that file: {reason} Nothing was added."


@dataclass(frozen=True)
class BrainstormStep:
    key: str
    title: str
    question: str  # "{field}" and "{roles}" are filled in
    examples: str


BRAINSTORM = (
    BrainstormStep(
        "family",
        "Friends and family",
        "Who among your friends and family works in {field}, or knows someone who does?",
        "an aunt in a hospital, a friend's partner who is a designer",
    ),
    BrainstormStep(
        "alumni",
        "Classmates and alumni",
        "Who from your school, university or courses now works in {field}?",
        "an old lab partner, someone from your alumni group",
    ),
    BrainstormStep(
        "colleagues",
        "Former colleagues",
        "Which former colleagues, managers or clients have moved into {field} or work with it?",
        "a manager from your first job, a client you got on well with",
    ),
    BrainstormStep(
        "inspiring",
        "People who inspire you",
        "Whose work in {field} do you admire? Authors, speakers, people whose projects you follow.",
        "the speaker from that conference talk, an author of a blog you read",
    ),
    BrainstormStep(
        "linkedin",
        "LinkedIn",
        'Search LinkedIn for "{roles}" together with your school or city. Who comes up?',
        "people two steps away from you: they share a contact who can introduce you",
    ),
    BrainstormStep(
        "events",
        "Events and communities",
        "Which meetups, associations or online communities around {field} could you join? Anyone you met there?",
        "a local meetup organiser, a member of a professional association",
    ),
)


def count_of(number: int, noun: str) -> str:
    """ "1 contact", "3 contacts"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


OUT_OF_DATE = "That button was from an earlier view of this contact, so nothing changed. Here they are now."
MOVE_NOT_ALLOWED = "That move isn't possible from the stage they're at now; nothing changed."


# Size limits, each named in its message (the numbers are in coaching/defaults.py).
TOO_MANY_NAMES = (
    "That's {count} names in one message; I take up to {most} at a time. "
    "Send them in a few messages, and none will be lost."
)
TOO_MANY_EMPLOYERS = (
    "That's {count} employers in one message; I take up to {most} at a time. "
    "Send the ones you care about most first, then the rest."
)
EMPLOYERS_FULL = (
    "Your list has {most} employers, the most I keep, so these weren't added: {names}. "
    "A short list works better anyway: about five active at once."
)
