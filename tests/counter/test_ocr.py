import io

from PIL import Image, ImageDraw, ImageFont

from counter import ocr
from tests.counter.schemas import ACCOUNT_OPENING, VALID_ID

ID_CARD_TEXT = f"Name ZHANG SAN\nAddress 1 Chang An Avenue Beijing\nID {VALID_ID}\nTel 13812345678"


def test_it_proposes_only_values_that_pass_the_field_checks():
    text = "姓名 张三丰\n住址 北京市东城区长安街1号\n公民身份号码 110105194912310021\n" + VALID_ID
    proposals = {p.field: p.value for p in ocr.propose(ACCOUNT_OPENING, text)}
    assert proposals == {"full_name": "张三丰", "address": "北京市东城区长安街1号", "id_number": VALID_ID}


def test_it_reads_an_id_card_photo(require_service):
    require_service("tesseract")
    image = Image.new("L", (1400, 420), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    ImageDraw.Draw(image).multiline_text((30, 30), ID_CARD_TEXT, fill=0, font=font, spacing=30)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    proposals = {p.field: p.value for p in ocr.propose(ACCOUNT_OPENING, ocr.read_text(buffer.getvalue()))}
    assert proposals["id_number"] == VALID_ID
    assert proposals["mobile"] == "13812345678"
