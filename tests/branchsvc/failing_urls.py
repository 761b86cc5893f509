from django.urls import path

from branchsvc.urls import handler500  # noqa: F401
from branchsvc.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("a failure the page must not show")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
