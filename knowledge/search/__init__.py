"""Search core: pure Python, no Django. See docs/knowledge.md."""

from .analyzer import Analyzer, Query, QueryTerm, SynonymTable, Vocabulary, default_analyzer
from .engine import Document, SearchIndex, index_fields, make_snippet, plain_text
from .ranking import Candidate, Hit, rank, selecting_terms

__all__ = [
    "Analyzer", "Candidate", "Document", "Hit", "Query", "QueryTerm", "SearchIndex", "SynonymTable",
    "Vocabulary", "default_analyzer", "index_fields", "make_snippet", "plain_text", "rank",
    "selecting_terms",
]
