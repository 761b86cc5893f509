"""The classifier in use: the newest trained model, or one trained on the demo history."""

from __future__ import annotations

import threading

from servicedesk.classifier import CategoryClassifier, train
from servicedesk.history import demo_history
from servicedesk.models import Category, ClassifierModel, WorkOrder

_lock = threading.Lock()
_cache: dict = {"key": None, "model": None}


def current_classifier() -> CategoryClassifier:
    latest = ClassifierModel.objects.values_list("pk", flat=True).first()
    key = latest or "demo"
    with _lock:
        if _cache["key"] != key:
            if latest:
                model = CategoryClassifier.loads(bytes(ClassifierModel.objects.get(pk=latest).data))
            else:
                model = train(demo_history())
            _cache.update(key=key, model=model)
        return _cache["model"]


def suggest(text: str) -> tuple[Category | None, float]:
    prediction = current_classifier().predict(text)
    return Category.objects.filter(code=prediction.code).first(), prediction.confidence


def training_samples() -> tuple[list[tuple[str, str]], int]:
    """Demo history plus every work order whose detail category staff confirmed or corrected."""
    confirmed = list(
        WorkOrder.objects.filter(category_confirmed=True, category__level=3).values_list(
            "description", "category__code", "suggested_category__code"
        )
    )
    corrections = sum(1 for _, code, suggested in confirmed if code != suggested)
    return demo_history() + [(text, code) for text, code, _ in confirmed], corrections
