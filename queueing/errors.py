from django.core.exceptions import ValidationError


class TicketStateError(ValidationError):
    """The ticket or counter is not in a state that allows this step (HTTP 409), e.g. calling
    from a closed counter or finishing a ticket nobody started serving."""

    status_code = 409  # the API answers {"code": "conflict", ...} (core.api_errors)
    api_code = "conflict"
