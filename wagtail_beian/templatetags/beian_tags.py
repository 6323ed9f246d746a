"""``{% load beian_tags %}{% beian_footer %}``: the ICP and public-security numbers of the current site."""

from django import template
from wagtail.models import Site

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
