"""Label formatting used on the charts (expected strings written by hand)."""

import pytest

from charts.style import format_percent, format_yen_short


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (9.7, {}, "9.7%"),
        (25.625, {}, "25.625%"),
        (-40, {"max_decimals": 0, "signed": True}, "\u221240%"),
        (-40, {"max_decimals": 0, "typographic": False}, "-40%"),
        (5, {"signed": True}, "+5%"),
        (0, {"signed": True}, "0%"),
        (18.666666, {"max_decimals": 2, "signed": True}, "+18.67%"),
    ],
)
def test_format_percent(value, kwargs, expected):
    assert format_percent(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("amount", "ja", "en"),
    [
        (101_850_000, "1億185万円", "¥101.85M"),
        (256_250_000, "2億5,625万円", "¥256.25M"),
        (48_000_000, "4,800万円", "¥48M"),
        (1_500_000_000, "15億円", "¥1.5bn"),
        (0, "0円", "¥0"),
    ],
)
def test_format_yen_short(amount, ja, en):
    assert format_yen_short(amount, "ja") == ja
    assert format_yen_short(amount, "en") == en
