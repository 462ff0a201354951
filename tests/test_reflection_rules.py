"""The reflection after a conversation: answers, referrals, the "now what" plan and the thank-you note."""

from __future__ import annotations

import dataclasses

import pytest

from coaching.enums import DraftKind
from coaching.reflection import (
    MAX_REFERRALS,
    STEP_KEYS,
    STEPS,
    Answers,
    FieldFit,
    PlanKind,
    Referral,
    accepts,
    build_plan,
    parse_referrals,
    skipped_everything,
    suggests_token,
    thank_you_note,
    with_answer,
)

TEXT_KEYS = [key for key in STEP_KEYS if key not in ("rating", "still_field")]

FULL = Answers(
    rating=4,
    learned="Teams ship every week; writing skills matter more than I thought.",
    looking_for="People who can show a project end to end, not just certificates",
    resume="Lead with the data project; drop the old retail job",
    still_field=FieldFit.UNSURE,
    open_questions="How do people move from support into product?",
    matters="A team that reviews each other's work",
    referrals="Sam Park (Globex)\nLena Fischer at Initech",
    promised="Send my portfolio link.",
)


# with_answer -----------------------------------------------------------------------------------------------


def test_the_steps_cover_every_answer_field() -> None:
    assert set(STEP_KEYS) == {field.name for field in dataclasses.fields(Answers)}
    assert len(STEP_KEYS) == 9


@pytest.mark.parametrize("key", TEXT_KEYS)
def test_with_answer_sets_a_text_answer_and_nothing_else(key: str) -> None:
    answers = with_answer(Answers(), key, "some words")
    assert getattr(answers, key) == "some words"
    for other in STEP_KEYS:
        if other != key:
            assert getattr(answers, other) is None, other


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_with_answer_accepts_ratings_one_to_five(rating: int) -> None:
    assert with_answer(Answers(), "rating", rating).rating == rating


@pytest.mark.parametrize("rating", [0, 6, -1, 10, "3", 2.5])
def test_with_answer_refuses_ratings_outside_one_to_five(rating) -> None:
    with pytest.raises(ValueError):
        with_answer(Answers(), "rating", rating)


@pytest.mark.parametrize(("value", "fit"), [("yes", FieldFit.YES), ("unsure", FieldFit.UNSURE), ("no", FieldFit.NO)])
def test_with_answer_turns_the_fit_button_into_a_field_fit(value: str, fit: FieldFit) -> None:
    answers = with_answer(Answers(), "still_field", value)
    assert answers.still_field is fit
    assert isinstance(answers.still_field, FieldFit)


def test_with_answer_accepts_a_field_fit_itself() -> None:
    assert with_answer(Answers(), "still_field", FieldFit.NO).still_field is FieldFit.NO


def test_with_answer_refuses_an_unknown_fit() -> None:
    with pytest.raises(ValueError):
        with_answer(Answers(), "still_field", "maybe")


@pytest.mark.parametrize("key", ["name", "contact", "", "Rating", "notes"])
def test_with_answer_refuses_unknown_keys(key: str) -> None:
    with pytest.raises(ValueError):
        with_answer(Answers(), key, "x")


@pytest.mark.parametrize("key", STEP_KEYS)
def test_with_answer_none_is_a_skip(key: str) -> None:
    assert getattr(with_answer(Answers(), key, None), key) is None


def test_with_answer_keeps_the_earlier_answers_and_leaves_the_original_alone() -> None:
    start = Answers()
    first = with_answer(start, "rating", 5)
    second = with_answer(first, "still_field", "unsure")
    third = with_answer(second, "learned", "They pair on everything")
    assert start == Answers()
    assert first == Answers(rating=5)
    assert third == Answers(rating=5, still_field=FieldFit.UNSURE, learned="They pair on everything")


def test_with_answer_replaces_an_earlier_answer() -> None:
    answers = with_answer(Answers(learned="old"), "learned", "new")
    assert answers.learned == "new"


# skipped_everything ----------------------------------------------------------------------------------------


def test_nothing_answered_is_skipped_everything() -> None:
    assert skipped_everything(Answers()) is True


def test_every_step_skipped_one_by_one_is_skipped_everything() -> None:
    answers = Answers()
    for key in STEP_KEYS:
        answers = with_answer(answers, key, None)
    assert skipped_everything(answers) is True


def test_empty_strings_count_as_skipped() -> None:
    assert skipped_everything(Answers(learned="", promised="", referrals="")) is True


@pytest.mark.parametrize(
    ("key", "value"), [(key, "something") for key in TEXT_KEYS] + [("rating", 1), ("still_field", "no")]
)
def test_any_one_answer_is_not_skipped_everything(key: str, value) -> None:
    assert skipped_everything(with_answer(Answers(), key, value)) is False


# parse_referrals -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sam Park (Globex)", Referral("Sam Park", "Globex")),
        ("Sam Park(Globex)", Referral("Sam Park", "Globex")),
        ("Lena Fischer at Initech", Referral("Lena Fischer", "Initech")),
        ("Jo from Acme", Referral("Jo", "Acme")),
        ("Sam Park - Globex", Referral("Sam Park", "Globex")),
        ("Sam Park – Globex", Referral("Sam Park", "Globex")),
        ("Sam Park — Globex", Referral("Sam Park", "Globex")),
        ("Sam Park @ Globex", Referral("Sam Park", "Globex")),
        ("Sam Park", Referral("Sam Park")),
        ("Dr. Petra Wolff", Referral("Dr. Petra Wolff")),
        ("Jean-Luc Picard", Referral("Jean-Luc Picard")),
        ("Anne-Marie Dupont - Acme Bank", Referral("Anne-Marie Dupont", "Acme Bank")),
        ("  Lena Fischer at Initech.  ", Referral("Lena Fischer", "Initech")),
        ("• Sam Park (Globex)", Referral("Sam Park", "Globex")),
        ("- Sam Park", Referral("Sam Park")),
        ("* Sam Park, ", Referral("Sam Park")),
        ("Sam Park (  Globex  )", Referral("Sam Park", "Globex")),
    ],
)
def test_one_referral_in_each_format(text: str, expected: Referral) -> None:
    assert parse_referrals(text) == [expected]


def test_several_referrals_on_lines_and_semicolons() -> None:
    text = "Sam Park (Globex)\nLena Fischer at Initech; Jo from Acme\n\nMia Chen - Umbrella;Omar Haddad"
    assert parse_referrals(text) == [
        Referral("Sam Park", "Globex"),
        Referral("Lena Fischer", "Initech"),
        Referral("Jo", "Acme"),
        Referral("Mia Chen", "Umbrella"),
        Referral("Omar Haddad"),
    ]


@pytest.mark.parametrize(
    "text", [None, "", "   ", "none", "None", "no", "No.", "-", "---", "nobody", "no one", "n/a", "N/A", "nope"]
)
def test_nobody_answers_give_no_referrals(text: str | None) -> None:
    assert parse_referrals(text) == []


def test_nobody_lines_are_ignored_among_real_names() -> None:
    assert parse_referrals("none\nSam Park\n-\nno; Lena Fischer") == [Referral("Sam Park"), Referral("Lena Fischer")]


def test_duplicates_are_removed_case_insensitively_and_the_first_wins() -> None:
    text = "Sam Park (Globex)\nsam park at Initech\nSAM PARK\nLena Fischer; lena fischer"
    assert parse_referrals(text) == [Referral("Sam Park", "Globex"), Referral("Lena Fischer")]


def test_at_most_max_referrals_are_kept_in_order() -> None:
    names = [f"Person {letter}" for letter in "ABCDEFGH"]
    result = parse_referrals("\n".join(names))
    assert MAX_REFERRALS == 5
    assert [r.name for r in result] == names[:5]


def test_duplicates_do_not_use_up_the_limit() -> None:
    text = "Ann\nann\nANN\nBen\nCal\nDee\nEve\nFay"
    assert [r.name for r in parse_referrals(text)] == ["Ann", "Ben", "Cal", "Dee", "Eve"]


def test_long_names_and_companies_are_capped() -> None:
    name = "N" * 150
    company = "C" * 250
    (referral,) = parse_referrals(f"{name} ({company})")
    assert referral.name == "N" * 100
    assert referral.company == "C" * 200


def test_a_long_bare_name_is_capped() -> None:
    (referral,) = parse_referrals("Z" * 300)
    assert referral == Referral("Z" * 100)


def test_a_long_name_typed_twice_is_still_one_referral() -> None:
    # BUG: the duplicate check compares the stored, capped name with the uncapped one just typed, so a
    # name longer than 100 characters is never recognised as a repeat and comes back twice.
    long_name = "X" * 150
    result = parse_referrals(f"{long_name}\n{long_name}")
    assert result == [Referral("X" * 100)], f"duplicate long name kept: {len(result)} referrals"


# build_plan ------------------------------------------------------------------------------------------------


def test_full_plan_order_and_texts() -> None:
    plan = build_plan(FULL, "Ana Lee")
    assert [item.kind for item in plan] == [
        PlanKind.SEND,
        PlanKind.RESUME,
        PlanKind.REACH,
        PlanKind.REACH,
        PlanKind.EXPLORE,
        PlanKind.ASK,
    ]
    assert plan[0].text == "For Ana Lee: Send my portfolio link"
    assert plan[1].text == "Résumé or pitch: Lead with the data project; drop the old retail job"
    assert plan[2].text == "Reach out to Sam Park (Globex), suggested by Ana Lee"
    assert plan[3].text == "Reach out to Lena Fischer (Initech), suggested by Ana Lee"
    assert "How do people move from support into product?" in plan[5].text


def test_promised_comes_first_even_alone() -> None:
    plan = build_plan(Answers(promised="Send the article on onboarding"), "Sam Park")
    assert len(plan) == 1
    assert plan[0].kind is PlanKind.SEND
    assert "Sam Park" in plan[0].text
    assert "Send the article on onboarding" in plan[0].text
    assert plan[0].referral is None


def test_resume_becomes_a_resume_item() -> None:
    plan = build_plan(Answers(resume="Drop the objective line"), "Sam Park")
    assert [(item.kind, item.referral) for item in plan] == [(PlanKind.RESUME, None)]
    assert "Drop the objective line" in plan[0].text


def test_each_referral_is_a_reach_item_with_the_referral_attached() -> None:
    plan = build_plan(Answers(referrals="Sam Park (Globex); Lena Fischer"), "Dr. Petra Wolff")
    assert [item.kind for item in plan] == [PlanKind.REACH, PlanKind.REACH]
    assert plan[0].referral == Referral("Sam Park", "Globex")
    assert plan[1].referral == Referral("Lena Fischer")
    assert "Sam Park (Globex)" in plan[0].text
    assert "Lena Fischer" in plan[1].text
    assert "(" not in plan[1].text  # no company: no empty brackets
    assert all("Dr. Petra Wolff" in item.text for item in plan)


def test_no_referrals_when_they_suggested_nobody() -> None:
    assert build_plan(Answers(referrals="none"), "Sam Park") == []


def test_unsure_and_no_each_give_one_explore_item_with_different_texts() -> None:
    unsure = build_plan(Answers(still_field=FieldFit.UNSURE), "Sam Park")
    no = build_plan(Answers(still_field=FieldFit.NO), "Sam Park")
    assert [item.kind for item in unsure] == [PlanKind.EXPLORE]
    assert [item.kind for item in no] == [PlanKind.EXPLORE]
    assert unsure[0].text != no[0].text
    assert unsure[0].text and no[0].text


@pytest.mark.parametrize("fit", [FieldFit.YES, None])
def test_yes_or_skipped_fit_gives_no_explore_item(fit: FieldFit | None) -> None:
    plan = build_plan(dataclasses.replace(FULL, still_field=fit), "Ana Lee")
    assert PlanKind.EXPLORE not in [item.kind for item in plan]
    assert len(plan) == 5


def test_open_questions_become_an_ask_item() -> None:
    plan = build_plan(Answers(open_questions="What does a typical week look like"), "Sam Park")
    assert [item.kind for item in plan] == [PlanKind.ASK]
    assert "What does a typical week look like" in plan[0].text


def test_all_skipped_gives_an_empty_plan() -> None:
    assert build_plan(Answers(), "Sam Park") == []


def test_answers_that_need_no_action_give_an_empty_plan() -> None:
    answers = Answers(rating=5, learned="a lot", looking_for="grit", matters="kind people", still_field=FieldFit.YES)
    assert build_plan(answers, "Sam Park") == []


def test_user_words_are_put_on_one_line_without_closing_punctuation() -> None:
    plan = build_plan(Answers(promised="  Send my\nportfolio    link ;. "), "Sam Park")
    assert plan[0].text == "For Sam Park: Send my portfolio link"


def test_long_text_is_cut_at_a_word_with_an_ellipsis() -> None:
    words = [f"word{i:03d}" for i in range(60)]  # 7 characters each: 479 characters in all
    original = " ".join(words)
    (item,) = build_plan(Answers(promised=original), "Sam Park")
    prefix = "For Sam Park: "
    assert item.text.startswith(prefix)
    clause = item.text[len(prefix) :]
    assert clause.endswith("…")
    kept = clause[:-1]
    assert original.startswith(kept)
    assert len(kept) <= 200
    assert len(kept) >= 150  # cut near the limit, not at the start
    assert kept.split()[-1] in words  # the last word is whole
    assert original[len(kept)] == " "  # cut between words


def test_a_text_at_the_limit_is_not_cut() -> None:
    text = ("abcd " * 40).strip()[:199] + "z"  # exactly 200 characters
    assert len(text) == 200
    (item,) = build_plan(Answers(resume=text), "Sam Park")
    assert item.text.endswith(text)
    assert "…" not in item.text


def test_a_plain_no_to_a_yes_no_question_is_not_an_action() -> None:
    # BUG: "Did you promise to do or send anything?" and "Would you change anything in your résumé or your
    # pitch?" are yes/no questions; a typed "No" becomes a SEND item "For Ana Lee: No" and a RESUME item
    # "Résumé or pitch: No", and the thank-you note says "One thing you said has stayed with me: No." and
    # "As promised, I'll follow up on this: No." (parse_referrals already ignores "no"/"none" for referrals).
    answers = Answers(promised="No", resume="No")
    plan = build_plan(answers, "Ana Lee")
    body = thank_you_note("Ben Cole", "Ana Lee", answers).body
    problems = [item.text for item in plan] + [line for line in body.splitlines() if line.endswith(": No.")]
    assert problems == [], f"a plain 'No' was treated as content: {problems}"


# suggests_token --------------------------------------------------------------------------------------------


def test_a_referral_suggests_a_token() -> None:
    assert suggests_token(Answers(referrals="Sam Park (Globex)")) is True


@pytest.mark.parametrize("key", ["learned", "promised", "matters"])
def test_the_word_mentor_suggests_a_token(key: str) -> None:
    answers = dataclasses.replace(Answers(), **{key: "She offered to be my Mentor for a while"})
    assert suggests_token(answers) is True


@pytest.mark.parametrize(
    "answers",
    [
        Answers(),
        Answers(referrals="none"),
        Answers(referrals="-"),
        Answers(learned="The team ships weekly", promised="Send my link", matters="Good reviews", rating=5),
    ],
)
def test_no_referral_and_no_mentor_suggests_no_token(answers: Answers) -> None:
    assert suggests_token(answers) is False


# thank_you_note --------------------------------------------------------------------------------------------


def test_thank_you_note_kind_subject_and_signature() -> None:
    draft = thank_you_note("Ben Cole", "Ana Lee", FULL)
    assert draft.kind is DraftKind.THANK_YOU
    assert draft.subject
    assert "?" not in draft.subject
    lines = draft.body.splitlines()
    assert lines[-1] == "Ben Cole"
    assert lines[-2].endswith(",")  # a sign-off right above the name
    assert draft.full_text().startswith(f"Subject: {draft.subject}\n\n")


@pytest.mark.parametrize(
    ("contact", "greeting"),
    [("Ana Lee", "Hi Ana,"), ("Dr. Petra Wolff", "Hi Dr. Wolff,"), ("Sam", "Hi Sam,")],
)
def test_thank_you_note_salutation(contact: str, greeting: str) -> None:
    draft = thank_you_note("Ben Cole", contact, Answers())
    assert draft.body.splitlines()[0] == greeting


def test_thank_you_note_cites_what_they_learned() -> None:
    body = thank_you_note("Ben Cole", "Ana Lee", FULL).body
    assert "Teams ship every week; writing skills matter more than I thought" in body
    assert "thought.." not in body
    # only one detail: the fallbacks are not used when ``learned`` is there
    assert "People who can show a project" not in body
    assert "Lead with the data project" not in body


def test_thank_you_note_falls_back_to_looking_for() -> None:
    answers = Answers(looking_for="People who can show a project end to end", resume="Lead with the data project")
    body = thank_you_note("Ben Cole", "Ana Lee", answers).body
    assert "People who can show a project end to end" in body
    assert "Lead with the data project" not in body


def test_thank_you_note_falls_back_to_resume() -> None:
    body = thank_you_note("Ben Cole", "Ana Lee", Answers(resume="Lead with the data project")).body
    assert "Lead with the data project" in body


def test_thank_you_note_without_details_uses_the_generic_line() -> None:
    bare = thank_you_note("Ben Cole", "Ana Lee", Answers()).body
    assert "Your advice gave me a clearer picture of the work and what to do next." in bare
    assert "stayed with me" not in bare
    assert "As promised" not in bare
    assert "suggesting" not in bare


def test_thank_you_note_uses_the_specific_hint_only_without_a_detail() -> None:
    hint = "Your story about switching from support to product really stuck with me."
    assert hint in thank_you_note("Ben Cole", "Ana Lee", Answers(), specific_hint=hint).body
    with_detail = thank_you_note("Ben Cole", "Ana Lee", Answers(learned="They pair a lot"), specific_hint=hint).body
    assert hint not in with_detail
    assert "They pair a lot" in with_detail


def test_thank_you_note_names_a_single_referral_in_full() -> None:
    body = thank_you_note("Ben Cole", "Ana Lee", Answers(referrals="Sam Park (Globex)")).body
    assert "Sam Park" in body


def test_thank_you_note_names_two_referrals_by_first_name() -> None:
    body = thank_you_note("Ben Cole", "Ana Lee", Answers(referrals="Sam Park (Globex)\nLena Fischer")).body
    assert "Sam and Lena" in body
    assert "Park" not in body
    assert "Fischer" not in body


def test_thank_you_note_names_three_referrals_by_first_name() -> None:
    answers = Answers(referrals="Sam Park (Globex)\nLena Fischer at Initech\nDr. Omar Haddad")
    body = thank_you_note("Ben Cole", "Ana Lee", answers).body
    assert "Sam, Lena and Omar" in body
    assert "Haddad" not in body


def test_thank_you_note_mentions_what_was_promised() -> None:
    body = thank_you_note("Ben Cole", "Ana Lee", Answers(promised="Send my portfolio link.")).body
    assert "Send my portfolio link" in body
    assert "link.." not in body


def test_thank_you_note_cuts_a_long_detail_with_an_ellipsis() -> None:
    learned = " ".join(f"insight{i:02d}" for i in range(40))  # 399 characters
    body = thank_you_note("Ben Cole", "Ana Lee", Answers(learned=learned)).body
    assert "insight00" in body
    assert "insight39" not in body
    assert "…" in body


@pytest.mark.parametrize(
    "answers",
    [
        Answers(),
        FULL,
        Answers(looking_for="Grit"),
        Answers(resume="Shorter pitch", promised="Send the deck"),
        Answers(referrals="Sam Park (Globex); Lena Fischer; Jo from Acme"),
        Answers(promised="Read the book she mentioned"),
    ],
)
@pytest.mark.parametrize("contact", ["Ana Lee", "Dr. Petra Wolff", ""])
def test_thank_you_note_never_asks_and_has_no_placeholders(answers: Answers, contact: str) -> None:
    draft = thank_you_note("Ben Cole", contact, answers)
    assert "?" not in draft.body
    assert "[" not in draft.body and "]" not in draft.body
    assert "{" not in draft.body
    assert "None" not in draft.body
    assert draft.body.splitlines()[-1] == "Ben Cole"


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("rating", 3, True),
        ("rating", 0, False),
        ("rating", "3", False),
        ("rating", "yes", False),
        ("fit", "unsure", True),
        ("fit", 4, False),
        ("fit", "maybe", False),
        ("text", "Teams ship weekly", True),
        ("text", 3, False),
        ("text", None, True),
        ("rating", None, True),
    ],
)
def test_accepts_only_values_of_the_steps_kind(kind: str, value: object, expected: bool) -> None:
    """A forged button (a rating on a text question, a word on the rating) is refused, not stored."""
    step = next(s for s in STEPS if s.kind == kind)
    assert accepts(step, value) is expected


def test_a_button_never_answers_a_text_question() -> None:
    """Buttons carry ratings, yes/unsure/no and Skip; a text question's answer must be typed."""
    learned = next(s for s in STEPS if s.key == "learned")
    assert accepts(learned, "unsure") is True
    assert accepts(learned, "unsure", by_button=True) is False
    assert accepts(learned, None, by_button=True) is True
