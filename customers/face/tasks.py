"""Celery side of the face greeting: the identification task and the worker start-up check."""

import logging

from celery import shared_task
from celery.signals import worker_init, worker_process_init
from django.core.cache import cache

from branches.models import Device
from customers.face import engine, services

log = logging.getLogger(__name__)


@shared_task(name="customers.face.identify_burst", ignore_result=True, acks_late=False)
def face_identify_burst(burst_key: str, device_id: int) -> None:
    """Identify the customers in a burst of frames a device sent.

    Not acks_late: a frame burst is worth something for a few seconds only, so a task lost with
    its worker is not redelivered. Idempotent: the frames are read and deleted at once, a second
    run finds nothing; announcements have their own cooldown.
    """
    frames_data = cache.get(burst_key)
    cache.delete(burst_key)
    if not frames_data:
        return
    device = Device.objects.active().select_related("branch").filter(pk=device_id).first()
    if device is not None:
        services.face_identify(device=device, frames_data=frames_data)


@worker_init.connect
def check_models_on_worker_start(**kwargs) -> None:
    """Refuse to start a worker whose face models do not load (instead of failing per frame).

    Celery logs and swallows exceptions from signal handlers, so this exits the process itself.
    """
    try:
        engine.check_face_models()
    except engine.FaceModelsUnavailable as problem:
        log.critical("Face models unavailable, the worker stops: %s", problem)
        raise SystemExit(f"Face models unavailable: {problem}") from problem
    engine.limit_blas_threads()


@worker_process_init.connect
def one_blas_thread_per_worker_process(**kwargs) -> None:
    engine.limit_blas_threads()
