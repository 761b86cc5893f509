"""Callbacks higher apps register to react to a ticket's steps, inside the step's transaction.

- `ticket_left`: fn(ticket, actor) after a customer left during service (the counter app closes
  the open service record as not done).
"""

from collections.abc import Callable

ticket_left: list[Callable] = []
