"""The draft review measured on the labelled corpus of tests/review_corpus.py (issue 10).

Three things are checked: the corpus itself is well formed (enough samples of each kind, labels that
exist), the corpus's own length and LinkedIn labels agree with a plain count, and the review finds the
rules each draft breaks with a precision and a recall of at least 0.95 per rule.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.review_corpus import CORPUS, RULES, Sample

MIN_SAMPLES = 150
MIN_GOOD = 40
MIN_BREAKERS = 12
MIN_LINKEDIN_BREAKERS = 6
MIN_SCORE = 0.95

WORD_LIMIT = 100
STRICT_WORD_LIMIT = 75
LINKEDIN_NOTE_LIMIT = 300
# The corpus keeps clear of the limits, so that counting words a little differently never flips a label.
WORD_MARGIN = 5

_TOKEN = re.compile(r"(?:[^\W_]|['’-])+")


def body(text: str) -> str:
    """The draft without a first "Subject: ..." line."""
    first, _, rest = text.partition("\n")
    return rest if first.strip().lower().startswith("subject:") else text


def word_count(text: str) -> int:
    """Words of the body: runs of letters, digits, apostrophes and hyphens, with at least one letter or digit."""
    return sum(1 for token in _TOKEN.findall(body(text)) if any(ch.isalnum() for ch in token))


def _ids(samples: list[Sample]) -> list[str]:
    return [sample.id for sample in samples]


# ------------------------------------------------------------------------------------------- the corpus


def test_corpus_is_large_and_labelled_with_known_rules() -> None:
    assert len(CORPUS) >= MIN_SAMPLES
    ids = _ids(CORPUS)
    duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
    assert not duplicates, f"duplicate ids: {duplicates}"

    good = [s for s in CORPUS if not s.breaks]
    assert len(good) >= MIN_GOOD, f"only {len(good)} good drafts"

    unknown = {s.id: sorted(s.breaks - set(RULES)) for s in CORPUS if s.breaks - set(RULES)}
    assert not unknown, f"labels that are not rules: {unknown}"

    per_rule = Counter(rule for s in CORPUS for rule in s.breaks)
    for rule in RULES:
        minimum = MIN_LINKEDIN_BREAKERS if rule == "linkedin_limit" else MIN_BREAKERS
        assert per_rule[rule] >= minimum, f"{rule}: {per_rule[rule]} breakers, want at least {minimum}"

    wrong_kind = [s.id for s in CORPUS if "linkedin_limit" in s.breaks and s.kind != "li_note"]
    assert not wrong_kind, f"linkedin_limit on a draft that is not a LinkedIn note: {wrong_kind}"

    kinds = {"email", "li_note", "li_msg", "phone", "intro", None}
    assert {s.kind for s in CORPUS} <= kinds
    assert all(s.text and s.text == s.text.strip() for s in CORPUS)


def test_length_labels_agree_with_the_word_count() -> None:
    wrong = []
    for sample in CORPUS:
        limit = STRICT_WORD_LIMIT if sample.strict else WORD_LIMIT
        words = word_count(sample.text)
        labelled = "length" in sample.breaks
        if labelled and words < limit + WORD_MARGIN or not labelled and words > limit - WORD_MARGIN:
            wrong.append(f"{sample.id}: {words} words, limit {limit}, labelled {'over' if labelled else 'under'}")
    assert not wrong, "length labels that do not clearly agree with the count:\n" + "\n".join(wrong)


def test_linkedin_labels_agree_with_the_character_count() -> None:
    wrong = [
        f"{s.id}: {len(s.text)} characters"
        for s in CORPUS
        if s.kind == "li_note" and ("linkedin_limit" in s.breaks) != (len(s.text) > LINKEDIN_NOTE_LIMIT)
    ]
    assert not wrong, "linkedin_limit labels that disagree with the length:\n" + "\n".join(wrong)


def test_word_count_counts_words_like_the_rule() -> None:
    assert word_count("Subject: Hello there\nHi Ana, it's a 20-minute call - thanks!") == 7
    assert word_count("Dear Ms. O'Connor, 3 quick questions?") == 6


# ------------------------------------------------------------------------------------------- the review


def _fired(sample: Sample) -> set[str]:
    from coaching.enums import DraftKind
    from coaching.review import review

    kind = DraftKind(sample.kind) if sample.kind is not None else None
    return {check.key for check in review(sample.text, kind, strict=sample.strict) if not check.ok}


def test_review_precision_and_recall_per_rule(capsys: pytest.CaptureFixture[str]) -> None:
    fired = {sample.id: _fired(sample) for sample in CORPUS}

    rows, failures = [], []
    for rule in RULES:
        false_pos = [s.id for s in CORPUS if rule in fired[s.id] and rule not in s.breaks]
        false_neg = [s.id for s in CORPUS if rule not in fired[s.id] and rule in s.breaks]
        true_pos = sum(1 for s in CORPUS if rule in fired[s.id] and rule in s.breaks)
        precision = true_pos / (true_pos + len(false_pos)) if true_pos + len(false_pos) else 1.0
        recall = true_pos / (true_pos + len(false_neg)) if true_pos + len(false_neg) else 1.0
        rows.append(f"{rule:15} {precision:9.2f} {recall:7.2f} {true_pos:4} {len(false_pos):4} {len(false_neg):4}")
        if precision < MIN_SCORE or recall < MIN_SCORE:
            failures.append(
                f"{rule}: precision {precision:.2f}, recall {recall:.2f}\n"
                f"  false positives: {', '.join(false_pos) or '-'}\n"
                f"  false negatives: {', '.join(false_neg) or '-'}"
            )

    table = "\n".join([f"{'rule':15} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}", *rows])
    with capsys.disabled():
        print(f"\nreview on {len(CORPUS)} labelled drafts:\n{table}")
    assert not failures, f"rules below {MIN_SCORE}:\n" + "\n".join(failures) + f"\n\n{table}"
