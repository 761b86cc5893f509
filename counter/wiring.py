"""What counter registers in the hooks of lower apps; called from `CounterConfig.ready`."""

from compliance.hooks import register_evidence_provider, register_service_record_source
from counter import compliance_hooks, queue_callbacks
from queueing import hooks as queueing_hooks


def connect() -> None:
    # Finished service records and their evidence (signatures, receipts) feed the compliance search.
    register_service_record_source(compliance_hooks.service_records)
    register_evidence_provider(compliance_hooks.evidence)
    # A customer who walks away during service closes the open service record as not done.
    if queue_callbacks.close_record_customer_left not in queueing_hooks.ticket_left:
        queueing_hooks.ticket_left.append(queue_callbacks.close_record_customer_left)
