"""统一社会信用代码 (GB 32100-2015): normalisation and validation.

Pure Python, no models. See docs/domain.md, section "统一社会信用代码 (GB 32100-2015)".

- position 18 is the code's own check character (weights 3^(i-1) mod 31, alphabet of 31 characters);
- position 17 is the check character of the organisation code (GB 11714) over positions 9..16.

A wrong position-18 character (and any structural fault) is an error. A wrong position-17 character is
reported apart, as ``org_mismatch``, because a user with the right role may confirm such a code by hand
(some legal codes from the 2015 Fujian pilot fail that check).

Messages are lazy: they are rendered in the language active when they are turned into text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
VALUES = {char: value for value, char in enumerate(ALPHABET)}

LENGTH = 18
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
REGISTRATION_AUTHORITIES = frozenset("123456789ANY")

# Whitespace of any kind and the hyphen/dash variants people paste into the field.
_DROP = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]+")


def _interpolate(message, params):
    return message % params


_interpolate_lazy = lazy(_interpolate, str)


@dataclass(frozen=True)
class CreditCodeIssue:
    """One finding about a credit code: a machine ``code`` and a translatable ``message``."""

    code: str  # "length", "alphabet", "registration_authority", "division_digits", "check_character", "org_check"
    message: str  # lazy, translatable

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class CreditCodeCheck:
    """The outcome of :func:`validate`.

    ``errors`` are faults that no one may override; ``org_mismatch`` is the organisation-code check
    failing, which a user with the right role may confirm. ``division`` is positions 3–8 when they are
    six digits, else ``None``.
    """

    code: str
    errors: tuple[CreditCodeIssue, ...] = ()
    org_mismatch: CreditCodeIssue | None = None
    division: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.org_mismatch is None

    @property
    def issues(self) -> tuple[CreditCodeIssue, ...]:
        """Every finding, errors first, then the organisation-code mismatch if any."""
        return (*self.errors, self.org_mismatch) if self.org_mismatch else self.errors


def normalize(raw: str) -> str:
    """Trim, full-width to half-width, upper-case, drop whitespace and hyphens.

    NFKC maps full-width forms (and U+3000) to ASCII. The steps are repeated until nothing changes,
    because each can undo another's work on stray input (dropping a hyphen lets a combining mark compose;
    upper-casing some Greek letters yields a decomposed form), and normalising twice must change nothing.
    """
    text = raw or ""
    for _round in range(10):
        step = _DROP.sub("", unicodedata.normalize("NFKC", text).upper())
        if step == text:
            break
        text = step
    return text


def check_character(first17: str) -> str:
    """The position-18 check character for the first 17 characters (which must be in ALPHABET)."""
    if len(first17) != 17:
        raise ValueError("check_character needs 17 characters")
    total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _org_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - 55
    raise ValueError(f"not an organisation-code character: {char!r}")


def org_check_character(org8: str) -> str:
    """The GB 11714 organisation-code check character for its 8 body characters (positions 9–16)."""
    if len(org8) != 8:
        raise ValueError("org_check_character needs 8 characters")
    total = sum(_org_value(char) * weight for char, weight in zip(org8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def _issue(code: str, message, **params) -> CreditCodeIssue:
    return CreditCodeIssue(code=code, message=_interpolate_lazy(message, params) if params else message)


def _division(code: str) -> str | None:
    part = code[2:8]
    return part if len(code) == LENGTH and part.isascii() and part.isdigit() else None


def validate(raw: str) -> CreditCodeCheck:
    """Normalise ``raw`` and check it; see :class:`CreditCodeCheck`."""
    code = normalize(raw)
    errors: list[CreditCodeIssue] = []

    if len(code) != LENGTH:
        errors.append(_issue("length", _("统一社会信用代码应为18位，当前为%(n)d位。"), n=len(code)))

    bad = next(((pos, char) for pos, char in enumerate(code, start=1) if char not in VALUES), None)
    if bad:
        pos, char = bad
        errors.append(
            _issue(
                "alphabet",
                _("统一社会信用代码第%(pos)d位含有不允许的字符“%(char)s”（不使用字母I、O、S、V、Z）。"),
                pos=pos,
                char=char,
            )
        )

    if code and code[0] in VALUES and code[0] not in REGISTRATION_AUTHORITIES:
        errors.append(
            _issue(
                "registration_authority",
                _("统一社会信用代码第1位（登记管理部门）应为1–9、A、N或Y，实为%(char)s。"),
                char=code[0],
            )
        )

    division = _division(code)
    if len(code) == LENGTH and division is None:
        errors.append(_issue("division_digits", _("统一社会信用代码第3–8位（行政区划代码）应为数字。")))

    org_mismatch = None
    if len(code) == LENGTH and not bad:
        expected = check_character(code[:17])
        if code[17] != expected:
            errors.append(
                _issue(
                    "check_character",
                    _("校验码错误：第18位应为%(expected)s，实为%(actual)s。"),
                    expected=expected,
                    actual=code[17],
                )
            )
        expected_org = org_check_character(code[8:16])
        if code[16] != expected_org:
            org_mismatch = _issue(
                "org_check",
                _(
                    "组织机构代码校验不符：第17位应为%(expected)s，实为%(actual)s。如确认代码无误，可由有权限的用户人工确认。"
                ),
                expected=expected_org,
                actual=code[16],
            )

    return CreditCodeCheck(code=code, errors=tuple(errors), org_mismatch=org_mismatch, division=division)


def division_matches_region(code: str, region_code: str, division_prefix: str) -> bool:
    """Whether positions 3–8 of ``code`` start with the region's division prefix.

    ``division_prefix`` is the region's GB/T 2260 prefix ("42" for Hubei, "6590" for the XPCC, whose
    internal region code 66 is not from the standard); when it is empty, ``region_code`` is used.
    False when the code has no readable division.
    """
    division = _division(normalize(code))
    prefix = division_prefix or region_code
    return division is not None and bool(prefix) and division.startswith(prefix)


def division_warning(code: str, region) -> str | None:
    """A translatable warning (not an error) when the code's division does not match ``region``.

    ``region`` is anything with ``code``, ``name`` and ``division_prefix`` attributes. Returns None when
    they match, or when the code has no readable division (``validate`` reports that as an error).
    """
    division = _division(normalize(code))
    if division is None or division_matches_region(code, region.code, region.division_prefix):
        return None
    return _interpolate_lazy(
        _("信用代码中的行政区划代码 %(division)s 与所属地区 %(region)s 不一致，请核对。"),
        {"division": division, "region": str(region)},
    )
