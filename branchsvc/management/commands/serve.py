import logging
import threading

import uvicorn
from celery.beat import EmbeddedService
from django.conf import settings
from django.core.management.base import BaseCommand

from branchsvc.celery import app as celery_app
from environment.demo_feed import DemoFeed

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("Serve HTTP and websockets (ASGI). On the embedded profile it also runs a real Celery "
            "worker and the beat scheduler in threads of this process, on the in-memory broker.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true",
                            help="do not start the embedded Celery worker and beat")
        parser.add_argument("--demo-sensors", action="store_true",
                            help="feed the registered sensors plausible readings (the demo has no hardware)")

    def handle(self, *args, host, port, no_worker, demo_sensors, **options):
        worker = beat = None
        if settings.CELERY_EMBEDDED and not no_worker:
            worker = celery_app.WorkController(
                pool_cls="threads", concurrency=2, loglevel="INFO", without_heartbeat=True,
                without_mingle=True, without_gossip=True)
            threading.Thread(target=worker.start, name="celery-worker", daemon=True).start()
            beat = EmbeddedService(celery_app, thread=True,
                                   scheduler_cls=settings.CELERY_BEAT_SCHEDULER)
            beat.start()
            self.stdout.write("embedded Celery worker and beat started (memory transport)")
        sensors = None
        if settings.CELERY_EMBEDDED and not no_worker and settings.MQTT_URL:
            # Environment sensors: the `sensor_ingest` process of production, as a thread here; it
            # keeps retrying with back-off while no broker answers.
            from environment.ingest import SensorIngest

            sensors = SensorIngest()
            sensors.start()
            self.stdout.write(f"sensor ingest started ({settings.MQTT_URL})")
        feed = None
        if demo_sensors:
            feed = DemoFeed()
            feed.start()
            self.stdout.write("demo sensor feed started (readings every 30 s, no MQTT needed)")
        try:
            # No uvicorn access log: branchsvc.access writes each request once, with its id.
            uvicorn.run("branchsvc.asgi:application", host=host, port=port, log_level="info",
                        lifespan="off", access_log=False)
        finally:
            if feed is not None:
                feed.stop()
            if sensors is not None:
                sensors.stop()
            if beat is not None:
                beat.stop()
            if worker is not None:
                worker.stop(in_sighandler=False)
