"""Search core: pure Python, no Django. See docs/knowledge.md."""

from .analyzer import Analyzer, Query, QueryTerm, SynonymTable, Vocabulary, default_analyzer
from .engine import Document, Hit, SearchIndex, make_snippet, plain_text

__all__ = [
    "Analyzer", "Document", "Hit", "Query", "QueryTerm", "SearchIndex", "SynonymTable",
    "Vocabulary", "default_analyzer", "make_snippet", "plain_text",
]
