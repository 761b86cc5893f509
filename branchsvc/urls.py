from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from branchsvc import metrics, twofactor, views
from branchsvc.api_versions import versioned

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("staff/", views.staff_home, name="staff-home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", twofactor.two_factor, name="two-factor"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
for app in ["compliance", "branches", "customers", "servicedesk", "knowledge", "queueing",
            "counter", "appointments", "outreach", "kiosk", "environment", "fees", "continuity", "quality",
            "insights", "ui"]:
    urlpatterns.append(path("", include(f"{app}.urls")))
# Every api/… route also under api/v1/…; the old paths answer, deprecated, for one release.
urlpatterns = versioned(urlpatterns)

handler400 = "core.error_pages.bad_request"
handler403 = "core.error_pages.permission_denied"
handler404 = "core.error_pages.page_not_found"
handler500 = "core.error_pages.server_error"
