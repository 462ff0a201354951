from handlers.common import split_text


def test_split_text_keeps_lines_and_limits() -> None:
    text = "\n".join(f"line {i} " + "é" * 50 for i in range(300))
    chunks = split_text(text, limit=1000)
    assert all(len(chunk.encode("utf-16-le")) // 2 <= 1000 for chunk in chunks)
    assert "\n".join(chunks) == text


def test_split_text_cuts_a_single_long_line_by_utf16() -> None:
    chunks = split_text("😀" * 3000, limit=4096)
    assert [len(c) for c in chunks] == [2048, 952]
