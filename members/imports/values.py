"""Turn one raw cell into a typed value, or a Chinese message saying what is wrong with it."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from liaison.validators import normalise_phone, validate_id_number, validate_phone
from members.imports.columns import Col

NUMBER = "请填写数字。"
NEGATIVE = "不能为负数。"
YEAR = "请填写四位年份，如 1970。"
DATE = "日期格式不对，请写成 1970-01-02。"
BOOL = "只能填“是”或“否”。"
CHOICE = "只能填：{choices}。"
ID_AS_NUMBER = "身份证号被 Excel 存成了数字，末几位可能已丢失：请把该列设为“文本”格式后重新填写。"

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_UNITS = re.compile(r"(元|万元|平方米|平米|㎡|m2|,|，|\s)")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "n", "no", "false", "0", ""}


class Bad(ValueError):
    """A cell that cannot be read; the message is for the clerk."""


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def parse(col: Col, value: object):
    """The typed value of a cell for `col`; None or "" when blank. Raises Bad."""
    if col.kind == "id_number":
        if isinstance(value, int | float):
            raise Bad(ID_AS_NUMBER)
        return _validated(validate_id_number, as_text(value).upper())
    if col.kind == "phone":
        return _validated(validate_phone, normalise_phone(as_text(value)))
    text = as_text(value)
    if col.kind == "text":
        return text
    if text == "":
        return None
    return PARSERS[col.kind](col, value, text)


def _validated(validator, value: str) -> str:
    """The same validators as the forms, so a cell gets the message a field would."""
    try:
        validator(value)
    except ValidationError as exc:
        raise Bad(exc.messages[0]) from exc
    return value


def _decimal(col: Col, value: object, text: str) -> Decimal:
    try:
        number = (
            Decimal(str(value)) if isinstance(value, int | float | Decimal) else Decimal(_UNITS.sub("", text))
        )
    except InvalidOperation as exc:
        raise Bad(NUMBER) from exc
    if not number.is_finite():
        raise Bad(NUMBER)
    if number < 0:
        raise Bad(NEGATIVE)
    return number.quantize(Decimal("0.01"))


def _year(col: Col, value: object, text: str) -> int:
    if isinstance(value, datetime.date):
        return value.year
    if not re.fullmatch(r"\d{4}", text.removesuffix("年")):
        raise Bad(YEAR)
    return int(text.removesuffix("年"))


def _date(col: Col, value: object, text: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise Bad(DATE)
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise Bad(DATE) from exc


def _bool(col: Col, value: object, text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Bad(BOOL)


def _choice(col: Col, value: object, text: str) -> str:
    if text not in col.choices:
        raise Bad(CHOICE.format(choices="、".join(f"“{c}”" for c in col.choices)))
    return text


PARSERS = {"decimal": _decimal, "year": _year, "date": _date, "bool": _bool, "choice": _choice}
