"""What knowledge connects at start-up; called from `KnowledgeConfig.ready`."""

from knowledge.hooks import register_handoff
from servicedesk.services import work_order_from_handoff


def connect() -> None:
    # The assistant's hand-offs to a person open a work order at the service desk.
    register_handoff(work_order_from_handoff)
