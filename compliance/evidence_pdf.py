"""The readable PDF summary of an evidence bundle (bilingual; Chinese in the built-in CID font)."""

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
PDF_ROWS = 300  # rows per section in the PDF; evidence.json holds them all
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_body = ParagraphStyle("body", fontName=FONT, fontSize=8, leading=10)
_heading = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=16, spaceBefore=8)
_title = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=20)


def _p(text) -> Paragraph:
    text = "" if text is None else str(text)
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped, _body)


def _table(header: list[str], rows: list[list], widths: list[float]) -> Table:
    table = Table([[_p(h) for h in header]] + [[_p(c) for c in row] for row in rows[:PDF_ROWS]],
                  colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _section(story: list, title: str, header, rows, widths) -> None:
    story.append(Paragraph(f"{title}（{len(rows)}）", _heading))
    if rows:
        story.append(_table(header, rows, widths))
        if len(rows) > PDF_ROWS:
            story.append(_p(f"… 其余 {len(rows) - PDF_ROWS} 条见 evidence.json / "
                            f"{len(rows) - PDF_ROWS} more rows in evidence.json"))
    else:
        story.append(_p("无 / none"))


def _results_text(results: list[dict]) -> str:
    return "; ".join(f"{r['rule']}={r['outcome']}" for r in results)


def _images(story: list, images: list[tuple[str, bytes]]) -> None:
    """Signature images inline, so the PDF alone shows who signed."""
    for name, content in images[:PDF_ROWS]:
        try:
            image = Image(io.BytesIO(content))
        except (OSError, ValueError):  # not an image reportlab can read: stays in files/ only
            continue
        scale = min(1.0, (80 * mm) / image.imageWidth, (30 * mm) / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        story += [_p(name), image]


def summary_pdf(document: dict, images: list[tuple[str, bytes]] = ()) -> bytes:
    chain = document["chain_verification"]
    chain_text = (f"完整 / intact — {chain['checked']} events verified" if chain["ok"] else
                  f"已损坏 / BROKEN at #{chain['first_bad_seq']}: {chain['problem']}")
    filters = ", ".join(f"{k}={v}" for k, v in document["filters"].items()) or "—"
    story = [
        Paragraph("合规证据包 / Compliance evidence bundle", _title),
        _p(f"生成时间 Generated: {document['generated_at']}  生成人 By: {document['generated_by']}"),
        _p(f"检索条件 Filters: {filters}"),
        _p(f"审计链校验 Audit chain verification: {chain_text}"),
        Spacer(1, 4 * mm),
    ]
    _section(story, "规则检查 Rule evaluations",
             ["时间 Time", "网点 Branch", "业务 Business", "业务记录 Record", "客户 Customer",
              "柜员 Staff", "结果 Outcome", "明细 Results"],
             [[e["time"][:19], e["branch"], e["business_type"], e["service_record"],
               e["customer_id"], e["staff"], e["outcome"], _results_text(e["results"])]
              for e in document["evaluations"]],
             [30, 16, 26, 40, 16, 20, 16, 100])
    _section(story, "双录记录 Recordings",
             ["业务记录 Record", "录像编号 Recording id", "开始 Start", "结束 End", "关联人 Attached by"],
             [[r["service_record"], r["recording_id"], r["started_at"][:19], r["ended_at"][:19],
               r["attached_by"]] for r in document["recordings"]],
             [50, 50, 40, 40, 40])
    _section(story, "风险揭示确认 Disclosure confirmations",
             ["业务记录 Record", "话术 Script", "版本 Version", "确认时间 Confirmed", "内容 Text"],
             [[d["service_record"], d["script"], d["version"], d["confirmed_at"][:19],
               d["text_zh_hans"]] for d in document["disclosures"]],
             [45, 30, 15, 35, 140])
    _section(story, "确认步骤 Confirmed steps",
             ["业务记录 Record", "步骤 Step", "确认时间 Confirmed", "确认人 By", "回答 Answers"],
             [[c["service_record"], c["step"], c["confirmed_at"][:19], c["confirmed_by"],
               "; ".join(f"{k}: {v}" for k, v in c["answers"].items())]
              for c in document["steps"]],
             [50, 35, 35, 25, 120])
    _section(story, "复核申请 Maker-checker requests",
             ["类型 Kind", "状态 Status", "对象 Record", "申请人 Maker", "复核人 Checker",
              "理由 Reason", "变更 Change"],
             [[c["kind"], c["status"], c["record"], c["maker"], c["checker"],
               c["reason"] or c["decision_note"],
               "; ".join(f"{d['field']}: {d['before']} → {d['after']}" for d in c["diff"])]
              for c in document["change_requests"]],
             [25, 20, 50, 20, 20, 50, 80])
    _section(story, "签名与附件 Signatures and files",
             ["文件 File", "类型 Type", "SHA-256"],
             [[f["name"], f["content_type"], f["sha256"]] for f in document["files"]],
             [80, 40, 145])
    _images(story, list(images))
    _section(story, "审计事件 Audit events",
             ["序号 Seq", "时间 Time", "操作人 Actor", "网点 Branch", "操作 Action", "对象 Object",
              "摘要 Summary", "哈希 Hash"],
             [[e["seq"], e["time"][:19], e["actor"], e["branch"], e["action"], e["object"],
               e["summary"], e["hash"][:16]] for e in document["audit_events"]],
             [14, 30, 22, 16, 36, 40, 80, 30])
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), title="Compliance evidence bundle",
                      leftMargin=10 * mm, rightMargin=10 * mm, topMargin=10 * mm,
                      bottomMargin=10 * mm).build(story)
    return buffer.getvalue()
