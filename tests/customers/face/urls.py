"""The site's URLs plus the face routes, until customers/urls.py includes customers.face.urls."""

from django.urls import include, path

from branchsvc.urls import urlpatterns as site

urlpatterns = [*site, path("", include("customers.face.urls"))]
