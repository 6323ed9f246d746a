"""System checks: identity scans must never be reachable through MEDIA_URL."""

from django.core.checks import Error, register

from .storage import check_private_storage_outside_media_root


@register()
def private_storage_not_public(app_configs, **kwargs):
    if check_private_storage_outside_media_root():
        return []
    return [
        Error(
            "The private storage for identity scans lies inside MEDIA_ROOT, so scans could be served publicly.",
            hint="Point STORAGES['wagtail_beian_private'] (or WAGTAIL_BEIAN_PRIVATE_ROOT) outside MEDIA_ROOT.",
            id="wagtail_beian.E001",
        )
    ]
