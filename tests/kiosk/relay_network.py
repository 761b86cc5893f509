"""Two networks that meet only at a TURN relay, on this machine: network namespaces for the
customer's VTM and the remote teller, coturn between them, Chromium started inside each.

    customer ns  10.213.1.2 ──veth── 10.213.1.1 ┐
                                                ├ root ns: coturn (listens on both, relays from
    agent ns     10.213.2.2 ──veth── 10.213.2.1 ┘          10.213.3.1), the test's ASGI server
                                     10.213.3.1 (on lo: no client namespace has a route to it)

Each client namespace has only its own /24 (no default route) and the root namespace does not
forward (net.ipv4.ip_forward=0 is checked), so neither browser can reach the other's address or a
relay address directly: the only working ICE pair is relay to relay, through coturn.

Everything is removed again when the context ends, also after a failure (ExitStack)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import struct
import subprocess
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

PREFIX = "10.213"
RELAY_IP = f"{PREFIX}.3.1"
SIDES = ("customer", "agent")


@dataclass(frozen=True)
class RelayNetwork:
    namespaces: dict[str, str]  # side -> namespace name
    gateways: dict[str, str]  # side -> the root namespace's address on that side's link
    turn_port: int
    turn_secret: str
    turn_log: Path

    def turn_urls(self) -> list[str]:
        return [f"turn:{self.gateways[side]}:{self.turn_port}?transport=udp" for side in SIDES]


def unavailable() -> str:
    """Why this machine cannot build the networks ("" when it can)."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if not shutil.which("ip"):
        return "needs iproute2 (apt-get install iproute2)"
    if not shutil.which("turnserver"):
        return "needs coturn (apt-get install coturn)"
    probe = f"vtmprobe{os.getpid()}"
    added = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if added.returncode != 0:
        return f"ip netns add fails here: {added.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    if Path("/proc/sys/net/ipv4/ip_forward").read_text().strip() != "0":
        return ("the root namespace forwards IPv4 (net.ipv4.ip_forward=1): the namespaces would not "
                "be isolated")
    return ""


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


def _quiet(*args: str) -> None:
    subprocess.run(["ip", *args], capture_output=True)


def _free_udp_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _stun_answers(host: str, port: int) -> bool:
    """A STUN binding request (RFC 5389) gets a response: the TURN server is listening."""
    request = struct.pack("!HHI12s", 0x0001, 0, 0x2112A442, secrets.token_bytes(12))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.settimeout(0.5)
        try:
            client.sendto(request, (host, port))
            return client.recv(512)[:2] == b"\x01\x01"
        except OSError:
            return False


def _sweep_stale() -> None:
    """Remove what a killed earlier run (no finalizers) left: its namespaces, links, the address."""
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    for name in re.findall(r"^vtm([ca])(\d+)\b", listed, re.M):
        side, pid = name
        if not Path(f"/proc/{pid}").exists():
            _quiet("netns", "del", f"vtm{side}{pid}")
            _quiet("link", "del", f"vh{side}{pid}")
    if f" {RELAY_IP}/32 " in subprocess.run(["ip", "-br", "addr", "show", "lo"], capture_output=True,
                                            text=True).stdout + " ":
        _quiet("addr", "del", f"{RELAY_IP}/32", "dev", "lo")


def _links(stack: ExitStack, tag: str) -> tuple[dict[str, str], dict[str, str]]:
    _sweep_stale()
    namespaces, gateways = {}, {}
    for number, side in enumerate(SIDES, start=1):
        ns, host_if, ns_if = f"vtm{side[0]}{tag}", f"vh{side[0]}{tag}", f"vn{side[0]}{tag}"
        _ip("netns", "add", ns)
        stack.callback(_quiet, "netns", "del", ns)
        _ip("link", "add", host_if, "type", "veth", "peer", "name", ns_if)
        stack.callback(_quiet, "link", "del", host_if)
        _ip("link", "set", ns_if, "netns", ns)
        _ip("addr", "add", f"{PREFIX}.{number}.1/24", "dev", host_if)
        _ip("link", "set", host_if, "up")
        _ip("-n", ns, "addr", "add", f"{PREFIX}.{number}.2/24", "dev", ns_if)
        _ip("-n", ns, "link", "set", ns_if, "up")
        _ip("-n", ns, "link", "set", "lo", "up")
        namespaces[side], gateways[side] = ns, f"{PREFIX}.{number}.1"
    # The relay address lives on the root namespace's loopback (containers often lack the dummy
    # link type); a /32 there is routed nowhere else.
    _ip("addr", "add", f"{RELAY_IP}/32", "dev", "lo")
    stack.callback(_quiet, "addr", "del", f"{RELAY_IP}/32", "dev", "lo")
    return namespaces, gateways


def _coturn(stack: ExitStack, gateways: dict[str, str], workdir: Path) -> tuple[int, str, Path]:
    port, secret, log = _free_udp_port(gateways["customer"]), secrets.token_hex(16), workdir / "turn.log"
    command = ["turnserver", "-n", "--no-cli", "--no-tls", "--no-dtls", "--fingerprint",
               "--use-auth-secret", f"--static-auth-secret={secret}", "--realm=branchsvc.test",
               f"--listening-port={port}", f"--relay-ip={RELAY_IP}", "--min-port=49160",
               "--max-port=49360", f"--log-file={log}", "--simple-log", "--no-stdout-log",
               f"--pidfile={workdir / 'turn.pid'}", f"--userdb={workdir / 'turndb'}",
               *[f"--listening-ip={address}" for address in gateways.values()]]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop():
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    stack.callback(stop)
    deadline = time.monotonic() + 20
    while not all(_stun_answers(address, port) for address in gateways.values()):  # start-up only
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"coturn did not start: {log.read_text() if log.exists() else ''}")
        time.sleep(0.1)
    return port, secret, log


@contextmanager
def relay_network():
    tag = f"{os.getpid() % 100000}"
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vtm-turn-")))
        namespaces, gateways = _links(stack, tag)
        port, secret, log = _coturn(stack, gateways, workdir)
        yield RelayNetwork(namespaces=namespaces, gateways=gateways, turn_port=port, turn_secret=secret,
                           turn_log=log)


def chromium_in(namespace: str, directory: Path) -> Path:
    """An executable that starts Debian's Chromium inside `namespace` (for Playwright's launch:
    its pipes are inherited through `ip netns exec`, so no debugging port is exposed)."""
    wrapper = directory / f"chromium-{namespace}"
    wrapper.write_text(f"#!/bin/sh\nexec ip netns exec {namespace} /usr/bin/chromium \"$@\"\n")
    wrapper.chmod(0o755)
    return wrapper
