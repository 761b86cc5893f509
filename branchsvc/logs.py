"""JSON log lines for the log shipper: one object per line with the request id on each."""

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter


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
        )
