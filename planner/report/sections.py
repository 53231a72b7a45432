"""Marked sections of a markdown file, replaced in place (used by the benchmark scripts)."""

from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, begin: str, end: str, title: str, body: str) -> None:
    """Replace the text between the markers ``begin`` and ``end`` of ``path`` with a section
    headed ``title``, or append it; other sections are left alone."""
    section = f"{begin}\n## {title}\n\n{body}{end}\n"
    text = path.read_text() if path.exists() else "# Benchmark results\n\n"
    if begin in text and end in text:
        head, _, rest = text.partition(begin)
        _, _, tail = rest.partition(end)
        text = head + section.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)
