"""Signal wiring: the staff-edited holiday table feeds the one working-day calendar (F04)."""

import time

from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .rules import workdays

#: Other processes see a staff edit within this many seconds; this process at once.
OVERRIDE_CACHE_SECONDS = 60
_cache = {}


def _load_overrides():
    loaded_at = _cache.get("loaded_at")
    if loaded_at is None or time.monotonic() - loaded_at > OVERRIDE_CACHE_SECONDS:
        from .models import HolidayOverride

        try:
            overrides = dict(HolidayOverride.objects.values_list("date", "is_workday"))
        except DatabaseError:  # the table is not migrated yet (e.g. during migrate)
            return {}
        _cache.update(overrides=overrides, loaded_at=time.monotonic())
    return _cache["overrides"]


def invalidate_overrides(**kwargs):
    _cache.clear()
    workdays.clear_cache()


workdays.set_override_source(_load_overrides)


@receiver(post_save, sender="wagtail_beian.HolidayOverride")
@receiver(post_delete, sender="wagtail_beian.HolidayOverride")
def _holiday_override_changed(**kwargs):
    invalidate_overrides()


def _footer_changed(**kwargs):
    from .services.footer import invalidate

    invalidate()


for _sender in ("wagtail_beian.Filing", "wagtail_beian.Website", "wagtail_beian.SiteFilingNumbers", "wagtailcore.Site"):
    post_save.connect(_footer_changed, sender=_sender, dispatch_uid=f"beian_footer_save_{_sender}")
    post_delete.connect(_footer_changed, sender=_sender, dispatch_uid=f"beian_footer_delete_{_sender}")
