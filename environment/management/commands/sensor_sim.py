import json
import random
import threading

import paho.mqtt.client as mqtt
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from environment import conf
from environment.kinds import SPECS
from environment.models import Sensor
from environment.simulate import SPIKES, reading


class Command(BaseCommand):
    help = "Publish realistic readings for the registered sensors (demo and load)."

    def add_arguments(self, parser):
        parser.add_argument("--branch", action="append", default=[], help="branch code (repeat; default all)")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between rounds")
        parser.add_argument("--rounds", type=int, default=0, help="rounds to publish (0: until stopped)")
        parser.add_argument("--spike", action="append", default=[], metavar="KIND",
                            help="push this kind out of its comfortable range (e.g. co2)")
        parser.add_argument("--url", default=None)
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, branch, interval, rounds, spike, url, seed, **options):
        sensors = Sensor.objects.filter(is_active=True).select_related("branch")
        if branch:
            sensors = sensors.filter(branch__code__in=branch)
        sensors = list(sensors)
        if not sensors:
            raise CommandError("no active sensors: register some (seed_demo registers the demo's)")
        unknown = set(spike) - set(SPIKES)
        if unknown:
            raise CommandError(f"unknown kind(s) {sorted(unknown)}; kinds: {sorted(SPIKES)}")
        host, port = conf.broker_address(url)
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2,
                             client_id=f"branchsvc-sim-{random.randrange(1 << 30)}")
        client.reconnect_delay_set(1, 10)
        connected = threading.Event()
        client.on_connect = lambda *args: connected.set()
        client.on_disconnect = lambda *args: connected.clear()
        client.connect_async(host, port)
        client.loop_start()
        rng = random.Random(seed)
        stop = threading.Event()
        done = 0
        try:
            while not stop.is_set() and (rounds == 0 or done < rounds):
                if not connected.wait(timeout=max(interval, 5)):
                    self.stderr.write(f"no MQTT broker answers at {host}:{port}; retrying")
                    continue
                sent = []
                for sensor in sensors:
                    local = timezone.now().astimezone(sensor.branch.tz)
                    hour = local.hour + local.minute / 60
                    value = reading(sensor.kind, hour, rng,
                                    spike=SPIKES[sensor.kind] if sensor.kind in spike else 0)
                    sent.append(client.publish(f"{conf.topic_prefix()}/{sensor.branch.code}/{sensor.key}",
                                   json.dumps({"value": value, "unit": SPECS[sensor.kind].unit}), qos=1))
                try:
                    for info in sent:
                        info.wait_for_publish(timeout=30)
                except RuntimeError as error:  # the broker went away mid-round: the next round retries
                    self.stderr.write(str(error))
                    continue
                done += 1
                self.stdout.write(f"round {done}: {len(sensors)} readings to {host}:{port}")
                if rounds == 0 or done < rounds:
                    stop.wait(interval)
        except KeyboardInterrupt:
            pass
        finally:
            client.loop_stop()
            client.disconnect()
