"""What a text written for a citizen must never contain: an internal
identifier, a variable name, JSON, a formula, an English value, or a
preposition glued to an article ("à le", "de Caisse"). Shared by the tests
of every citizen-facing text."""
import re

FORBIDDEN = [
    (r"\b[A-Z]{2,}:[A-Z]?\d{4,}", "an identifier"),
    (r"persons\.", "a data name"),
    (r"\b[a-z]+_[a-z0-9_]+\b", "a variable name"),
    (r"[{}\[\]\"]", "JSON punctuation"),
    (r"\bif\b|\bthen\b|\belse\b|&&|\|\||==|<=|>=|!=|\bsum\(|\bmax\(|\bmin\(", "formula syntax"),
    (r"\b(?:true|false|null|eligible|undetermined|ineligible|tenant|owner|NaN|nan)\b", "an English value"),
    (r"\b(?:à|de) (?:Caisse|Complémentaire)\b|\b(?:à|de) (?:le|les)\b|\bde une\b", "an article error"),
]

# What the program's renderer writes for a code the program file gives no
# French label for, instead of the code.
MISSING_LABEL = "libellé manquant"


def forbidden_tokens(text) -> list[str]:
    """Each forbidden token found in `text`, with what it is and its line."""
    found = []
    lines = text.splitlines()
    for pattern, what in FORBIDDEN:
        for number, line in enumerate(lines, 1):
            for m in re.finditer(pattern, line):
                found.append(f"{what} {m.group(0)!r}, line {number}: {line.strip()[:160]}")
    for number, line in enumerate(lines, 1):
        if MISSING_LABEL in line:
            found.append(f"a code the program file gives no French label for, line {number}: {line.strip()[:160]}")
    return found
