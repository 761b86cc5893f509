"""Every write to the knowledge base, and the read API other apps call.

- `articles`: drafting, review workflow, publishing, archiving, readers and change notices,
  the synonym table, knowledge cards (`cards_for_service`).
- `assistant`: the FAQ assistant (`assistant_ask`).
- `imports`: kb_import / kb_export and the editors' web import.
"""

from knowledge.services.articles import (
    Card,
    Content,
    article_archive,
    article_attach,
    article_confirm_current,
    article_create,
    article_pin,
    article_record_view,
    article_save_draft,
    article_update_links,
    cards_for_service,
    notices_mark_read,
    periodic_review_scan,
    review_clock_scan,
    synonym_group_delete,
    synonym_group_save,
    version_approve,
    version_publish_due,
    version_reject,
    version_submit,
)
from knowledge.services.assistant import FRAUD_STEPS, AssistantReply, assistant_ask
from knowledge.services.imports import articles_export, articles_import, articles_import_upload

__all__ = [
    "FRAUD_STEPS", "AssistantReply", "Card", "Content", "article_archive", "article_attach",
    "article_confirm_current", "article_create", "article_pin", "article_record_view",
    "article_save_draft", "article_update_links", "articles_export", "articles_import",
    "articles_import_upload", "assistant_ask", "cards_for_service", "notices_mark_read",
    "periodic_review_scan", "review_clock_scan", "synonym_group_delete", "synonym_group_save",
    "version_approve", "version_publish_due", "version_reject", "version_submit",
]
