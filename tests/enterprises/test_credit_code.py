"""统一社会信用代码 normalisation and validation (docs/domain.md, GB 32100-2015)."""

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enterprises.credit_code import (
    ALPHABET,
    check_character,
    division_matches_region,
    division_warning,
    normalize,
    org_check_character,
    validate,
)

HUAWEI = "914403001922038216"
TENCENT = "91440300708461136T"
VALID = [HUAWEI, TENCENT, "91330100716105852F", "91110000600037341L"]

HUBEI = SimpleNamespace(code="42", name="湖北省", division_prefix="42")
GUANGDONG = SimpleNamespace(code="44", name="广东省", division_prefix="44")
XPCC = SimpleNamespace(code="66", name="新疆生产建设兵团", division_prefix="6590")


def issue_codes(result):
    return [issue.code for issue in result.errors]


# --- known codes -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", VALID)
def test_published_valid_code_passes(code):
    result = validate(code)
    assert result.ok
    assert result.errors == ()
    assert result.org_mismatch is None


def test_check_character_of_huawei_is_6():
    assert check_character(HUAWEI[:17]) == "6"


def test_org_check_character_of_tencent_is_6():
    assert org_check_character("70846113") == "6"


def test_org_check_character_writes_ten_as_x():
    # S = 6 x 2 = 12, 12 mod 11 = 1, 11 - 1 = 10
    assert org_check_character("00000006") == "X"


def test_org_check_character_writes_eleven_as_zero():
    # S = 0, 11 - 0 = 11
    assert org_check_character("00000000") == "0"


def test_org_check_character_values_letters_by_ord_minus_55():
    # M = 77 - 55 = 22, A = 10: S = 22 x 3 + 10 x 7 = 136, 136 mod 11 = 4, 11 - 4 = 7
    assert org_check_character("MA000000") == "7"


def test_wrong_check_character_names_the_expected_one():
    result = validate("914403001922038217")
    assert issue_codes(result) == ["check_character"]
    assert "第18位应为6" in str(result.errors[0].message)


def test_wrong_letter_check_character_names_the_expected_letter():
    result = validate("91440300708461136A")
    assert issue_codes(result) == ["check_character"]
    assert "第18位应为T" in str(result.errors[0].message)


def test_letter_o_is_rejected_with_its_position():
    result = validate("91110000MA0O00000X")
    assert issue_codes(result) == ["alphabet"]
    message = str(result.errors[0].message)
    assert "第12位" in message and "O" in message


def test_organisation_check_mismatch_is_reported_apart_from_errors():
    result = validate("91440300192203825J")
    assert result.errors == ()
    assert result.org_mismatch.code == "org_check"
    assert not result.ok


def test_organisation_check_mismatch_names_the_expected_character():
    result = validate("91440300192203825J")
    assert "第17位应为1" in str(result.org_mismatch.message)


# --- structure ---------------------------------------------------------------------------------


def test_wrong_length_reports_the_actual_length():
    result = validate("91440300192203821")
    assert issue_codes(result) == ["length"]
    assert "当前为17位" in str(result.errors[0].message)


def test_empty_input_is_a_length_error():
    assert issue_codes(validate("   ")) == ["length"]


def test_registration_authority_outside_the_allowed_set_is_an_error():
    body = "B1440300192203821"
    result = validate(body + check_character(body))
    assert "registration_authority" in issue_codes(result)


def test_registration_authority_letter_y_is_allowed():
    body = "Y1440300192203821"
    assert validate(body + check_character(body)).ok


def test_non_digit_division_is_an_error():
    body = "9144A300192203821"
    result = validate(body + check_character(body))
    assert issue_codes(result) == ["division_digits"]
    assert result.division is None


def test_division_is_positions_3_to_8():
    assert validate(HUAWEI).division == "440300"


# --- normalisation -----------------------------------------------------------------------------


def test_full_width_digits_are_normalised():
    result = validate("９１４４０３００１９２２０３８２１６")
    assert result.code == HUAWEI
    assert result.ok


def test_spaces_and_hyphens_are_dropped():
    result = validate("91-4403 0019 2203 8216")
    assert result.code == HUAWEI
    assert result.ok


def test_lower_case_is_upper_cased():
    result = validate("91440300708461136t")
    assert result.code == TENCENT
    assert result.ok


def test_full_width_space_and_hyphen_and_padding_are_dropped():
    assert normalize("\u3000９１４４０３００－1922\u00a0038216 \t") == HUAWEI


# --- region ------------------------------------------------------------------------------------


def test_division_matches_its_province():
    assert division_matches_region(HUAWEI, "44", "44")


def test_xpcc_matches_by_its_6590_prefix_not_its_internal_code():
    body = "91659001123456780"
    code = body[:16] + org_check_character(body[8:16])
    code += check_character(code)
    assert division_matches_region(code, XPCC.code, XPCC.division_prefix)
    assert division_warning(code, XPCC) is None


def test_plain_xinjiang_code_does_not_match_xpcc():
    assert not division_matches_region("916501001234567801", XPCC.code, XPCC.division_prefix)


def test_guangdong_code_under_hubei_gives_a_warning():
    warning = division_warning(HUAWEI, HUBEI)
    assert "440300" in str(warning)
    assert "湖北省" in str(warning)


def test_guangdong_code_under_guangdong_gives_no_warning():
    assert division_warning(HUAWEI, GUANGDONG) is None


# --- properties --------------------------------------------------------------------------------

alphabet_char = st.sampled_from(ALPHABET)


@st.composite
def valid_codes(draw):
    division = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    org = draw(st.text(alphabet=ALPHABET, min_size=8, max_size=8))
    body = "91" + division + org + org_check_character(org)
    return body + check_character(body)


@settings(max_examples=200, deadline=None)
@given(valid_codes())
def test_every_generated_valid_code_passes(code):
    assert validate(code).ok


@settings(max_examples=200, deadline=None)
@given(valid_codes(), st.integers(min_value=0, max_value=17), alphabet_char)
def test_any_single_character_change_is_rejected(code, position, replacement):
    if code[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
    changed = code[:position] + replacement + code[position + 1 :]
    result = validate(changed)
    assert result.errors or result.org_mismatch


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalize_is_idempotent(raw):
    once = normalize(raw)
    assert normalize(once) == once
