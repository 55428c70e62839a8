"""What every fuzz module shares: the example budget (short always, long behind COCKPIT_LONG_FUZZ), text that
reaches the corners parsers trip on, and a tiny TOML emitter (the stdlib reads TOML but cannot write it, and the
cockpit depends on no TOML writer).

The contract the fuzz modules check: a parser gives a clean value or its module's own error, with a one-line
message; never another exception, never a corrupted file.

    pytest tests/fuzz -n 2                                    # the short run, part of every test run
    COCKPIT_LONG_FUZZ=1 pytest tests/fuzz -n 2 --hypothesis-show-statistics   # 10,000 examples a target
    COCKPIT_LONG_FUZZ=50000 pytest tests/fuzz/test_journal_fuzz.py           # any count, any module

Every bug the fuzzing found stays covered by an explicit example or a `*_found` test next to its target."""

from __future__ import annotations

import math
import os
from datetime import date, datetime, time
from typing import Any

from hypothesis import HealthCheck, currently_in_test_context, event, settings
from hypothesis import strategies as st

LONG_EXAMPLES = 10_000


def long_examples() -> int | None:
    """COCKPIT_LONG_FUZZ unset: the short run. Set to a number above 1: that many examples a target; set to
    anything else: LONG_EXAMPLES."""
    value = os.environ.get("COCKPIT_LONG_FUZZ", "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() and int(value) > 1 else LONG_EXAMPLES


def fuzz(short: int) -> settings:
    """The settings of one target: `short` examples in every test run, the long count when asked. No deadline:
    a slow example on a busy CI machine is not a failure; what is checked is the answer."""
    return settings(
        max_examples=long_examples() or short,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.function_scoped_fixture],
    )


def tally(what: str) -> None:
    """Count an outcome in the statistics (`--hypothesis-show-statistics`), from helpers that plain tests use too."""
    if currently_in_test_context():
        event(what)


def one_line(message: str) -> bool:
    """A user-facing error: something to read, on one line."""
    return bool(message.strip()) and len(message.splitlines()) == 1


# --- text -----------------------------------------------------------------------------------------------------

# Digits past Python's int() conversion limit (4300 by default): `int(text)` raises a bare ValueError on them.
HUGE_DIGITS = st.builds(lambda digit, n: digit * n, st.sampled_from("19"), st.integers(4290, 4400))
NUMBERS = st.one_of(
    st.integers(0, 30).map(str),
    # Unicode digits (Arabic-Indic, fullwidth, superscript) that int() and `\d` accept but SemVer does not
    st.sampled_from(["0", "00", "01", "-1", "+1", "1_0", "0x1", "\u0661", "\u0663", "\uff11", "\u00b2", "", " 1"]),
    st.integers(0, 2**70).map(str),
    HUGE_DIGITS,
)
# Characters that mean something to a version, a ref or a line parser, and some that only look like them.
PUNCTUATION = st.sampled_from([*".-+_/~^:@{}[]*?\\ \t\n\r\x00\x0b\x0c\x85\u2028\u00a0\ufeff\u200b", "..", "@{"])


def pieces(*parts: st.SearchStrategy[str], max_parts: int = 8) -> st.SearchStrategy[str]:
    """Strings glued from the given parts: near misses of a grammar come from shuffling its own pieces."""
    return st.lists(st.one_of(*parts), max_size=max_parts).map("".join)


# --- JSON -----------------------------------------------------------------------------------------------------

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12,
)


def usually(right: st.SearchStrategy[Any], wrong: st.SearchStrategy[Any] = ANY_JSON) -> st.SearchStrategy[Any]:
    """The right shape three times out of four, anything at all otherwise: every level of a document gets both."""
    return st.one_of(right, right, right, wrong)


def optional_keys(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict with any subset of the given keys (their values drawn from their strategies)."""
    return st.fixed_dictionaries({}, optional=fields)


def places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path (keys and indexes) of every value inside a JSON document."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    found = []
    for key, child in children:
        found += [(*path, key), *places(child, (*path, key))]
    return found


@st.composite
def mutated(draw: st.DrawFn, documents: st.SearchStrategy[Any], wrong: st.SearchStrategy[Any] = ANY_JSON,
            most: int = 3) -> Any:
    """A well-formed document with up to `most` values replaced by wrong ones or removed (none, a quarter of the
    time): a reader meets every single mistake on its own, next to otherwise good data."""
    doc = draw(documents)
    for _ in range(draw(st.integers(0, most))):
        found = places(doc)
        if not found:
            break
        *parent_path, key = draw(st.sampled_from(found))
        parent = doc
        for step in parent_path:
            parent = parent[step]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[key]
        else:
            parent[key] = draw(wrong)
    return doc


# --- TOML -----------------------------------------------------------------------------------------------------

class Raw(str):
    """Text the emitter writes as is: numbers no Python int could print, or deliberate syntax errors."""


TOML_SCALARS = st.one_of(
    st.booleans(), st.integers(-(2**63), 2**63 - 1), st.floats(), st.text(max_size=20),
    st.dates(), st.times(), st.datetimes(), HUGE_DIGITS.map(Raw),
)
ANY_TOML = st.recursive(
    TOML_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=10,
)


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """One value inline: tables as `{k = v}`, arrays as `[a, b]` (TOML 1.0 allows mixed types)."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {type(value).__name__}")


def toml_document(doc: dict[str, Any]) -> str:
    """A document as people write it: top-level keys first, then a `[section]` per table-valued key."""
    lines = [f"{toml_string(k)} = {toml_value(v)}" for k, v in doc.items() if not isinstance(v, dict)]
    for key, table in doc.items():
        if isinstance(table, dict):
            lines.append(f"[{toml_string(key)}]")
            lines += [f"{toml_string(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"
