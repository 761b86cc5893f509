import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branchsvc.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from branches.middleware import DeviceWebsocketMiddleware  # noqa: E402
from branchsvc.routing import websocket_urlpatterns  # noqa: E402


def build_application():
    """HTTP through Django, websockets through Channels. The websocket origin check takes
    ALLOWED_HOSTS as it is when this is built (a test serving other addresses builds its own)."""
    return ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(DeviceWebsocketMiddleware(URLRouter(websocket_urlpatterns())))
            ),
        }
    )


application = build_application()

# A long-running server: what is loaded by now lives as long as the process, so keep it out of the
# collector's full passes, and collect the youngest objects less often. With 500 lobby screens
# connected, full passes stalled a worker for ~200 ms at a time (bench/live_latency, docs/queueing.md).
gc.freeze()
gc.set_threshold(50_000, 50, 100)
