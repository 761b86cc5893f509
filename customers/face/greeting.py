"""How the kiosk addresses a recognised customer: surname and title, never the full name."""

from django.utils.translation import gettext as _

# Two-character surnames, so that 欧阳娜娜 is greeted as 欧阳女士 and not 欧女士.
COMPOUND_SURNAMES = frozenset([
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "申屠", "澹台", "太史",
    "闻人", "万俟", "钟离", "宗政", "濮阳", "淳于", "单于", "公羊", "赫连", "拓跋",
])


def surname(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    if name.isascii():
        return name.split()[-1]
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def sex_from_resident_id(id_number: str) -> str | None:
    """'male' / 'female' from the 17th digit of an 18-digit resident ID (odd: male), else None."""
    if len(id_number) == 18 and id_number[16].isdigit():
        return "male" if int(id_number[16]) % 2 else "female"
    return None


def polite_address(*, name: str, sex: str | None) -> str:
    """王先生 / 王女士 / 王先生/女士 — in the active language."""
    family = surname(name)
    if sex == "male":
        return _("Mr %(surname)s") % {"surname": family}
    if sex == "female":
        return _("Ms %(surname)s") % {"surname": family}
    return _("Mr/Ms %(surname)s") % {"surname": family}
