"""The recognisers: citizen ID (GB 11643 check digit), mainland mobile, bank card (Luhn)."""

import pytest

from privacy.personal_data import (
    BANK_CARD,
    CITIZEN_ID,
    MOBILE,
    is_citizen_id,
    mask_personal_data,
    mask_values,
    passes_luhn,
)

ID = "11010519491231002X"


def with_check_digit(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def luhn_card(stem: str) -> str:
    return next(stem + d for d in "0123456789" if passes_luhn(stem + d))


CARD = luhn_card("621700012345678901")


@pytest.mark.parametrize(
    "number, valid",
    [
        (ID, True),
        (ID.lower(), True),
        (with_check_digit("44030119900307123"), True),
        ("110105194912310021", False),  # wrong check digit
        (with_check_digit("44030119901307123"), False),  # month 13
        ("11010519491231002", False),  # 17 digits
    ],
)
def test_a_citizen_id_needs_its_birth_date_and_check_digit(number, valid):
    assert is_citizen_id(number) is valid


@pytest.mark.parametrize(
    "text, masked, kinds",
    [
        (
            f"My ID number is {ID}, can you check my card?",
            "My ID number is 110105********002X, can you check my card?",
            (CITIZEN_ID,),
        ),
        ("我的手机号是13812345678，卡丢了", "我的手机号是138****5678，卡丢了", (MOBILE,)),
        ("call +86 138-1234-5678 please", "call 138****5678 please", (MOBILE,)),
        ("call 138 1234 5678", "call 138****5678", (MOBILE,)),
        (f"卡号{CARD}", f"卡号{CARD[:6]}{'*' * (len(CARD) - 10)}{CARD[-4:]}", (BANK_CARD,)),
        (
            f"card {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}",
            f"card {CARD[:6]}{'*' * (len(CARD) - 10)}{CARD[-4:]}",
            (BANK_CARD,),
        ),
        (f"{ID} and 13912345678", "110105********002X and 139****5678", (CITIZEN_ID, MOBILE)),
    ],
)
def test_personal_numbers_are_masked_keeping_their_ends(text, masked, kinds):
    result = mask_personal_data(text)
    assert result.text == masked
    assert result.kinds == kinds


@pytest.mark.parametrize(
    "text",
    [
        "call 12333 for help",
        "order 110105194912310021 is late",  # an 18-digit number that is no citizen ID
        "phone 12812345678",  # 12x is not a mobile prefix
        "number 1381234567890123",  # a longer run of digits, and not a Luhn number
        "in 2024 I paid 150 yuan",
        CARD[:-1] + str((int(CARD[-1]) + 1) % 10),  # fails Luhn
    ],
)
def test_other_numbers_are_left_alone(text):
    assert mask_personal_data(text).text == text
    assert mask_personal_data(text).kinds == ()


def test_metadata_is_masked_all_the_way_down():
    assert mask_values({"a": [f"id {ID}", {"b": "13812345678"}], "n": 3}) == {
        "a": ["id 110105********002X", {"b": "138****5678"}],
        "n": 3,
    }
