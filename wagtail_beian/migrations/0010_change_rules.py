# F05/W05 (changes) and the deadline monitor's transfers: the W05 clock of a change that adds a
# website, and deadline notices about access transfers as well as filings.
import django.db.models.deletion
from django.db import migrations, models

DEADLINE_KINDS = [
    ("provider", "Provider verification"),
    ("sms", "SMS confirmation"),
    ("bureau", "Bureau review"),
    ("website", "Added website to the bureau"),
]


class Migration(migrations.Migration):
    dependencies = [("wagtail_beian", "0009_transfer_rules")]

    operations = [
        migrations.AddField(
            model_name="filing",
            name="website_addition_started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="website addition submitted"),
        ),
        migrations.AddField(
            model_name="filing",
            name="website_addition_due_at",
            field=models.DateTimeField(
                blank=True, db_index=True, null=True, verbose_name="added website due at the bureau"
            ),
        ),
        migrations.AlterField(
            model_name="filing",
            name="deadline_kind",
            field=models.CharField(blank=True, choices=DEADLINE_KINDS, max_length=10, verbose_name="deadline"),
        ),
        migrations.RemoveConstraint(model_name="deadlinenotice", name="beian_unique_deadline_notice"),
        migrations.AlterField(
            model_name="deadlinenotice",
            name="filing",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="deadline_notices",
                to="wagtail_beian.filing", verbose_name="filing",
            ),
        ),
        migrations.AddField(
            model_name="deadlinenotice",
            name="transfer",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="deadline_notices",
                to="wagtail_beian.accesstransfer", verbose_name="access transfer",
            ),
        ),
        migrations.AlterField(
            model_name="deadlinenotice",
            name="deadline_kind",
            field=models.CharField(choices=DEADLINE_KINDS, max_length=10, verbose_name="deadline"),
        ),
        migrations.AddConstraint(
            model_name="deadlinenotice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("filing__isnull", False)),
                fields=("filing", "deadline_kind", "deadline_at", "level", "recipient"),
                name="beian_unique_deadline_notice",
            ),
        ),
        migrations.AddConstraint(
            model_name="deadlinenotice",
            constraint=models.UniqueConstraint(
                condition=models.Q(("transfer__isnull", False)),
                fields=("transfer", "deadline_kind", "deadline_at", "level", "recipient"),
                name="beian_unique_transfer_deadline_notice",
            ),
        ),
        migrations.AddConstraint(
            model_name="deadlinenotice",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("filing__isnull", False), ("transfer__isnull", True)),
                    models.Q(("filing__isnull", True), ("transfer__isnull", False)),
                    _connector="OR",
                ),
                name="beian_deadline_notice_one_subject",
            ),
        ),
    ]
