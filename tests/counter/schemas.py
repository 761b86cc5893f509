"""A realistic form schema for tests: opening a debit card account."""

VALID_ID = "11010519491231002X"
VALID_CARD = "6222021234567890128"

ACCOUNT_OPENING = [
    {
        "name": "full_name",
        "type": "text",
        "required": True,
        "pii": True,
        "label": {"zh-hans": "姓名", "en": "Full name"},
        "help": {"zh-hans": "与身份证一致", "en": "As on your ID card"},
    },
    {
        "name": "id_number",
        "type": "resident_id",
        "required": True,
        "pii": True,
        "label": {"zh-hans": "身份证号码", "en": "Resident ID number"},
        "help": {"zh-hans": "18位，最后一位可能是X", "en": "18 characters; the last may be X"},
    },
    {
        "name": "mobile",
        "type": "phone",
        "required": True,
        "pii": True,
        "label": {"zh-hans": "手机号码", "en": "Mobile number"},
        "help": {"zh-hans": "", "en": ""},
    },
    {
        "name": "address",
        "type": "address",
        "pii": True,
        "label": {"zh-hans": "联系地址", "en": "Address"},
        "help": {"zh-hans": "", "en": ""},
    },
    {
        "name": "purpose",
        "type": "choice",
        "required": True,
        "label": {"zh-hans": "开户用途", "en": "Purpose"},
        "choices": [
            {"value": "salary", "label": {"zh-hans": "代发工资", "en": "Salary"}},
            {"value": "other", "label": {"zh-hans": "其他", "en": "Other"}},
        ],
    },
    {
        "name": "purpose_other",
        "type": "text",
        "required": True,
        "when": {"field": "purpose", "equals": "other"},
        "label": {"zh-hans": "其他用途", "en": "Other purpose"},
    },
    {
        "name": "initial_deposit",
        "type": "money",
        "currency": "CNY",
        "required": True,
        "max": 50000,
        "label": {"zh-hans": "首存金额", "en": "Initial deposit"},
    },
    {
        "name": "existing_card",
        "type": "card_number",
        "pii": True,
        "label": {"zh-hans": "已有银行卡号", "en": "Existing card number"},
    },
    {"name": "id_expiry", "type": "date", "label": {"zh-hans": "证件有效期至", "en": "ID valid until"}},
    {
        "name": "id_photo",
        "type": "document_photo",
        "pii": True,
        "ocr": True,
        "label": {"zh-hans": "身份证照片", "en": "ID card photo"},
    },
]

GOOD_VALUES = {
    "full_name": "张三丰",
    "id_number": VALID_ID,
    "mobile": "13812345678",
    "purpose": "salary",
    "initial_deposit": "1,000.5",
}
