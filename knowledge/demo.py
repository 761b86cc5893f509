"""Demo knowledge base: the articles in knowledge/demo_content, published."""

from knowledge.demo_content import ARTICLES
from knowledge.services import articles_import
from knowledge.services.imports import import_problems
from knowledge.transfer import parse_import


def seed(*, stdout) -> None:
    records, errors = parse_import(ARTICLES.read_text(encoding="utf-8"))
    errors = errors or import_problems(records, publish=True)
    if errors:
        raise RuntimeError("demo knowledge content is invalid: " + "; ".join(map(str, errors[:5])))
    summary = articles_import(actor=None, records=records, publish=True)
    stdout.write(f"knowledge: {summary['created']} articles published")
