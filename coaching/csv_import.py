"""Reading contacts from a CSV file: LinkedIn's Connections.csv and hand-made lists alike.

Pure: bytes in, rows and reasons out. Nothing is stored here, so a bad file imports nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from coaching.answers import InvalidAnswer, printable
from coaching.contacts import MAX_CONTACTS, clean_contact_name, duplicate_key
from coaching.defaults import MAX_CONTACT_FIELD_CHARS

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000

# Column names people and exporters use, folded to lower case without punctuation.
_COLUMNS = {
    "first": ("first name", "firstname", "given name", "vorname", "prénom", "prenom"),
    "last": ("last name", "lastname", "surname", "family name", "nachname", "nom"),
    "name": ("name", "full name", "contact", "contact name", "person"),
    "company": ("company", "organization", "organisation", "employer", "firma", "entreprise"),
    "role": ("position", "title", "job title", "role"),
    "email": ("email address", "email", "e mail", "e mail address", "mail"),
    "url": ("url", "profile url", "linkedin", "linkedin url", "profile"),
    "phone": ("phone", "phone number", "mobile", "telephone"),
}


# A row whose cells were shortened to fit: its number as a spreadsheet shows it, and the fields shortened.
Shortened = tuple[int, tuple[str, ...]]


@dataclass
class ImportResult:
    rows: list[dict[str, str | None]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    shortened: list[Shortened] = field(default_factory=list)  # of the rows added

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def _fold(header: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", header.lower()).split())


_SAVE_AS_UTF8 = 'Save it as "CSV UTF-8" (Excel) or export it again, then send it.'
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # control characters; tab and line ends are kept


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused, not guessed.

    A stray NUL or control character is dropped; a file full of them (UTF-16 without its BOM, or not text
    at all) is refused, as is UTF-16 that doesn't decode."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InvalidAnswer(f"the file can't be read: it isn't valid UTF-16 text. {_SAVE_AS_UTF8}") from None
    else:
        if data.count(0) > len(data) // 10:
            raise InvalidAnswer(f"the file can't be read: it doesn't look like text. {_SAVE_AS_UTF8}")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidAnswer(f"the file can't be read: it isn't UTF-8 text. {_SAVE_AS_UTF8}") from None
    return _CONTROL.sub("", text)  # the strict decoders above never let a lone surrogate through


def _header_map(row: list[str]) -> dict[str, int]:
    folded = [_fold(cell) for cell in row]
    found = {}
    for key, names in _COLUMNS.items():
        for index, cell in enumerate(folded):
            if cell in names:
                found[key] = index
                break
    return found


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """LinkedIn puts a few lines of notes above the header; look at the first ten rows."""
    for index, row in enumerate(rows[:10]):
        columns = _header_map(row)
        if "name" in columns or "first" in columns:
            return index, columns
    raise InvalidAnswer(
        "I couldn't find a name column. The first row should name the columns, e.g. "
        "<i>First Name, Last Name, Company, Position</i> or <i>Name, Company</i>."
    )


@dataclass(frozen=True)
class PreparedCsv:
    """A file read and its rows cleaned, ready to compare with the contacts already there: the slow part of
    an import, done by ``prepare`` without the database (so off the event loop, in a thread)."""

    rows: list[tuple[tuple[str, str], dict[str, str | None]]]  # (duplicate key, row) for each usable row
    unusable: int  # rows without a usable name
    shortened: dict[int, Shortened] = field(default_factory=dict)  # by index in ``rows``


def prepare(data: bytes) -> PreparedCsv:
    """Decode, parse and clean every row of a CSV file; raises InvalidAnswer with the reason it can't."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidAnswer(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    text = decode(data)
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise InvalidAnswer(f"the file can't be read as CSV ({error}).") from None
    if len(rows) > MAX_ROWS:
        raise InvalidAnswer(f"the file has more than {MAX_ROWS:,} rows.")
    start, columns = _find_header(rows)

    def cell(row: list[str], key: str) -> str | None:
        index = columns.get(key)
        value = printable(row[index]).strip() if index is not None and index < len(row) else ""
        return value or None

    prepared: list[tuple[tuple[str, str], dict[str, str | None]]] = []
    shortened: dict[int, Shortened] = {}
    unusable = 0
    for number, row in enumerate(rows[start + 1 :], start + 2):
        if not any(c.strip() for c in row):
            continue
        raw_name = cell(row, "name") or " ".join(filter(None, (cell(row, "first"), cell(row, "last"))))
        try:
            name = clean_contact_name(raw_name)
        except InvalidAnswer:
            unusable += 1
            prepared.append((("", ""), {}))  # keeps the file's order for the reasons below
            continue
        email, url, phone = cell(row, "email"), cell(row, "url"), cell(row, "phone")
        channel, handle = (
            ("email", email) if email else ("linkedin", url) if url else ("phone", phone) if phone else (None, None)
        )
        fields = {"company": cell(row, "company"), "role": cell(row, "role"), "handle": handle}
        # A file can't be asked again: a cell longer than a contact keeps is shortened, and the summary says so.
        cut = tuple(key for key, value in fields.items() if value and len(value) > MAX_CONTACT_FIELD_CHARS)
        if cut:
            shortened[len(prepared)] = (number, cut)
            fields.update({key: (fields[key] or "")[:MAX_CONTACT_FIELD_CHARS].rstrip() for key in cut})
        prepared.append((duplicate_key(name, fields["company"]), {"name": name, "channel": channel, **fields}))
    return PreparedCsv(prepared, unusable, shortened)


def parse_contacts_csv(data: bytes | PreparedCsv, *, existing: set[tuple[str, str]], room: int) -> ImportResult:
    """Rows to add (at most ``room``), skipping duplicates of ``existing`` and rows without a usable name.

    ``data`` is the file, or the file already ``prepare``d (in a thread: a large file takes a while)."""
    prepared = data if isinstance(data, PreparedCsv) else prepare(data)
    result = ImportResult()
    seen = set(existing)
    for index, (key, row) in enumerate(prepared.rows):
        if not row:
            result.skip("no usable name")
            continue
        if key in seen:
            result.skip("already in your contacts")
            continue
        if len(result.rows) >= room:
            result.skip(f"the limit of {MAX_CONTACTS} contacts")
            continue
        seen.add(key)
        result.rows.append(row)
        if index in prepared.shortened:
            result.shortened.append(prepared.shortened[index])
    return result
