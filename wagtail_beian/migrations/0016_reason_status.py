"""Return reasons: a status (open → changed / explained → confirmed, or reopened) instead of a
``resolved`` flag, with since when it is open, the customer's explanation and who confirmed it.

Reasons resolved before this migration were resolved by a resubmission and verified since, or not:
they become "confirmed" (the old behaviour); a reason that asked for no fix (a refused
cancellation) becomes "for information"."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


def forwards(apps, schema_editor):
    FilingReason = apps.get_model("wagtail_beian", "FilingReason")
    FilingReason.objects.update(opened_at=models.F("created_at"))
    FilingReason.objects.filter(resolved=True).update(status="confirmed")
    FilingReason.objects.filter(transition="refuse_cancellation").update(status="notice")


def backwards(apps, schema_editor):
    FilingReason = apps.get_model("wagtail_beian", "FilingReason")
    FilingReason.objects.exclude(status="open").update(resolved=True)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("wagtail_beian", "0015_transfer_reveal_password_permission"),
    ]

    operations = [
        migrations.AddField(
            model_name="filingreason", name="status",
            field=models.CharField(
                choices=[("open", "To fix"), ("changed", "Changed, awaiting confirmation"),
                         ("answered", "Explained, awaiting confirmation"), ("confirmed", "Confirmed"),
                         ("notice", "For information")],
                default="open", max_length=10, verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="filingreason", name="opened_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="opened"),
        ),
        migrations.AddField(
            model_name="filingreason", name="answer",
            field=models.TextField(
                blank=True, help_text="Why the field is right as it is, when the customer does not change it.",
                verbose_name="customer's explanation",
            ),
        ),
        migrations.AddField(
            model_name="filingreason", name="answered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="explained"),
        ),
        migrations.AddField(
            model_name="filingreason", name="confirmed_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="confirmed by",
            ),
        ),
        migrations.AddField(
            model_name="filingreason", name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="confirmed"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="filingreason", name="resolved"),
    ]
