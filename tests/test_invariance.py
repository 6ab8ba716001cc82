"""Property tests: a claim's verdict does not depend on white space, quote style or digit grouping."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.e2e

CLAIMS = [
    "About 2,500 U.S. troops remain in Iraq.",
    "The U.S. has 5,200 troops in Iraq today.",
    "The U.S. has trained 400,000 Iraqi security personnel.",
    "Spain announced it would withdraw from its 'primary' base in Iraq by the end of July.",
    'McKenzie said "we\'re going to stay in Iraq" in April 2021.',
]


def regroup(text: str, grouped: bool) -> str:
    """Write every number with or without thousands separators."""
    if grouped:  # years stay as they are
        return re.sub(
            r"\b\d{4,}\b", lambda m: m.group(0) if 1900 <= int(m.group(0)) <= 2100 else f"{int(m.group(0)):,}", text
        )
    return re.sub(r"\b\d{1,3}(?:,\d{3})+\b", lambda m: m.group(0).replace(",", ""), text)


def requote(text: str, curly: bool) -> str:
    if not curly:
        return text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    text = re.sub(r'"([^"]*)"', "“\\1”", text)
    return re.sub(r"(?<![A-Za-z])'([^']*)'", "‘\\1’", text).replace("'", "’")


@st.composite
def variants(draw: st.DrawFn) -> tuple[str, str]:
    claim = draw(st.sampled_from(CLAIMS))
    text = regroup(claim, draw(st.booleans()))
    text = requote(text, draw(st.booleans()))
    spaces = draw(st.lists(st.sampled_from([" ", "  ", "\t", " \u00a0"]), min_size=1, max_size=4))
    words = text.split(" ")
    text = "".join(w + spaces[i % len(spaces)] for i, w in enumerate(words)).rstrip()
    pad = draw(st.sampled_from(["", " ", "\n", "  \t"]))
    return claim, pad + text + pad


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=variants())
def test_verdict_is_invariant_to_spacing_quotes_and_digit_grouping(check_claims, pair):
    original, variant = pair
    (expected,) = check_claims([original])
    (got,) = check_claims([variant])
    assert got.verdict == expected.verdict, (variant, got.reason, expected.reason)
