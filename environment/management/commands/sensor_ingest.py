import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from environment import conf
from environment.ingest import SensorIngest


class Command(BaseCommand):
    help = ("Subscribe to the sensors' MQTT topics and store their readings (one process per "
            "deployment; `serve` runs it in a thread on the embedded profile).")

    def add_arguments(self, parser):
        parser.add_argument("--url", default=None, help="broker URL (default: MQTT_URL)")

    def handle(self, *args, url, **options):
        if not (url or conf.mqtt_url()):
            raise CommandError("MQTT_URL is empty: sensor ingest is off")
        ingest = SensorIngest(url=url)
        done = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: done.set())
        ingest.start()
        self.stdout.write(f"sensor ingest: {ingest.host}:{ingest.port} topic {ingest.prefix}/+/+")
        done.wait()
        ingest.stop()
        self.stdout.write(f"sensor ingest stopped: {ingest.stats.stored} stored, "
                          f"rejected {dict(ingest.stats.rejected)}")
