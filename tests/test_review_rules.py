"""The draft review, rule by rule: development examples in varied wordings, passing and failing.

Each example swaps one part of a sound request (the opening, the ask, the thanks, ...) and checks only the
rule under test. The evaluation corpus lives elsewhere (tests/review_corpus.py); these are the examples
the rules were written against.
"""

from __future__ import annotations

import pytest

from coaching.enums import DraftKind
from coaching.review import Check, passed, review, sentences, word_count

OPENING = "Tom Berg suggested I get in touch with you."
ABOUT = "I'd love to hear how you moved from bedside nursing into health policy."
ASK = "Would you be open to a 20-minute call in the next few weeks?"
FLEX = "Any time that suits you works for me, even outside working hours."
THANKS = "Thank you for considering it."


def note(
    opening: str = OPENING,
    about: str = ABOUT,
    ask: str = ASK,
    flex: str = FLEX,
    thanks: str = THANKS,
    extra: str = "",
) -> str:
    middle = " ".join(part for part in (opening, about, extra) if part)
    closing = " ".join(part for part in (ask, flex) if part)
    return f"Hi Maya,\n\n{middle}\n\n{closing}\n\n{thanks}\nAna"


def check(text: str, key: str, kind: DraftKind | None = None, strict: bool = False) -> Check:
    found = [c for c in review(text, kind, strict=strict) if c.key == key]
    assert len(found) == 1, f"exactly one {key} check"
    return found[0]


def test_the_sound_note_passes_everything() -> None:
    checks = review(note(), DraftKind.EMAIL)
    assert passed(checks), [c for c in checks if not c.ok]
    assert [c.key for c in checks] == [
        "length",
        "connection",
        "no_job",
        "question",
        "time",
        "thanks",
        "flexible",
        "about_them",
        "placeholders",
    ]
    assert [c.key for c in review(note(), DraftKind.LINKEDIN_NOTE)][-1] == "linkedin_limit"


# Sentences -----------------------------------------------------------------------------------------------------


def test_sentences_respect_abbreviations_lines_and_bullets() -> None:
    text = (
        "Dear Dr. Chen,\n\nProf. J. Smith at St. Mary's suggested I write, e.g. about triage.\n"
        "I'd love to hear:\n- how you started\n- what a typical day looks like\n\nThanks!\nAna"
    )
    assert sentences(text) == [
        "Dear Dr. Chen,",
        "Prof. J. Smith at St. Mary's suggested I write, e.g. about triage.",
        "I'd love to hear:",
        "how you started",
        "what a typical day looks like",
        "Thanks!",
        "Ana",
    ]


def test_hard_wrapped_lines_are_joined_back() -> None:
    text = "Hi Maya,\nOur mutual friend Lea thought you would be a great\nperson to ask about policy work."
    assert sentences(text)[1] == "Our mutual friend Lea thought you would be a great person to ask about policy work."


# Length --------------------------------------------------------------------------------------------------------


def test_word_count_counts_runs_of_letters_digits_apostrophes_hyphens() -> None:
    assert word_count("I’d love a 20-minute call — at 3 p.m.?") == 9  # "p.m." is two runs
    assert word_count("--- … !!") == 0


@pytest.mark.parametrize(
    ("extra", "strict", "ok"),
    [
        ("", False, True),
        ("", True, True),
        ("Really " * 40, False, True),  # about 89 words
        ("Really " * 10, True, True),
        ("Really " * 60, False, False),
        ("Really " * 30, True, False),
        ("Really " * 49, True, False),
        ("word " * 5000, False, False),
    ],
)
def test_length(extra: str, strict: bool, ok: bool) -> None:
    result = check(note(extra=extra.strip()), "length", strict=strict)
    assert result.ok is ok
    if not ok:
        assert "Cut about" in result.fix and "“" in result.fix


def test_length_ignores_the_subject_line() -> None:
    body = note(extra="Really " * 34)
    assert check(body, "length", strict=True).ok is False or word_count(body) <= 75
    padded = "Subject: " + "very " * 40 + "long subject\n\n" + note()
    assert check(padded, "length", strict=True).ok


# Connection ----------------------------------------------------------------------------------------------------

CONNECTED_OPENINGS = [
    OPENING,
    "Tom Berg gave me your name and said I should ask you about policy work.",
    "My professor, Dr. Okafor, pointed me to you.",
    "Lea Fischer suggested reaching out to you.",
    "I was referred to you by Sam Ortiz in the analytics team.",
    "Our mutual friend Jonas thought you would be a good person to ask.",
    "We were in the same nursing cohort at Charité, though I doubt you remember me.",
    "Both of us rowed for Trinity, a few years apart.",
    "We overlapped at Deloitte for a few months in 2019.",
    "As a fellow Warwick graduate, I found you through the alumni network.",
    "We met at the product meetup in Leeds last spring.",
    "It was great meeting you at the career fair last week.",
    "I'm your cousin Lena's partner; she said you wouldn't mind a message.",
    "My neighbour Ruth works with you at the council and speaks highly of you.",
    "Your keynote at NursingTech on triage has stayed with me.",
    "I listened to your episode of the Policy Lab podcast twice.",
    "I read your paper on sepsis screening with great interest.",
    "I loved your post on moving from teaching into UX research.",
    "It's been a while since we worked together at the library!",
]
UNCONNECTED_OPENINGS = [
    "I'm reaching out because I'm interested in finance.",
    "I'm a third-year nursing student at Charité.",
    "My name is Ana and I'm exploring a move into health policy.",
    "I am writing to ask for your advice about a career in law.",
    "Would you be open to a 20-minute call about your work?",
    "I hope this finds you well. I'm interested in consulting.",
    "Finance has fascinated me since I was a child.",
    "I admire your company and everything it stands for.",
]


@pytest.mark.parametrize("opening", CONNECTED_OPENINGS)
def test_connection_recognised_by_meaning(opening: str) -> None:
    assert check(note(opening=opening), "connection").ok, opening


@pytest.mark.parametrize("opening", UNCONNECTED_OPENINGS)
def test_generic_openings_are_not_a_connection(opening: str) -> None:
    result = check(note(opening=opening), "connection")
    assert not result.ok, opening
    assert "“" in result.fix


def test_the_quoted_fix_for_a_generic_opening() -> None:
    result = check(note(opening="I'm reaching out because I love finance."), "connection")
    assert result.fix.startswith("Your opening “I'm reaching out because I love finance.” doesn't say what links you")


def test_pleasantries_and_a_bare_name_may_come_before_the_connection() -> None:
    assert check(note(opening="I hope you're well. My name is Ana Lopez. " + OPENING), "connection").ok
    assert check("Hi Maya, this is Ana Lopez. We met at the NHS hackathon. Could we talk?", "connection").ok


def test_a_connection_at_the_end_is_too_late() -> None:
    text = note(opening="I'm a nursing student exploring policy.", thanks="Thanks! PS: Tom Berg suggested I write.")
    result = check(text, "connection")
    assert not result.ok and "too late" in result.fix and "Tom Berg suggested I write" in result.fix


def test_the_connection_in_the_greeting_sentence_counts() -> None:
    assert check("Hi Maya, Tom suggested I write to you. " + ASK + " " + FLEX + " Thanks!", "connection").ok
    assert check("Dear Dr. Chen, both of us trained at St. Thomas'. " + ASK, "connection").ok


@pytest.mark.parametrize(
    "script",
    [
        "Hello, is this Ms. Varga? Good morning. My old flatmate Priya said you'd be the right person to ask.",
        "Hi, Mr. Osei? This is Tom Reed, your intern at the Leeds office back in 2018.",
        "Good afternoon, Dr. Lund. It's Kim Hale, a friend of your daughter Ella from university.",
        "Hi Jo, it's Sam, we sang in the same choir for two seasons!",
    ],
)
def test_phone_openers_before_the_connection(script: str) -> None:
    assert check(script + " " + ABOUT + " " + ASK + " " + FLEX + " Thanks!", "connection", DraftKind.PHONE).ok


MORE_CONNECTED = [
    "You taught my data ethics seminar at Leeds in 2020.",
    "Since you know us both, could I ask a favour?",
    "The Lisbon team's redesign of the booking flow is why I'm getting in touch.",
    "I'm writing at Lea Fischer's suggestion.",
    "Jo at the climbing wall mentioned you're a structural engineer.",
    "I caught your panel at the Web Summit and took pages of notes.",
    "Your thread on hospital procurement was passed around my whole team.",
    "Our kids are in the same class at Riverside Primary.",
    "Last spring we chatted briefly at the PyData meetup.",
    "The community garden you set up on Elm Street is why I started volunteering.",
    "I've read about the literacy programme you founded in Accra.",
]
MORE_GENERIC = [
    "I am passionate about renewable energy and eager to learn.",
    "Lea's advice on portfolios is all over the internet.",  # a name's advice is not a referral
    "You know everyone in this field, so I thought I'd try.",
    "Renewable energy is the future, and I want to be part of it.",
    "Your company is a leader in the field.",
    "As a long-time admirer of your organisation, I wanted to reach out.",
    "I found you on LinkedIn.",
]


@pytest.mark.parametrize("opening", MORE_CONNECTED)
def test_more_connections(opening: str) -> None:
    assert check(note(opening=opening), "connection").ok, opening


@pytest.mark.parametrize("opening", MORE_GENERIC)
def test_more_generic_openings(opening: str) -> None:
    assert not check(note(opening=opening), "connection").ok, opening


# No job --------------------------------------------------------------------------------------------------------

JOB_ASKS = [
    ("I'm looking for a job in policy.", "job"),
    ("Are there any openings on your team?", "openings"),
    ("I saw a vacancy at the ministry.", "vacancy"),
    ("Do you know of any positions that might suit me?", "positions"),
    ("Are any roles opening up on your team?", "roles opening up"),
    ("I'd be glad to hear about any opportunities at your company.", "opportunities at your"),
    ("I'm hoping to land an internship at a firm like yours.", "internship"),
    ("I'd love a placement with your team next summer.", "placement"),
    ("Is your team hiring this year?", "hiring"),
    ("I plan to apply for the graduate scheme.", "apply for"),
    ("My application is still pending.", "application"),
    ("I've attached my CV.", "CV"),
    ("My résumé is below.", "résumé"),
    ("A referral would mean the world.", "referral"),
    ("Could you put in a good word for me?", "put in a good word"),
    ("Please keep me in mind.", "keep me in mind"),
    ("Let me know if anything comes up.", "if anything comes up"),
    ("Feel free to pass my name along to your manager.", "pass my name along"),
    ("I just need a foot in the door.", "foot in the door"),
    ("I'm seeking employment in the sector.", "employment"),
    ("I'd love to join your team one day.", "join your team"),
]
CURIOSITY = [
    "What does a typical day as a charge nurse look like?",
    "How did you move into a product role?",
    "I'd love to hear what your job involves day to day.",
    "What do you enjoy most about your role at the council?",
    "I'm curious how the opening keynote came together.",
    "If you're in a position to share, what surprised you most about policy work?",
    "I'd apply your advice straight away.",
    "What skills made the biggest difference in your career?",
]


@pytest.mark.parametrize(("sentence", "phrase"), JOB_ASKS)
def test_job_asks_in_any_wording(sentence: str, phrase: str) -> None:
    result = check(note(extra=sentence), "no_job")
    assert not result.ok, sentence
    assert phrase.lower() in result.label.lower(), result.label
    assert sentence in result.fix


@pytest.mark.parametrize("sentence", CURIOSITY)
def test_curiosity_about_a_role_is_not_a_job_ask(sentence: str) -> None:
    assert check(note(extra=sentence), "no_job").ok, sentence


MORE_JOB_ASKS = [
    "If a spot on your team ever frees up, I'd be keen.",
    "I'm job hunting at the moment.",
    "Would your lab have room for a research assistant this summer?",
    "Could you forward my details to your HR team?",
    "Is the clinic taking on newly qualified nurses?",
    "I'd love to intern with you next year.",
    "I'm available to start immediately.",
    "I'm on the lookout for my next role.",
    "Please consider me for future roles.",
    "I hope you'll think of me when your team grows.",
    "I'm between contracts, so any leads would help.",
    "Do you know if your firm is looking for anyone this autumn?",
]
MORE_CURIOSITY = [
    "How did you grow the team from three to twenty?",
    "What do new hires find hardest in their first month?",
    "How did you take on your first apprentices?",
    "I'm looking forward to hearing from you.",
    "How did your role change after the merger?",
    "How do you apply machine learning to triage?",
    "What opportunities for growth did you find early on?",
    "The barn you built on the Hollis job is stunning.",
    "Your profile stood out when I was looking for people doing this work.",
    "Any blog posts you'd recommend would be welcome too.",
]


@pytest.mark.parametrize("sentence", MORE_JOB_ASKS)
def test_more_job_asks(sentence: str) -> None:
    assert not check(note(extra=sentence), "no_job").ok, sentence


@pytest.mark.parametrize("sentence", MORE_CURIOSITY)
def test_more_curiosity(sentence: str) -> None:
    assert check(note(extra=sentence), "no_job").ok, sentence


# Question ------------------------------------------------------------------------------------------------------

QUESTION_ASKS = [
    ASK,
    "Could you spare 15 minutes for a phone call sometime soon?",
    "Might you have time for a quick coffee near your office?",
    "Would it be possible to chat for twenty minutes next week?",
    "I was wondering, would you have half an hour for a video call?",
    "Are you open to a 20-minute chat?",
]
STATEMENT_ASKS = [
    "Let's have a 20-minute call in the next few weeks.",
    "I'd love to have a 20-minute call with you.",
    "Please let me know when you could spare 20 minutes for a call.",
    "I was hoping we could talk for 15 minutes next week.",
    "I would appreciate 20 minutes of your time on the phone.",
]


@pytest.mark.parametrize("ask", QUESTION_ASKS)
def test_the_ask_as_a_question(ask: str) -> None:
    assert check(note(ask=ask), "question").ok, ask


@pytest.mark.parametrize("ask", STATEMENT_ASKS)
def test_the_ask_as_a_statement_fails(ask: str) -> None:
    result = check(note(ask=ask), "question")
    assert not result.ok, ask
    assert ask in result.fix


def test_no_ask_at_all() -> None:
    result = check(note(ask="", flex=""), "question")
    assert not result.ok and "Would you be open" in result.fix


def test_a_question_elsewhere_does_not_rescue_a_statement_ask() -> None:
    text = note(about="How did you move into policy?", ask="I'd love a 20-minute call with you.")
    assert not check(text, "question").ok


# Time ----------------------------------------------------------------------------------------------------------

MODEST = [
    ASK,
    "Could you spare 15 minutes for a phone call?",
    "Would you have fifteen minutes for a video call?",
    "Could we talk for a quarter of an hour by phone?",
    "Would you have half an hour for a call?",
    "Might you have 10–15 minutes for a quick call?",
    "Could I buy you a coffee near your office?",
    "Would you have an hour over coffee one morning?",
    "Could we meet for a coffee?",
    "Would you be open to a 20-minute coffee chat?",
]
IMMODEST = [
    ("Would you have 45 minutes for a call?", "45 minutes"),
    ("Could we spend an hour on the phone?", "an hour"),
    ("Would you have an afternoon free to show me around?", "an afternoon"),
    ("Could you spare a couple of hours for a video call?", "a couple of hours"),
    ("Could I spend a day shadowing you?", "a day"),
    ("Would you be open to a 90-minute call?", "90-minute"),
    ("Would you have a bit of your time for a call?", "a bit of your time"),
    ("Would you be open to a call in the next few weeks?", ""),
    ("Could we grab a quick call sometime?", "a quick call"),
    ("Would you have 5 minutes for a call?", "5 minutes"),
]


@pytest.mark.parametrize("ask", MODEST)
def test_a_modest_amount_of_time(ask: str) -> None:
    assert check(note(ask=ask), "time").ok, ask


@pytest.mark.parametrize(("ask", "phrase"), IMMODEST)
def test_too_much_too_little_vague_or_no_time(ask: str, phrase: str) -> None:
    result = check(note(ask=ask), "time")
    assert not result.ok, ask
    assert phrase in result.label + result.fix


@pytest.mark.parametrize(
    ("ask", "ok"),
    [
        ("Could we talk for 25 minutes next week?", True),
        ("Might we have tea near your office, for no more than an hour?", True),
        ("Would you be open to a half-hour call?", True),
        ("Could we do a two-hour workshop together?", False),
        ("Could I spend a morning with your team?", False),
        ("Would you have an hour and a half for coffee?", False),
        ("Could I ride along with your crew for a weekend?", False),
        ("Could we meet every few weeks over the coming months?", False),
    ],
)
def test_more_time_asks(ask: str, ok: bool) -> None:
    assert check(note(ask=ask), "time").ok is ok, ask


def test_days_that_are_not_an_amount() -> None:
    assert check(note(about="How do you organise a day with two languages?"), "time").ok
    assert check(note(flex="I'll call back whenever suits you, even a weekend."), "time").ok


def test_time_mentioned_outside_the_ask_is_not_the_ask() -> None:
    text = note(about="I spent 45 minutes on your report, and I'd love to hear how you wrote it.")
    assert check(text, "time").ok
    assert check(note(flex="Any time that suits you; I can do an hour before work too."), "time").ok is False


# Thanks --------------------------------------------------------------------------------------------------------

THANKFUL = [
    THANKS,
    "Thanks so much!",
    "I'm grateful for any time you can give.",
    "I'd really appreciate it.",
    "Much obliged,",
    "With gratitude,",
]
THANKLESS = [
    "",
    "Gratitude journaling fascinates me.",
    "Hope to hear from you soon!",
    "Best,",
    "Looking forward to hearing from you.",
    "Thanks to my mentor I found this field.",  # "thanks to" means "because of"
    "Cheers,",
]


@pytest.mark.parametrize("thanks", THANKFUL)
def test_any_wording_of_thanks(thanks: str) -> None:
    assert check(note(thanks=thanks), "thanks").ok, thanks


@pytest.mark.parametrize("thanks", THANKLESS)
def test_no_thanks(thanks: str) -> None:
    result = check(note(thanks=thanks), "thanks")
    assert not result.ok, thanks
    assert "Thank you" in result.fix


# Flexible ------------------------------------------------------------------------------------------------------

FLEXIBLE = [
    FLEX,
    "I'll work around your calendar.",
    "Any slot you prefer is great.",
    "I'm happy to make early mornings work.",
    "Whatever suits you is fine by me.",
    "We could talk at a time that works for you.",
    "At your convenience, of course.",
    "Evenings and weekends are fine too.",
    "I'm flexible.",
    "Name a time and I'll be there.",
    "Whichever day is easiest for you works for me.",
    "At a time of your choosing.",
]
INFLEXIBLE = [
    "",
    "Let's talk on Tuesday at 3pm.",
    "I'm only free on Fridays after 4.",
    "It has to be before 9am, I'm afraid.",
    "I will call you on Monday at 10.",
    "Please pick one of the three slots I've opened on my booking page.",
]


@pytest.mark.parametrize("flex", FLEXIBLE)
def test_any_wording_of_fitting_their_schedule(flex: str) -> None:
    assert check(note(flex=flex), "flexible").ok, flex


@pytest.mark.parametrize("flex", INFLEXIBLE)
def test_imposing_a_time_or_saying_nothing(flex: str) -> None:
    result = check(note(flex=flex), "flexible")
    assert not result.ok, flex
    if flex:
        assert flex in result.fix


def test_an_ask_that_names_the_slot_sets_the_time() -> None:
    result = check(note(ask="Could we do 20 minutes on Zoom this Monday at 9am?", flex=""), "flexible")
    assert result.label == "Sets the time for them" and "Monday at 9am" in result.fix


# About them ----------------------------------------------------------------------------------------------------

ABOUT_THEM = [
    note(),
    note(about="Your move from nursing into policy is exactly what I'd like to understand."),
    note(about="I'm a nursing student, and I'd love to hear how you chose policy over clinical work."),
    note(about="How did you decide to leave the ward? What does your team at the ministry work on?"),
    note(about="I've read a lot about health policy. I'm curious what your days look like and what you'd advise."),
    note(about="As a student interested in policy, your view of the field would help me a lot."),
]
ABOUT_ME = [
    note(about="I'm a third-year nursing student. I've worked night shifts for two years. I want to move into policy."),
    note(
        about="I am a designer and I have ten years of experience. I think I would be good at policy work. "
        "My background is in healthcare."
    ),
    note(
        about="I've always loved helping people, and nursing was my first passion. Recently I've realised "
        "I want more influence. I'm good at research."
    ),
    note(
        about="My name is Ana and I graduated from Charité in 2021. Since then I've worked in a busy ICU. "
        "I'd love to hear about your work."
    ),
]


@pytest.mark.parametrize("text", ABOUT_THEM)
def test_more_about_them(text: str) -> None:
    assert check(text, "about_them").ok, text


@pytest.mark.parametrize("text", ABOUT_ME)
def test_more_about_me(text: str) -> None:
    result = check(text, "about_them")
    assert not result.ok, text
    assert "“" in result.fix


@pytest.mark.parametrize(
    ("about", "ok"),
    [
        ("I noticed you started as a paralegal. How did you decide to go to law school?", True),
        ("I'm a nurse myself. I'm curious what a typical week in policy looks like for you.", True),
        ("I understand you spent a decade in fundraising. I find that story fascinating.", True),
        (
            "I recently finished my MSc, where I specialised in NLP. Before that I worked in retail for six years.",
            False,
        ),
        ("About me: I grew up in Lagos and studied economics. I love numbers. My dream is impact finance.", False),
        ("I'm writing because I feel stuck. I've taught for a decade and I'm exhausted.", False),
        (
            "I know messages pile up. How did you get into policy? If it's useful to you, I could share my survey results.",
            True,
        ),
        ("I found your profile while looking for people in health policy. I'm a nurse exploring the field.", True),
        (
            "How did you choose research? If it would help you, I'd gladly help test your prototype. I'm a student.",
            True,
        ),
    ],
)
def test_more_about_them_or_me(about: str, ok: bool) -> None:
    assert check(note(about=about), "about_them").ok is ok, about


def test_an_intro_request_may_be_about_the_person_to_meet() -> None:
    text = (
        "Hi Jess, you mentioned that your roommate Tanya runs grants at a foundation. Would you introduce us? "
        "I'd love to ask her how she came into philanthropy. A 20-minute call at her convenience is all I'd ask. "
        "Thank you!"
    )
    assert passed(review(text, DraftKind.INTRO))


def test_greeting_thanks_and_scheduling_lines_do_not_count() -> None:
    text = note(about="", flex="I'm happy to fit around your schedule, and I can do early mornings.")
    assert check(text, "about_them").ok


# Placeholders --------------------------------------------------------------------------------------------------

PLACEHOLDERS = [
    ("Hi [Name],", "[Name]"),
    ("Hi {first_name},", "{first_name}"),
    ("Hi <first name>,", "<first name>"),
    ("Hi <<Name>>,", "<<Name>>"),
    ("Hi Maya, I admire <<Company>>.", "<<Company>>"),
    ("Hi Maya, we met at XX last year.", "XX"),
    ("Dear Mr. LASTNAME,", "LASTNAME"),
    ("Hi NAME,", "NAME"),
    ("Hi Maya, [insert company] is great.", "[insert company]"),
    ("Hi Maya, TODO: add a line about the talk.", "TODO"),
    ("Hi Maya, I loved your talk at ___.", "___"),
    ("Hi Maya, we met at XXX.", "XXX"),
    ("Hi Maya, it's (YOUR NAME) here.", "(YOUR NAME)"),
    ("Hi Maya, it's (your name) here.", "(your name)"),
]
PLACEHOLDERS += [
    ("Dear Mr./Ms. [Surname],", "[Surname]"),
    ("Hi {{ first_name }},", "{{ first_name }}"),
    ("Hi %FIRSTNAME%,", "%FIRSTNAME%"),
    ("Hello $name,", "$name"),
    ("Hi Firstname,", "Firstname"),
]
NO_PLACEHOLDERS = [
    "Hi Maya,",
    "Hi Mr. X-ray tech,",
    "Hello NASA friends,",
    "Dear Dr. O'Neill (she/her),",
    "Hi <b>Maya</b>,",
    "Hi Maya (and team),",
    "Hi Maya, my site is <https://ana.example> if useful.",
    "Hi Maya, I work at the NHS in UX and AI.",
    "Hi Maya, I read [the report](https://example.org) twice.",
]


@pytest.mark.parametrize(("greeting", "placeholder"), PLACEHOLDERS)
def test_placeholders_in_any_style(greeting: str, placeholder: str) -> None:
    text = note().replace("Hi Maya,", greeting, 1)
    result = check(text, "placeholders")
    assert not result.ok, greeting
    assert result.label == f"Unfilled: {placeholder}"
    assert f"Replace {placeholder} in “" in result.fix


@pytest.mark.parametrize("greeting", NO_PLACEHOLDERS)
def test_no_placeholders(greeting: str) -> None:
    assert check(note().replace("Hi Maya,", greeting, 1), "placeholders").ok, greeting


# LinkedIn limit ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "ok"),
    [(60, True), (120, True), (280, True), (300, True), (301, False), (340, False), (600, False), (2000, False)],
)
def test_linkedin_limit(length: int, ok: bool) -> None:
    base = "Hi Maya! Tom suggested I write. Could we talk for 20 minutes, whenever suits you? Thanks!"
    text = (base + " " + "x" * length)[:length] if length > len(base) else base[:length]
    result = check(text, "linkedin_limit", DraftKind.LINKEDIN_NOTE)
    assert result.ok is ok
    if not ok:
        assert f"Cut {length - 300} characters" in result.fix


def test_linkedin_limit_only_for_connection_notes() -> None:
    for kind in (None, DraftKind.EMAIL, DraftKind.LINKEDIN_MESSAGE, DraftKind.PHONE):
        assert "linkedin_limit" not in {c.key for c in review("Hi " + "x" * 400, kind)}


# Fixes ---------------------------------------------------------------------------------------------------------


def test_every_failed_check_has_a_short_concrete_fix() -> None:
    bad = (
        "Hi [Name],\n\nI'm a nursing student and I want to move into policy. I have ten years of experience. "
        "I'm looking for a job. Let's have a 45-minute call on Tuesday at 3pm.\n\nBest,\nAna"
    )
    checks = review(bad, DraftKind.EMAIL)
    failed = {c.key for c in checks if not c.ok}
    assert failed >= {"connection", "no_job", "question", "time", "thanks", "flexible", "about_them", "placeholders"}
    for c in checks:
        if not c.ok:
            assert c.fix and len(c.fix) < 320 and c.fix.count(". ") <= 2, c
            assert len(c.label) < 80, c


def test_a_call_scripts_alternatives_do_not_count_towards_its_length() -> None:
    """A phone script's receptionist and voicemail lines replace the conversation; only the conversation counts."""
    talk = (
        "Hi Gus, this is Ray. Tom from the union hall gave me your name. Is now a good time for a quick question? "
        "I'd love to hear how you got into pipeline welding. Would you have 15 minutes sometime for a few "
        "questions about your work? Whenever suits you is fine. Thank you, I really appreciate it."
    )
    extras = (
        '\n\nIf a receptionist or HR answers: "Hello, my name is Ray. Could I speak with Gus Moreno? '
        "It's a personal question about his work, not a sales call.\"\n\nVoicemail (about 20 seconds): "
        "\"Hi Gus, this is Ray. Tom gave me your name. I'd love 15 minutes of your advice, whenever suits you. "
        "I'll try again later this week. Thank you!\""
    )
    length = {c.key: c for c in review(talk + extras, DraftKind.PHONE)}["length"]
    assert length.ok, length.label
    as_email = {c.key: c for c in review(talk + extras, DraftKind.EMAIL)}["length"]
    assert not as_email.ok, "in a written message every word counts"
