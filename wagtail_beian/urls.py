"""URLs every site includes: ``path("beian/", include("wagtail_beian.urls"))``."""

from django.urls import path

from .downloads import download_document

app_name = "wagtail_beian"

urlpatterns = [
    path("documents/<int:pk>/download/", download_document, name="document_download"),
]
