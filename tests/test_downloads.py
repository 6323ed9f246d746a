"""Scans leave private storage only through the checked, logged download view."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_beian.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(filing):
    return Document.objects.filter(filing=filing, content_type="image/png").first()


def url(document):
    return reverse("wagtail_beian:document_download", args=[document.pk])


def test_owner_downloads_as_attachment_with_safe_headers(client, customer, document):
    client.force_login(customer)
    response = client.get(url(document))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content)[:4] == b"\x89PNG"
    entry = ModelLogEntry.objects.get(action="wagtail_beian.document_download")
    assert entry.user == customer and entry.data["document"] == document.pk


def test_other_customer_gets_404_and_nothing_is_logged(client, other_customer, document):
    client.force_login(other_customer)
    assert client.get(url(document)).status_code == 404
    assert not ModelLogEntry.objects.filter(action="wagtail_beian.document_download").exists()


def test_anonymous_is_sent_to_login(client, document):
    response = client.get(url(document))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_with_view_permission_downloads(client, clerk, document):
    client.force_login(clerk)
    assert client.get(url(document)).status_code == 200


def test_staff_without_permission_gets_404(client, document):
    client.force_login(factories.StaffFactory(username="plain-staff"))
    assert client.get(url(document)).status_code == 404


def test_unexpected_stored_content_type_is_served_as_octet_stream(client, customer, document):
    Document.objects.filter(pk=document.pk).update(content_type="text/html")
    client.force_login(customer)
    assert client.get(url(document))["Content-Type"] == "application/octet-stream"


def test_post_is_not_allowed(client, customer, document):
    client.force_login(customer)
    assert client.post(url(document)).status_code == 405
