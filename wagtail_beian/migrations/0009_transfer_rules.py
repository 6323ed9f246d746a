"""Access transfers: one open transfer per domain (F07), double submit, ticket link, timestamps."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_target_domain(apps, schema_editor):
    AccessTransfer = apps.get_model("wagtail_beian", "AccessTransfer")
    for transfer in AccessTransfer.objects.all().only("pk", "direction", "domain", "new_domain"):
        target = transfer.new_domain if transfer.direction == "incoming_new_website" else transfer.domain
        AccessTransfer.objects.filter(pk=transfer.pk).update(target_domain=target or "")


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_beian", "0008_access_transfers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="accesstransfer",
            name="submission_key",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="accesstransfer",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="submitted to bureau"),
        ),
        migrations.AddField(
            model_name="accesstransfer",
            name="target_domain",
            field=models.CharField(blank=True, editable=False, max_length=253, verbose_name="domain concerned"),
        ),
        migrations.AddField(
            model_name="accesstransfer",
            name="ticket",
            field=models.OneToOneField(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="access_transfer",
                to="wagtail_beian.ticket", verbose_name="support ticket",
            ),
        ),
        migrations.AddField(
            model_name="accesstransfer",
            name="verified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="verified"),
        ),
        migrations.RunPython(fill_target_domain, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="accesstransfer",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("state__in", ["requested", "provider_verified", "submitted_to_bureau"]),
                    models.Q(("target_domain", ""), _negated=True),
                ),
                fields=("target_domain",),
                name="beian_f07_one_open_transfer_per_domain",
            ),
        ),
        migrations.AddConstraint(
            model_name="accesstransfer",
            constraint=models.UniqueConstraint(fields=("owner", "submission_key"), name="beian_transfer_submitted_once"),
        ),
    ]
