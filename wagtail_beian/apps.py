from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailBeianConfig(AppConfig):
    name = "wagtail_beian"
    label = "wagtail_beian"
    verbose_name = _("ICP filings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signals  # noqa: F401  (system checks; the working-day override source)
