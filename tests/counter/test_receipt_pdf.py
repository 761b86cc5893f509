from counter.receipt_pdf import ReceiptContent, render_pdf
from tests.counter.test_images import png


def test_the_receipt_pdf_embeds_the_chinese_font_and_signature():
    pdf = render_pdf(
        ReceiptContent(
            title="业务回单",
            number="R-20261122-0001",
            lines=[("业务", "开立借记卡账户"), ("结果", "已办结")],
            form_heading="表单",
            form_rows=[("姓名", "张**")],
            signature_png=png(),
            signature_caption="客户签名",
            footer="sha256 abc",
        )
    )
    assert pdf.startswith(b"%PDF") and b"STSong-Light" in pdf and b"/Image" in pdf


def test_a_korean_receipt_draws_its_words_in_a_hangul_font_and_the_values_in_the_chinese_one():
    pdf = render_pdf(
        ReceiptContent(
            title="서비스 영수증",
            number="R-20261122-0002",
            lines=[("지점", "测试支行"), ("결과", "완료")],
            form_heading="신청서",
            form_rows=[("Purpose", "装修付款", "창구에서 확인")],
            signature_caption="고객 서명",
            footer="sha256 abc",
            language="ko",
        )
    )
    assert b"HYSMyeongJo-Medium" in pdf and b"STSong-Light" in pdf


def test_a_korean_value_such_as_the_outcome_is_drawn_in_the_hangul_font_not_as_empty_boxes():
    from counter.receipt_pdf import FONT, _value_font

    korean = ReceiptContent(title="", number="", lines=[], form_heading="", language="ko")
    assert _value_font(korean, "완료") == "HYSMyeongJo-Medium"
    assert _value_font(korean, "装修付款") == FONT
    assert _value_font(ReceiptContent(title="", number="", lines=[], form_heading=""), "完成") == FONT
