"""Shared support for browser tests: the project's ASGI app served by uvicorn on a free port,
Debian's Chromium driven by Playwright (never a downloaded browser), signed-in contexts for staff,
devices and customers, screenshots and axe-core accessibility checks.

Fixtures (import them into a conftest or the test module): `asgi_server` (needs the database),
`chromium`, `chromium_filming` (Chromium whose fake camera plays a video file).
"""

import json
import os
import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                 "--autoplay-policy=no-user-gesture-required"]
WAIT = 20_000  # ms: generous for a shared 2-core machine; every wait ends on a DOM state
# The README's screenshots are refreshed on request (UPDATE_SCREENSHOTS=1); ordinary runs write
# theirs under var/ so a test run never changes tracked files.
SCREENSHOTS = Path(settings.BASE_DIR) / (
    "docs/screenshots" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else "var/screenshots")

# The sizes the product is designed for (docs/design.md): a phone, the kiosk in portrait and in
# landscape, the lobby's full-HD panel, a desk.
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
KIOSK_SCREEN = {"viewport": {"width": 1080, "height": 1920}, "has_touch": True}
KIOSK_LANDSCAPE = {"viewport": {"width": 1920, "height": 1080}, "has_touch": True}
LOBBY_SCREEN = {"viewport": {"width": 1920, "height": 1080}}
DESK = {"viewport": {"width": 1400, "height": 1000}}
DESK_HD = {"viewport": {"width": 1920, "height": 1080}}


def asgi_application():
    from branchsvc.asgi import application

    return application


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve_asgi(application=None, host: str = "127.0.0.1"):
    """Uvicorn in a thread of this process (HTTP + websockets), so it shares the test database,
    settings overrides and monkeypatches. pytest-django's live_server is WSGI only. `host`
    "0.0.0.0" serves every address (e.g. browsers in network namespaces)."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(application or asgi_application(), host=host,
                                           port=port, log_level="warning", lifespan="off",
                                           ws="websockets"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:  # start-up, not test timing
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def asgi_server(transactional_db, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    with serve_asgi() as url:
        yield url


def chromium_args(*, video: Path | None = None, extra_args=()) -> list[str]:
    """Chromium's command line: fake camera and microphone (a Y4M/MJPEG file plays as the camera
    when `video` is given), media autoplay without a gesture, plus `extra_args`."""
    args = [*CHROMIUM_ARGS, *extra_args]
    if video is not None:
        args.append(f"--use-file-for-fake-video-capture={video}")
    return args


@contextmanager
def _launched(browser_type, *, video: Path | None, extra_args):
    browser = browser_type.launch(executable_path=CHROMIUM,
                                  args=chromium_args(video=video, extra_args=extra_args))
    try:
        yield browser
    finally:
        browser.close()


@contextmanager
def launch_chromium(*, video: Path | None = None, extra_args=()):
    """Debian's Chromium (see chromium_args), with its own Playwright."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright, _launched(playwright.chromium, video=video,
                                                         extra_args=extra_args) as browser:
            yield browser
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def another_chromium(browser, *, video: Path | None = None, extra_args=()):
    """A second Chromium beside `browser`, started by the same Playwright (one per thread), e.g. a
    device whose camera plays `video`; a context manager."""
    return _launched(browser.browser_type, video=video, extra_args=extra_args)


@pytest.fixture
def chromium(require_service):
    require_service("chromium")
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def chromium_filming(require_service):
    """`chromium_filming(video)`: a Chromium whose fake camera plays the Y4M file `video` (each
    call starts one; all close after the test)."""
    require_service("chromium")
    with ExitStack() as browsers:
        started = []

        def start(video: Path):
            launch = another_chromium(started[0], video=video) if started else launch_chromium(video=video)
            started.append(browsers.enter_context(launch))
            return started[-1]

        yield start


def off_the_browser_thread(function, /, **kwargs):
    """Run a service in another thread: Playwright's event loop runs in this one, and live pushes
    (async_to_sync) refuse to run beside a running loop."""
    def call():
        try:
            return function(**kwargs)
        finally:
            connections.close_all()  # the thread ends here: its database connections with it

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


def new_page(browser, server: str, *, session_key: str = "", locale: str = "zh-CN", **options):
    context = browser.new_context(locale=locale, **options)
    context.grant_permissions(["camera", "microphone"], origin=server)
    if session_key:
        context.add_cookies([{"name": "sessionid", "value": session_key, "url": server}])
    page = context.new_page()
    page.set_default_timeout(WAIT)
    return page


def signed_in_page(browser, server: str, user, **options):
    """A browser context signed in as `user` (staff or customer) without the sign-in form."""
    client = Client()
    client.force_login(user)
    return new_page(browser, server, session_key=client.cookies["sessionid"].value, **options)


def device_page(browser, server: str, token: str, **options):
    """A kiosk / VTM / lobby screen signed in with its device token, as its Chromium would be."""
    page = new_page(browser, server, **options)
    page.goto(f"{server}/device/login/")
    page.fill("input[name=token]", token)
    page.click("main button[type=submit]")
    # A click does not wait for the navigation it starts: wait until the device's home is shown
    # (a goto before that would cancel the sign-in).
    page.wait_for_url(lambda url: "/device/login/" not in url)
    page.wait_for_load_state()
    return page


def console_call_and_start(desk, server: str, ticket, *, counter: str = "05") -> None:
    """On the teller console the teller opens counter `counter`, calls the next customer (key n),
    sees `ticket` as the current one and starts serving it (key s)."""
    desk.goto(f"{server}/counter/console/")
    desk.click(f"[data-testid=open-{counter}]")
    desk.wait_for_url(re.compile(r"/counter/console/\d+/$"))  # the counter is open
    desk.keyboard.press("n")
    desk.wait_for_selector(f"[data-testid=current-ticket]:has-text('{ticket.number}')")
    desk.keyboard.press("s")


def screenshot(page, name: str) -> Path:
    """Save `<name>.png` at CSS pixel size (small enough for the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), scale="css", animations="disabled")
    return path


def date_note(field) -> str:
    """What the page writes beside the date picker `field` (static/branchsvc/dates.js), found as a
    screen reader finds it: through the field's description."""
    return field.evaluate(
        "el => el.getAttribute('aria-describedby').split(' ').map(id => document.getElementById(id))"
        ".find(node => node && node.classList.contains('date-echo')).textContent")


def _axe_source() -> str:
    # axe-core as published on npm, bundled by the PyPI package axe-playwright-python.
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.x A/AA rules) on the page; return the violations of those impacts as
    `{"id", "impact", "help", "targets"}`."""
    page.evaluate(_axe_source())
    result = page.evaluate(
        "async () => JSON.stringify(await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}))")
    violations = json.loads(result)["violations"]
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [node["target"] for node in v["nodes"]][:5]}
            for v in violations if v["impact"] in impacts]
