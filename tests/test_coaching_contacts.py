"""Pure contact rules: stage moves, ranking, duplicates, handles, name lines and CSV parsing."""

from __future__ import annotations

import pytest

from coaching.answers import InvalidAnswer
from coaching.contacts import (
    Channel,
    EmployerView,
    Stage,
    allowed_moves,
    can_move,
    clean_handle,
    contact_sort_key,
    duplicate_key,
    is_second_person,
    parse_name_lines,
    rank_employers,
)
from coaching.csv_import import parse_contacts_csv


def test_stage_moves() -> None:
    assert allowed_moves(Stage.RESEARCH) == (Stage.READY, Stage.CLOSED)
    assert allowed_moves(Stage.REQUESTED) == (Stage.FOLLOWED_UP, Stage.SCHEDULED, Stage.READY, Stage.CLOSED)
    assert allowed_moves(Stage.CLOSED) == (Stage.READY,)
    assert not can_move(Stage.RESEARCH, Stage.MET)
    assert can_move(Stage.THANKED, Stage.KEEPING_IN_TOUCH)


def test_ranking_puts_motivation_then_a_way_in_first() -> None:
    employers = [
        EmployerView(1, "Beta", 4, False, 0),
        EmployerView(2, "Alpha", 4, True, 0),
        EmployerView(3, "Gamma", 5, False, 0),
        EmployerView(4, "Delta", 4, False, 2),
    ]
    assert [e.name for e in rank_employers(employers)] == ["Gamma", "Alpha", "Delta", "Beta"]


def test_duplicates_ignore_case_accents_and_punctuation() -> None:
    assert duplicate_key("José  Núñez", "ACME, Inc.") == duplicate_key("jose nunez", "acme inc")
    assert duplicate_key("Ana", "Acme") != duplicate_key("Ana", "Globex")


def test_contacts_sort_by_pipeline_then_name() -> None:
    rows = [("met", "Zed"), ("research", "bob"), ("research", "Al")]
    assert sorted(rows, key=lambda r: contact_sort_key(*r)) == [("research", "Al"), ("research", "bob"), ("met", "Zed")]


@pytest.mark.parametrize(
    ("channel", "value"),
    [
        (Channel.EMAIL, "ana@example.org"),
        (Channel.LINKEDIN, "https://www.linkedin.com/in/ana-lee/"),
        (Channel.LINKEDIN, "ana-lee"),
        (Channel.PHONE, "+49 (30) 123-4567"),
        (Channel.IN_PERSON, "at the meetup"),
    ],
)
def test_handles_accepted(channel: Channel, value: str) -> None:
    assert clean_handle(channel, value) == value


@pytest.mark.parametrize(
    ("channel", "value"),
    [
        (Channel.EMAIL, "ana at example"),
        (Channel.LINKEDIN, "https://example.com/ana"),
        (Channel.PHONE, "12"),
        (Channel.PHONE, "call me"),
    ],
)
def test_handles_refused(channel: Channel, value: str) -> None:
    with pytest.raises(InvalidAnswer):
        clean_handle(channel, value)


def test_name_lines() -> None:
    assert parse_name_lines("- Bob at Globex\nJean-Luc Picard, Starfleet\n\n• Ana") == [
        ("Bob", "Globex"),
        ("Jean-Luc Picard", "Starfleet"),
        ("Ana", None),
    ]
    with pytest.raises(InvalidAnswer):
        parse_name_lines("<b>Bob</b>")


def test_csv_semicolons_utf16_and_room() -> None:
    data = "Name;Company;E-mail\nAna Lee;Acme;ana@acme.example\nBo;;\nCy;Initech;\n".encode("utf-16")
    result = parse_contacts_csv(data, existing={duplicate_key("Bo", None)}, room=1)
    assert [(r["name"], r["company"], r["channel"], r["handle"]) for r in result.rows] == [
        ("Ana Lee", "Acme", "email", "ana@acme.example")
    ]
    assert result.skipped == {"already in your contacts": 1, "the limit of 2000 contacts": 1}


def test_csv_refusals() -> None:
    with pytest.raises(InvalidAnswer, match="UTF-8"):
        parse_contacts_csv("Name\nJosé\n".encode("latin-1"), existing=set(), room=10)
    with pytest.raises(InvalidAnswer, match="name column"):
        parse_contacts_csv(b"", existing=set(), room=10)
    with pytest.raises(InvalidAnswer, match="larger than 5 MB"):
        parse_contacts_csv(b"Name\n" + b"x" * (5 * 1024 * 1024), existing=set(), room=10)


def test_second_person_means_same_employer_not_yet_asked() -> None:
    assert is_second_person((7, "Acme"), (7, "ACME Inc", "ready"))
    assert is_second_person((None, "Acme Health"), (None, "acme health", "research"))
    assert not is_second_person((7, "Acme"), (7, "Acme", "requested"))
    assert not is_second_person((None, None), (None, None, "ready"))
