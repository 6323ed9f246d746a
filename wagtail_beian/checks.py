"""System checks: identity scans must never be reachable through MEDIA_URL; the verification
sheets need a Chinese font."""

from django.core.checks import Error, Warning, register

from .printouts import FontMissing, cjk_font
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


@register()
def chinese_font_for_printouts(app_configs, **kwargs):
    try:
        cjk_font()
    except FontMissing as missing:
        return [
            Warning(
                f"Customers cannot generate their verification sheets: {missing}.",
                hint="apt-get install fonts-noto-cjk, or set WAGTAIL_BEIAN_PDF_FONT to a CJK .ttf/.otf/.ttc "
                     "(\"path.ttc:index\" for a collection).",
                id="wagtail_beian.W001",
            )
        ]
    return []
