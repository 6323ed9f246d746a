from wagtail.models import Page


class HomePage(Page):
    """The sandbox site's home page (a hosted customer site would have its own pages)."""

    max_count = 1
