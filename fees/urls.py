from django.urls import path

from fees import api, views, views_rates

urlpatterns = [
    path("fees/", views.catalogue, name="fees-catalogue"),
    path("fees/history/", views.history, name="fees-history"),
    path("fees/manage/", views.manage, name="fees-manage"),
    path("fees/manage/<slug:code>/", views.change, name="fees-change"),
    path("fees/rates/", views_rates.manage_rates, name="fees-rates"),
    path("api/fees/", api.CatalogueApi.as_view(), name="api-fees-catalogue"),
    path("api/fees/quote/", api.QuoteApi.as_view(), name="api-fees-quote"),
]
