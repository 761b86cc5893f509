"""Colloquial shapes of a question and the phrase an article uses for them: general rules over a
verb or a purpose, not words taken from any one question. Pure: no Django, no segmenter."""

from __future__ import annotations

import re

# How customers say that something did not go through or is short, and the phrase an article
# uses for it: 没扣成功 / 扣不了 → 扣款失败, 转不出去 → 转账失败, 钱不够 / 余额不够 → 余额不足.
# General rules over a verb, not words taken from any one question.
_VERB_NOUN = {"扣": "扣款", "转": "转账", "汇": "汇款", "付": "支付", "还": "还款", "取": "取款",
              "存": "存款", "缴": "缴费", "交": "缴费", "登": "登录", "激活": "激活", "绑": "绑定",
              "提": "提现", "充": "充值"}
_VERBS = "|".join(sorted(_VERB_NOUN, key=len, reverse=True))
_FAILED = re.compile(rf"(?:没有?|未|没能)({_VERBS})(?:款|账)?(?:成功|上|进去|出去|过去|出来)"
                     rf"|({_VERBS})(?:款|账)?(?:不成功|没成功|失败了?|不了|不出去|不进去|不过去|不出来)")
_SHORT = re.compile(r"(钱|余额|存款|额度|资金)(?:不够|不足|不太够|差一点|差点)")
# "How much can I transfer / withdraw" is what an article calls the limit (转账限额, 取款限额);
# "how much can I borrow" its 额度.
_HOW_MUCH = re.compile(rf"(?:能|可以|最多|最高|一天|每天)(?:能|可以)?({_VERBS}|借|贷)(?:款|账|钱)?"
                       r"(?:多少|几万|几千)")
# Doing it for a family member (替我爸办, 帮我妈去取) is what articles call 代办.
_FOR_SOMEONE = re.compile(r"(?:替|帮|代)(?:他|她|我爸|我妈|爸|妈|父母|老人|家人|家里人|孩子|老公|老婆|爱人)"
                          r"(?:去)?(?:办|取|领|签)")
# Borrowing for a purpose is that purpose's loan (买房子跟银行借钱 → 房贷, 买车借钱 → 车贷).
_PURPOSES = ((re.compile(r"买房|购房"), "房贷"), (re.compile(r"买车|购车"), "车贷"),
             (re.compile(r"装修"), "装修贷"), (re.compile(r"上大学|读大学|交学费|助学"), "助学贷款"),
             (re.compile(r"做生意|开店|进货|周转"), "经营贷"))
_BORROW = re.compile(r"借钱|借点钱|借款|贷款|贷点款|借个|贷点")


def colloquial_spans(text: str) -> list[tuple[str, str]]:
    """(the article's phrase, the colloquial span of the text it reads) for each shape found:
    没扣成功 → 扣款失败, 钱不够 → 余额不足, 能转多少 → 转账限额, 替我爸办 → 代办, 买车借钱 → 车贷."""
    found: list[tuple[str, str]] = []
    for m in _FAILED.finditer(text):
        found.append((_VERB_NOUN[m.group(1) or m.group(2)] + "失败", m.group(0)))
    for m in _SHORT.finditer(text):
        found.append(("额度不足" if m.group(1) == "额度" else "余额不足", m.group(0)))
    for m in _HOW_MUCH.finditer(text):
        verb = m.group(1)
        found.append(("额度" if verb in ("借", "贷") else _VERB_NOUN[verb] + "限额", m.group(0)))
    for m in _FOR_SOMEONE.finditer(text):
        found.append(("代办", m.group(0)))
    borrow = _BORROW.search(text)
    if borrow:
        for pattern, loan in _PURPOSES:
            purpose = pattern.search(text)
            if purpose:
                found.append((loan, text[min(purpose.start(), borrow.start()):
                                          max(purpose.end(), borrow.end())]))
    return found
