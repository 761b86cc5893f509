"""Error reporting to Sentry (or any collector speaking its protocol), started only when
SENTRY_DSN is set. Customers' personal data stays out: no request bodies, cookies, user details
(the SDK's default) or local variables of the failing frames (they hold ID and account numbers);
each event carries the request id so it can be found in the logs."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from core.middleware import current_request_id


def _tag_request_id(event, hint):
    request_id = current_request_id()
    if request_id != "-":
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def start_error_reporting(*, dsn: str, environment: str, release: str = "") -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        max_request_body_size="never",
        include_local_variables=False,
        before_send=_tag_request_id,
        traces_sample_rate=0,
    )
