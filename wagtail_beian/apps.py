from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from .rules import workdays


class WagtailBeianConfig(AppConfig):
    name = "wagtail_beian"
    label = "wagtail_beian"
    verbose_name = _("ICP filings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, as Django documents for signal wiring: these modules import the models,
        # which may be imported only once the app registry is ready.
        from . import checks  # noqa: F401  (registers the system checks)
        from .models.codes import holiday_overrides, invalidate_overrides
        from .notifications import receivers
        from .services import footer

        # The staff-edited holiday table feeds the one working-day calendar (F04).
        workdays.set_override_source(holiday_overrides)
        holidays = "wagtail_beian.HolidayOverride"
        post_save.connect(invalidate_overrides, sender=holidays, dispatch_uid="wagtail_beian.holidays.save")
        post_delete.connect(invalidate_overrides, sender=holidays, dispatch_uid="wagtail_beian.holidays.delete")
        footer.connect_cache_invalidation()
        receivers.connect()
