"""Retraining the work-order classifier from confirmed categories."""

from __future__ import annotations

from django.db import transaction

from compliance.audit import audit_record
from servicedesk import ml
from servicedesk.classifier import train
from servicedesk.models import (
    ClassifierModel,
)

# Classifier -------------------------------------------------------------------------------------


@transaction.atomic
def classifier_retrain() -> ClassifierModel:
    samples, corrections = ml.training_samples()
    model = train(samples)
    stored = ClassifierModel.objects.create(samples=len(samples), corrections=corrections, data=model.dumps())
    # Keep the last few models for comparison; older ones only take space.
    stale = ClassifierModel.objects.values_list("pk", flat=True)[3:]
    ClassifierModel.objects.filter(pk__in=list(stale)).delete()
    audit_record(
        actor=None,
        action="servicedesk.classifier_retrain",
        obj=stored,
        after={"samples": len(samples), "corrections": corrections},
    )
    return stored
