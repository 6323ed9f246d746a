"""The filing numbers a hosted Wagtail site shows in its footer (MIIT order 33, art. 13).

Looked up once per site and cached; any change to a filing, a website, the per-site numbers or a
Site invalidates every site's entry (a version bump: no key scans, safe with any cache backend).
"""

import logging

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from ..models import FilingKind, FilingState, SiteFilingNumbers, Website, WebsiteStatus
from ..rules.domains import registered_domain_of
from ..rules.numbers import parse_public_security_number

logger = logging.getLogger(__name__)

MIIT_URL = "https://beian.miit.gov.cn/"
MPS_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"
VERSION_KEY = "wagtail_beian:footer:version"
CACHE_SECONDS = 60 * 60


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return version


def invalidate(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


#: A save or delete of any of these may change which number a footer shows.
INVALIDATED_BY = ("wagtail_beian.Filing", "wagtail_beian.Website", "wagtail_beian.SiteFilingNumbers", "wagtailcore.Site")


def connect_cache_invalidation():
    """Called once from ``WagtailBeianConfig.ready``: any change to a source drops every cached footer."""
    for sender in INVALIDATED_BY:
        post_save.connect(invalidate, sender=sender, dispatch_uid=f"beian_footer_save_{sender}")
        post_delete.connect(invalidate, sender=sender, dispatch_uid=f"beian_footer_delete_{sender}")


def approved_number_for_host(hostname):
    """The website number of the approved, active website whose registered domain serves ``hostname``."""
    domain = registered_domain_of(hostname)
    if domain is None:
        return ""
    website = (
        Website.objects.filter(
            domain=domain, is_live=True, status=WebsiteStatus.ACTIVE, site_number__isnull=False,
            filing__kind=FilingKind.NEW, filing__state=FilingState.APPROVED,
        )
        .select_related("filing")
        .first()
    )
    return website.filing_number if website else ""


def footer_numbers(site):
    """{"icp_number", "icp_url", "psb_number", "psb_url"} for a Wagtail Site (cached)."""
    key = f"wagtail_beian:footer:{_version()}:{site.pk}"
    numbers = cache.get(key)
    if numbers is None:
        numbers = _lookup(site)
        cache.set(key, numbers, CACHE_SECONDS)
    return numbers


def numbers_for(icp, public_security_number=""):
    """{"icp_number", "icp_url", "psb_number", "psb_url"}: what a footer shows for these numbers."""
    numbers = {"icp_number": icp, "icp_url": MIIT_URL if icp else "", "psb_number": "", "psb_url": ""}
    if public_security_number:
        psb = parse_public_security_number(public_security_number)
        numbers.update(psb_number=str(psb), psb_url=MPS_URL.format(code=psb.query_code))
    return numbers


def website_footer_numbers(website):
    """What the footer of an approved website shows (the customer copies it from the portal)."""
    return numbers_for(website.filing_number, website.public_security_number)


def _lookup(site):
    # Not for_site(): that creates the row, whose save would invalidate the cache being filled.
    settings = SiteFilingNumbers.objects.filter(site=site).first() or SiteFilingNumbers(site=site)
    icp = settings.icp_number or approved_number_for_host(site.hostname)
    numbers = numbers_for(icp, settings.public_security_number)
    if not icp:
        logger.warning(
            "wagtail_beian: site %s (%s) has no approved ICP filing number; the footer shows none. "
            "File the domain, or enter the number in the site's settings.", site.pk, site.hostname,
        )
    return numbers
