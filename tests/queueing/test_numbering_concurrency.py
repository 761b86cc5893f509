import threading

import pytest
from django.db import connection

from queueing import services
from queueing.models import Ticket

THREADS, PER_THREAD = 8, 10


@pytest.mark.django_db(transaction=True)
def test_parallel_kiosks_get_unique_gap_free_numbers(require_service, branch, deposit, loan, clock):
    require_service("postgres")
    errors = []
    start = threading.Barrier(THREADS)

    def kiosk(index):
        try:
            start.wait()
            for n in range(PER_THREAD):
                service = loan if (index + n) % 4 == 0 else deposit
                services.ticket_issue(issue=services.IssueRequest(
                    branch=branch, service_type=service, source="kiosk"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    for prefix in ("A", "B"):
        numbers = list(Ticket.objects.filter(prefix=prefix).values_list("number", flat=True))
        sequences = sorted(int(number[1:]) for number in numbers)
        assert len(numbers) == len(set(numbers)), f"duplicate {prefix} numbers"
        assert sequences == list(range(1, len(sequences) + 1)), f"gap in {prefix} numbers"
    assert Ticket.objects.count() == THREADS * PER_THREAD
