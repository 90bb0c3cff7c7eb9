"""Field validators for personal data, with the Chinese messages the clerk sees next to the field."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

PHONE_INVALID = "请输入正确的联系电话：11位手机号（如 13812345678）或带区号的座机号（如 023-66231234）。"
ID_NUMBER_INVALID = "请输入正确的18位身份证号（最后一位可以是 X）。"
ID_NUMBER_CHECKSUM = "身份证号校验位不对，请核对后重新输入。"

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_ID = re.compile(r"^\d{17}[\dX]$")
# GB 11643-1999 check digit weights and codes.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CODES = "10X98765432"


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s（）()]", "", value or "").replace("—", "-").replace("－", "-")


def validate_phone(value: str) -> None:
    if value and not (_MOBILE.match(value) or _LANDLINE.match(value)):
        raise ValidationError(PHONE_INVALID, code="phone")


def validate_id_number(value: str) -> None:
    if not value:
        return
    if not _ID.match(value):
        raise ValidationError(ID_NUMBER_INVALID, code="id_number")
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CODES[total % 11] != value[17]:
        raise ValidationError(ID_NUMBER_CHECKSUM, code="id_checksum")
