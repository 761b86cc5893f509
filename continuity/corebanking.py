"""The adapter to core banking: freeze a customer's cards, place a dispute hold.

Every call carries an idempotency key; core banking applies a key once and answers a repeat
with the first answer, so a retry after a lost reply never freezes twice. Failures come in two
kinds: `CoreUnavailable` (time-out, 5xx, connection refused: try again later) and `CoreRefused`
(4xx: trying again would not help, a person must look).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings


@dataclass(frozen=True)
class CoreReply:
    reference: str
    replayed: bool = False  # core banking had seen the key: this is the first call's answer


class CoreUnavailable(Exception):
    """Core banking could not be reached or did not answer in time; safe to retry."""


class CoreRefused(Exception):
    """Core banking answered and said no."""


class CoreBanking(Protocol):
    def freeze_card(self, *, idempotency_key: str, customer_no: str, reason: str) -> CoreReply: ...

    def dispute_hold(
        self, *, idempotency_key: str, customer_no: str, amount: Decimal | None, description: str
    ) -> CoreReply: ...


class HttpCoreBanking:
    """JSON over HTTP: POST /v1/cards/freeze and /v1/disputes/hold with an Idempotency-Key header."""

    def __init__(self, base_url: str, *, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def freeze_card(self, *, idempotency_key: str, customer_no: str, reason: str) -> CoreReply:
        return self._post("/v1/cards/freeze", idempotency_key, {"customer_no": customer_no, "reason": reason})

    def dispute_hold(
        self, *, idempotency_key: str, customer_no: str, amount: Decimal | None, description: str
    ) -> CoreReply:
        body = {
            "customer_no": customer_no,
            "amount": str(amount) if amount is not None else None,
            "description": description,
        }
        return self._post("/v1/disputes/hold", idempotency_key, body)

    def _post(self, path: str, key: str, body: dict) -> CoreReply:
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's CORE_BANKING_URL
            self.base_url + path,
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": key},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                data = json.loads(response.read() or b"{}")
                return CoreReply(
                    reference=str(data.get("reference", "")),
                    replayed=response.headers.get("Idempotent-Replayed") == "true",
                )
        except urllib.error.HTTPError as error:
            detail = error.read()[:200].decode(errors="replace")
            if error.code >= 500 or error.code in (408, 409, 429):
                raise CoreUnavailable(f"HTTP {error.code}: {detail}") from error
            raise CoreRefused(f"HTTP {error.code}: {detail}") from error
        except (urllib.error.URLError, TimeoutError, ConnectionError, json.JSONDecodeError) as error:
            raise CoreUnavailable(f"{error.__class__.__name__}: {error}"[:200]) from error


class LocalCoreBanking:
    """The embedded profile's stand-in: confirms at once, remembers keys like the real one."""

    _seen: dict[str, CoreReply] = {}

    def freeze_card(self, *, idempotency_key: str, customer_no: str, reason: str) -> CoreReply:
        return self._apply("FRZ", idempotency_key)

    def dispute_hold(
        self, *, idempotency_key: str, customer_no: str, amount: Decimal | None, description: str
    ) -> CoreReply:
        return self._apply("DSP", idempotency_key)

    def _apply(self, prefix: str, key: str) -> CoreReply:
        if key in self._seen:
            return CoreReply(reference=self._seen[key].reference, replayed=True)
        reply = CoreReply(reference=f"{prefix}-LOCAL-{len(self._seen) + 1:06d}")
        self._seen[key] = reply
        return reply


def core_banking() -> CoreBanking:
    if settings.CORE_BANKING_URL:
        return HttpCoreBanking(settings.CORE_BANKING_URL, timeout=settings.CORE_BANKING_TIMEOUT_SECONDS)
    return LocalCoreBanking()
