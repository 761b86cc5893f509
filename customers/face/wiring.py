"""Connects the face greeting to the rest of the system; called from CustomersConfig.ready()."""


def connect() -> None:
    from customers import hooks
    from customers.face import tasks  # noqa: F401 - registers the task and the worker start check
    from customers.face.services import on_consent_withdrawn

    if on_consent_withdrawn not in hooks.consent_withdrawn:
        hooks.consent_withdrawn.append(on_consent_withdrawn)
