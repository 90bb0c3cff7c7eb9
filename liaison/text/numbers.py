"""Numbers as people write them on the forms and read them on the pages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from numbers import Rational

EMPTY = "—"


def plain_number(value) -> str:
    """2.00 → 2, 500.50 → 500.5: quota numbers and money without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        text = f"{Decimal(str(value)):f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def rate(part: Rational | float | int | None, whole: int | None = None, *, places: int = 1) -> Decimal | None:
    """`part` of `whole` (or the share `part` itself) in percent, as a Decimal: rounded half up, not
    truncated (2/3 is 66.7, 1/8 is 12.5). Two ends stay honest: a share short of everything is never
    100.0 (9999/10000 is 99.9), and a share above nothing is never 0.0 (1/10000 is 0.1), so a complete
    or an empty column is never claimed when it is not. No whole (0 or None) is None. The one rounding
    of percentages: `percent` shows it, the compliance engine and the workbook store it."""
    if part is None or whole == 0:
        return None
    share = Fraction(part) if whole is None else Fraction(part, whole)
    step = Decimal(1).scaleb(-places)
    value = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(step, ROUND_HALF_UP)
    if value == 100 and share < 1:
        value = Decimal(100) - step
    elif value == 0 and share > 0:
        value = step
    return value


def percent(part: Rational | float | int | None, whole: int | None = None, *, places: int = 1) -> str:
    """`rate` for the page: "66.7%"; no whole is "—"."""
    value = rate(part, whole, places=places)
    return EMPTY if value is None else f"{value:.{places}f}%"
