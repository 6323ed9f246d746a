"""The customer portal: mount with ``path("beian/", include("wagtail_beian.portal.urls"))``."""
