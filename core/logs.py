"""JSON log lines for the log shipper: one object per line with the request id on each, also on
the lines of the Celery tasks a request queued."""

from celery import signals as celery_signals
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from core.middleware import bind_request_id, current_request_id, unbind_request_id


class JsonFormatter(BaseJsonFormatter):
    """time, level, logger, message and request_id, then whatever `extra` a caller passed.
    Django's request object on 4xx/5xx lines is left out: its id is already there, and its repr
    would print the query string."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            ["levelname", "name", "message", "request_id"],
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",
            reserved_attrs=[*RESERVED_ATTRS, "request", "server_time"],
            # Chinese as Chinese: operators read and grep these lines (SMS texts, names of
            # work orders), and \u escapes made a printed receipt SMS unsearchable.
            json_ensure_ascii=False,
        )


@celery_signals.before_task_publish.connect
def _send_request_id(headers=None, **kwargs):
    request_id = current_request_id()
    if headers is not None and request_id != "-":
        headers.setdefault("request_id", request_id)


_bound: dict[str, object] = {}


@celery_signals.task_prerun.connect
def _bind_request_id(task_id=None, task=None, **kwargs):
    request = getattr(task, "request", None)
    # A worker puts message headers on the request; an eagerly applied task keeps them apart.
    request_id = (getattr(request, "request_id", None)
                  or (getattr(request, "headers", None) or {}).get("request_id"))
    if request_id:
        _bound[task_id] = bind_request_id(request_id)


@celery_signals.task_postrun.connect
def _unbind_request_id(task_id=None, **kwargs):
    token = _bound.pop(task_id, None)
    if token is not None:
        unbind_request_id(token)
