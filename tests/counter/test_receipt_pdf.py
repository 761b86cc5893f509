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
