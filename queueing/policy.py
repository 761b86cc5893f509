"""A branch's queueing settings, read from `Branch.queue_settings` (JSON) over these defaults.

Keys are the field names below; unknown keys and values of the wrong type are ignored with the
default kept, so a typo in the admin never stops a branch from issuing tickets.

The routing and call-next defaults ARE the engine's ``PolicyWeights`` defaults (one source): the
branch simulator (bench/simulate/) measures exactly the policy a live branch runs. A branch's
JSON holds only the keys it overrides, so changing a default reaches every branch that did not.
"""

import re
from dataclasses import dataclass, fields, replace

from queueing.engine import PolicyWeights

_ENGINE = PolicyWeights()  # the shared defaults
_CLOCK_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


@dataclass(frozen=True)
class QueueSettings:
    # Call-next and routing weights (minute-equivalents, see docs/queueing-engine.md).
    ageing_per_minute: float = _ENGINE.ageing_per_minute
    vip_weight: float = _ENGINE.vip_weight
    elderly_weight: float = _ENGINE.elderly_weight
    disability_weight: float = _ENGINE.disability_weight
    priority_ageing_multiplier: float = _ENGINE.priority_ageing_multiplier
    appointment_weight: float = _ENGINE.appointment_weight
    short_job_weight: float = _ENGINE.short_job_weight
    short_job_reference_minutes: float = _ENGINE.short_job_reference_minutes
    max_wait_minutes: float = _ENGINE.max_wait_minutes
    service_level_minutes: float = _ENGINE.service_level_minutes
    service_level_window_minutes: float = _ENGINE.service_level_window_minutes
    service_level_weight: float = _ENGINE.service_level_weight
    # A language preference waits this long for a teller speaking it, then any skilled counter
    # calls the ticket (shorter than the hard cap; part of the quoted wait).
    language_wait_minutes: float = 5.0
    self_service_for_elderly: bool = _ENGINE.self_service_for_elderly
    channel_switch_margin_minutes: float = _ENGINE.channel_switch_margin_minutes
    self_service_slack_minutes: float = _ENGINE.self_service_slack_minutes
    vip_queue_min_tier: int = _ENGINE.vip_queue_min_tier
    # Quotes count later arrivals who will be called first, at the rate of the last N minutes.
    overtaking_window_minutes: float = _ENGINE.overtaking_window_minutes
    # Lifecycle.
    recall_limit: int = 2
    no_show_after_seconds: int = 120
    # Remote tickets from the customer's phone.
    remote_max_distance_km: float = 5.0
    remote_max_arrival_minutes: int = 30
    remote_per_customer_per_day: int = 3
    # Dashboard alerts.
    alert_wait_minutes: float = 15.0
    alert_idle_minutes: float = 3.0
    alert_estimate_rise_minutes: float = 5.0
    # Turn-near notices: none is sent between these local times ("HH:MM"; empty: no quiet hours;
    # start after end spans midnight). A notice falling inside is recorded as held back, not sent.
    notice_quiet_start: str = ""
    notice_quiet_end: str = ""

    def weights(self, *, vip_prefix: str = "V", kiosk_prefix: str = "S") -> PolicyWeights:
        return PolicyWeights(
            ageing_per_minute=self.ageing_per_minute,
            vip_weight=self.vip_weight,
            elderly_weight=self.elderly_weight,
            disability_weight=self.disability_weight,
            priority_ageing_multiplier=self.priority_ageing_multiplier,
            appointment_weight=self.appointment_weight,
            short_job_weight=self.short_job_weight,
            short_job_reference_minutes=self.short_job_reference_minutes,
            max_wait_minutes=self.max_wait_minutes,
            service_level_minutes=self.service_level_minutes,
            service_level_window_minutes=self.service_level_window_minutes,
            service_level_weight=self.service_level_weight,
            language_wait_minutes=min(self.language_wait_minutes, self.max_wait_minutes),
            long_wait_alert_minutes=self.alert_wait_minutes,
            vip_queue_min_tier=self.vip_queue_min_tier,
            vip_queue_prefix=vip_prefix,
            kiosk_queue_prefix=kiosk_prefix,
            self_service_for_elderly=self.self_service_for_elderly,
            channel_switch_margin_minutes=self.channel_switch_margin_minutes,
            self_service_slack_minutes=self.self_service_slack_minutes,
            overtaking_window_minutes=self.overtaking_window_minutes,
        )


def settings_for(branch) -> QueueSettings:
    raw = branch.queue_settings if isinstance(branch.queue_settings, dict) else {}
    chosen = {}
    for field in fields(QueueSettings):
        value = raw.get(field.name)
        default = field.default
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, str):
            ok = isinstance(value, str) and _CLOCK_TIME.fullmatch(value) is not None
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        if ok:
            chosen[field.name] = type(default)(value)
    return replace(QueueSettings(), **chosen)
