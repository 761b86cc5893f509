import pytest

from counter import formschema
from tests.counter.schemas import ACCOUNT_OPENING, GOOD_VALUES, VALID_CARD


def codes(result):
    return {e.field: e.code for e in result.errors}


def test_a_complete_form_submits_with_canonical_values():
    result = formschema.validate(ACCOUNT_OPENING, GOOD_VALUES, mode="submit")
    assert result.ok
    assert result.cleaned["initial_deposit"] == "1000.50"
    assert result.cleaned["id_number"].endswith("X")


def test_a_draft_may_leave_required_fields_empty():
    assert formschema.validate(ACCOUNT_OPENING, {"full_name": "张三"}, mode="draft").ok


def test_submitting_demands_required_fields():
    result = formschema.validate(ACCOUNT_OPENING, {"full_name": "张三"}, mode="submit")
    assert codes(result) == {
        "id_number": "required",
        "mobile": "required",
        "purpose": "required",
        "initial_deposit": "required",
    }


def test_a_draft_still_rejects_a_wrong_check_digit():
    result = formschema.validate(ACCOUNT_OPENING, {"id_number": "110105194912310021"}, mode="draft")
    assert codes(result) == {"id_number": "bad_resident_id"}


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("12.345", "money_decimals"),
        ("abc", "not_money"),
        ("0", "money_not_positive"),
        ("-5", "not_money"),
        ("50000.01", "above_max"),
        ("1,00", "not_money"),
    ],
)
def test_it_refuses_bad_money_amounts(amount, code):
    result = formschema.validate(ACCOUNT_OPENING, {"initial_deposit": amount}, mode="draft")
    assert codes(result) == {"initial_deposit": code}


def test_money_accepts_the_currency_symbol_and_thousands():
    result = formschema.validate(ACCOUNT_OPENING, {"initial_deposit": "¥12,000"}, mode="draft")
    assert result.cleaned["initial_deposit"] == "12000.00"


def test_a_card_number_must_pass_luhn():
    bad = VALID_CARD[:-1] + str((int(VALID_CARD[-1]) + 1) % 10)
    assert formschema.validate(ACCOUNT_OPENING, {"existing_card": VALID_CARD}, mode="draft").ok
    assert codes(formschema.validate(ACCOUNT_OPENING, {"existing_card": bad}, mode="draft")) == {
        "existing_card": "bad_card_number"
    }


def test_a_phone_number_accepts_spaces_and_country_code():
    result = formschema.validate(ACCOUNT_OPENING, {"mobile": "+86 138 1234 5678"}, mode="draft")
    assert result.cleaned["mobile"] == "13812345678"


def test_a_conditional_field_is_required_only_when_shown():
    values = {**GOOD_VALUES, "purpose": "other"}
    assert codes(formschema.validate(ACCOUNT_OPENING, values, mode="submit")) == {"purpose_other": "required"}


def test_a_hidden_conditional_answer_is_dropped():
    values = {**GOOD_VALUES, "purpose_other": "stale answer"}
    assert "purpose_other" not in formschema.validate(ACCOUNT_OPENING, values, mode="submit").cleaned


def test_an_unknown_choice_and_field_are_reported():
    result = formschema.validate(ACCOUNT_OPENING, {"purpose": "gambling", "shoe_size": "42"}, mode="draft")
    assert codes(result) == {"purpose": "bad_choice", "shoe_size": "unknown_field"}


def test_a_document_photo_must_be_an_uploaded_reference():
    result = formschema.validate(ACCOUNT_OPENING, {"id_photo": "c:/photo.jpg"}, mode="draft")
    assert codes(result) == {"id_photo": "not_an_upload"}


def test_personal_data_is_masked_by_type():
    values = formschema.validate(
        ACCOUNT_OPENING, {**GOOD_VALUES, "existing_card": VALID_CARD}, mode="submit"
    ).cleaned
    masked = formschema.masked_values(ACCOUNT_OPENING, values)
    assert masked["initial_deposit"] == "¥1,000.50"
    assert masked["id_number"] == "1101**********002X"
    assert masked["mobile"] == "138****5678"
    assert masked["full_name"].startswith("张") and "三丰" not in masked["full_name"]
    assert masked["existing_card"].endswith("0128") and "12345678" not in masked["existing_card"]
    assert masked["purpose"] == "代发工资"


def test_labels_and_help_come_in_both_languages():
    field = formschema.parse(ACCOUNT_OPENING)[1]
    assert (field.label("zh-hans"), field.label("en")) == ("身份证号码", "Resident ID number")
    assert field.help("en") == "18 characters; the last may be X"


@pytest.mark.parametrize(
    "bad",
    [
        [{"name": "a", "type": "colour"}],
        [{"name": "a", "type": "text"}, {"name": "a", "type": "text"}],
        [{"name": "b", "type": "text", "when": {"field": "a", "equals": "x"}}, {"name": "a", "type": "text"}],
        [{"name": "a", "type": "money", "currency": "XYZ"}],
        [{"name": "a", "type": "choice"}],
    ],
)
def test_malformed_schemas_are_refused(bad):
    with pytest.raises(formschema.SchemaError):
        formschema.parse(bad)
