"""The tutorials' light markup, in pure Python: « ## » starts a subtitle, « - » a bullet,
a blank line a new paragraph. Pages render the blocks, the API returns them beside the raw
text; nothing else is interpreted (no HTML passes through)."""

from typing import TypedDict


class Block(TypedDict, total=False):
    type: str  # "titre", "paragraphe" or "liste"
    texte: str  # titre, paragraphe
    items: list[str]  # liste


def blocks(text: str) -> list[Block]:
    """The markup as a list of blocks, in order."""
    result: list[Block] = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            result.append({"type": "titre", "texte": lines[0][3:]})
            lines = lines[1:]
        if lines and all(line.startswith("- ") for line in lines):
            result.append({"type": "liste", "items": [line[2:] for line in lines]})
        elif lines:
            bullets = [line[2:] for line in lines if line.startswith("- ")]
            text_lines = [line for line in lines if not line.startswith("- ")]
            result.append({"type": "paragraphe", "texte": " ".join(text_lines)})
            if bullets:
                result.append({"type": "liste", "items": bullets})
    return result
