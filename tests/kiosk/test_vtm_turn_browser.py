"""A video-teller call across two networks that meet only at the bank's TURN relay (coturn), with
the customer's consent to the dual recording (双录): Chromium in one network namespace is the VTM,
Chromium in another the remote teller's console. The call connects through the relay only, and
the teller's console stores the recording with its SHA-256 and audit record.

Needs root, iproute2 and coturn (skipped with the reason elsewhere; fails where CI requires
"turn" in REQUIRE_SERVICES). The namespaces, addresses and coturn are removed after the test."""

import hashlib
import os
import tempfile
import time
from pathlib import Path

import pytest
import time_machine

from compliance.models import AuditEvent, RecordingReference
from kiosk.models import RecordingConsent, RecordingStatus, VtmRecording, VtmSession
from tests.browser import DESK, KIOSK_SCREEN, chromium_args, device_page, serve_asgi, signed_in_page
from tests.kiosk.relay_network import chromium_in, relay_network
from tests.kiosk.test_kiosk_browser import begin, open_branch_clock  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

SELECTED_PAIR = """async () => {
  const stats = await window.KioskRtc.peer.getStats();
  let pair = null;
  stats.forEach((r) => {
    if (r.type === "transport" && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId);
  });
  if (!pair) stats.forEach((r) => {
    if (r.type === "candidate-pair" && r.nominated && r.state === "succeeded") pair = r;
  });
  if (!pair) return null;
  const local = stats.get(pair.localCandidateId), remote = stats.get(pair.remoteCandidateId);
  return {local: local.candidateType, remote: remote.candidateType, relay: local.address || local.ip};
}"""


@pytest.fixture
def relay(require_service):
    require_service("chromium")
    require_service("turn")  # skips with the reason, or fails where REQUIRE_SERVICES has "turn"
    with relay_network() as network:
        yield network


@pytest.fixture
def two_sides(relay, transactional_db, settings):
    """The ASGI server on every address, and one Chromium per namespace."""
    from playwright.sync_api import sync_playwright

    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver", *relay.gateways.values()]
    settings.WEBRTC_TURN_URLS = relay.turn_urls()
    settings.WEBRTC_TURN_SECRET = relay.turn_secret
    settings.WEBRTC_ICE_TRANSPORT_POLICY = "all"  # the networks, not the policy, force the relay
    # Plain HTTP on the namespaces' addresses (a branch serves HTTPS/WSS): Chromium would not
    # send the production profile's Secure session cookie with the ws:// signalling connection.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        from branchsvc.asgi import build_application

        # The origin check of the suite's application was built with the default ALLOWED_HOSTS
        # (by an earlier browser test): this server needs one that knows the namespaces' addresses.
        application = build_application()
        with serve_asgi(application, host="0.0.0.0") as url, tempfile.TemporaryDirectory() as scripts, \
                sync_playwright() as playwright:
            port = url.rpartition(":")[2]
            browsers, urls = {}, {}
            for side, namespace in relay.namespaces.items():
                urls[side] = f"http://{relay.gateways[side]}:{port}"
                # getUserMedia needs a secure context: this plain-HTTP address counts as one here.
                browsers[side] = playwright.chromium.launch(
                    executable_path=str(chromium_in(namespace, Path(scripts))),
                    args=chromium_args(extra_args=[f"--unsafely-treat-insecure-origin-as-secure={urls[side]}"]))
            try:
                yield browsers, urls
            finally:
                for browser in browsers.values():
                    browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


CANDIDATES = """async () => {
  const pc = window.KioskRtc.peer;
  if (!pc) return "no peer connection";
  const stats = await pc.getStats();
  const rows = [pc.connectionState, pc.iceConnectionState,
                JSON.stringify(pc.getConfiguration().iceServers)];
  stats.forEach((r) => {
    if (r.type.endsWith("candidate")) rows.push(`${r.type} ${r.candidateType} ${r.address}:${r.port}`);
    if (r.type === "candidate-pair") rows.push(`pair ${r.state} ${r.localCandidateId}`);
  });
  return rows.join("\\n");
}"""


def diagnosis(relay, *pages) -> str:
    sides = [page.evaluate(CANDIDATES) for page in pages]
    return "\n---\n".join([*sides, relay.turn_log.read_text()[-3000:]])


def wait_for(condition, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while not (value := condition()):  # polls the database the browsers write to
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
    return value


def test_a_vtm_call_crosses_networks_only_through_turn_and_its_consented_recording_is_stored(
        relay, two_sides, vtm_device, account_open, remote_teller, open_branch_clock,  # noqa: F811
        settings):
    browsers, urls = two_sides
    # The credentials' expiry is written in the test's travelled time, coturn checks it against the
    # real clock: cover the distance between the two.
    behind = time_machine.escape_hatch.time.time() - time.time()
    settings.WEBRTC_TURN_TTL_SECONDS = 3600 + max(0, int(behind))
    kiosk = device_page(browsers["customer"], urls["customer"], vtm_device[1], **KIOSK_SCREEN)
    kiosk.wait_for_selector("body[data-ready='1']")
    begin(kiosk)
    kiosk.click("[data-testid=menu-remote]")
    kiosk.click(f"[data-service={account_open.code}]")
    kiosk.wait_for_selector("[data-testid=recording-consent]:not([hidden])")
    assert "录" in kiosk.inner_text("[data-testid=recording-consent]")
    kiosk.click("[data-testid=consent-yes]")
    call = wait_for(lambda: VtmSession.objects.filter(recording_consent=RecordingConsent.GIVEN).first(),
                    "the customer's consent")

    teller = signed_in_page(browsers["agent"], urls["agent"], remote_teller, **DESK)
    teller.goto(f"{urls['agent']}/kiosk/remote-teller/")
    teller.click(f"[data-accept='{call.public_id}']")
    teller.wait_for_url(f"**/kiosk/remote-teller/{call.public_id}/")
    assert teller.get_attribute("[data-testid=recording-consent-status]", "data-consent") == "given"
    try:
        kiosk.wait_for_selector("[data-testid=kiosk-remote-video][data-playing='1']", timeout=60_000)
        teller.wait_for_selector("[data-testid=teller-remote-video][data-playing='1']", timeout=60_000)
    except Exception:  # say what the relay and both ends saw
        raise AssertionError(f"no picture through the relay; {diagnosis(relay, kiosk, teller)}") from None

    # The only path between the two networks is the relay: both ends use relay candidates.
    for page in (kiosk, teller):
        pair = page.evaluate(SELECTED_PAIR)
        assert pair is not None and pair["local"] == "relay" and pair["remote"] == "relay", pair

    teller.wait_for_selector("[data-testid=recording-state][data-state=recording]")
    wait_for(lambda: VtmRecording.objects.filter(vtm=call, chunks__gte=2).exists(), "two recorded slices")
    teller.click("[data-action=hang-up]")
    teller.wait_for_url(f"{urls['agent']}/kiosk/remote-teller/")

    recording = VtmRecording.objects.get(vtm=call)
    assert recording.status == RecordingStatus.STORED and recording.retain_until is not None
    with recording.file.open("rb") as stored:
        content = stored.read()
    assert content[:4] == b"\x1a\x45\xdf\xa3"  # a WebM (Matroska) file
    assert hashlib.sha256(content).hexdigest() == recording.sha256 and recording.size == len(content)
    event = AuditEvent.objects.get(action="vtm.recording_stored")
    assert event.after["sha256"] == recording.sha256
    assert RecordingReference.objects.filter(external_id=recording.reference).exists()
