from django.urls import include, path

from customers import api

urlpatterns = [
    path("api/customers/", api.CustomerListApi.as_view(), name="api-customer-list"),
    path("api/customers/<int:customer_id>/", api.CustomerDetailApi.as_view(),
         name="api-customer-detail"),
    path("api/customers/<int:customer_id>/reveal/", api.CustomerRevealApi.as_view(),
         name="api-customer-reveal"),
    path("api/me/", api.MeApi.as_view(), name="api-me"),
    path("", include("customers.face.urls")),
]
