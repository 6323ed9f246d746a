"""URLs every site includes: ``path("beian/", include("wagtail_beian.urls"))``."""

from django.urls import path

from .admin.localization import admin_js_catalog
from .downloads import download_document

app_name = "wagtail_beian"

urlpatterns = [
    path("documents/<int:pk>/download/", download_document, name="document_download"),
    # Wagtail's JavaScript strings its zh-Hans catalog lacks (admin/localization.py)
    path("admin-jsi18n/", admin_js_catalog, name="admin_js_catalog"),
]
