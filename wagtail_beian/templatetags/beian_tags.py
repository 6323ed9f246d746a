"""``{% load beian_tags %}``: ``{% beian_footer %}`` (the ICP and public-security numbers of the current site)
and ``{{ domain|unicode_domain }}`` (a stored punycode domain as people read it)."""

from django import template
from wagtail.models import Site

from ..rules.domains import domain_to_unicode
from ..services.footer import footer_numbers

register = template.Library()


@register.inclusion_tag("wagtail_beian/includes/footer.html", takes_context=True)
def beian_footer(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"numbers": None}
    numbers = footer_numbers(site)
    return {"numbers": numbers if numbers["icp_number"] else None}


@register.filter
def unicode_domain(domain):
    """``xn--fsqu00a.xn--fiqs8s`` → ``例子.中国`` for display only (never in URLs or form values); ``""`` for None."""
    if not domain:
        return ""
    return domain_to_unicode(str(domain))
