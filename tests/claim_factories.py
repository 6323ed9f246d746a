"""Claims (F09) and hosted domains (F08) for tests: approved filings to claim, claims, scans."""

import hashlib

from django.core.files.base import ContentFile

from tests import factories
from wagtail_beian import models as m
from wagtail_beian.uploads import CleanUpload


def clean_png(name="licence.png", width=320, height=240):
    data = factories.png_bytes(width, height)
    return CleanUpload(
        content=data, content_type="image/png", extension=".png", original_name=name, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), width=width, height=height,
    )


def approved_filing(owner, n, *, province="京", **kwargs):
    """An approved filing with one numbered website (state set directly: a fixture, not a workflow test)."""
    filing = factories.FilingFactory(owner=owner, **kwargs)
    number = factories.subject_number_for(province, n)
    m.Filing.objects.filter(pk=filing.pk).update(state=m.FilingState.APPROVED, subject_number=number, last_site_number=1)
    m.Website.objects.filter(filing=filing).update(site_number=1)
    return m.Filing.objects.select_related("subject").get(pk=filing.pk)


def claim_data(filing, claimant, **overrides):
    website = filing.websites.get()
    data = {
        "member_email": claimant.email, "organizer_name": filing.subject.name,
        "filing_number": f"{filing.subject_number}-1", "domain": website.domain,
    }
    data.update(overrides)
    return data


def make_claim(claimant, filing):
    """A requested claim with one scan, saved directly."""
    claim = m.FilingClaim.objects.create(
        claimant=claimant, filing=filing, member_email=claimant.email, organizer_name=filing.subject.name,
        filing_number=filing.subject_number, domain=filing.websites.get().domain,
    )
    scan = m.FilingClaimScan(claim=claim, original_name="licence.png", content_type="image/png")
    scan.file.save("scan.png", ContentFile(factories.png_bytes(320, 240)), save=False)
    scan.size = scan.file.size
    scan.save()
    return claim


__all__ = ["approved_filing", "claim_data", "clean_png", "make_claim"]
