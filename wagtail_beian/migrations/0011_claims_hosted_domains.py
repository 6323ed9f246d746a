# Filing claims (备案归属, F09) and the provider's hosted domains (F08 actual access).

import django.db.models.deletion
import django.utils.timezone
import django_fsm
from django.conf import settings
from django.db import migrations, models

import wagtail_beian.models.cleaning
import wagtail_beian.storage


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_beian", "0010_change_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FilingClaim",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("state", django_fsm.FSMField(choices=[("requested", "Requested"), ("approved", "Approved"), ("refused", "Refused"), ("withdrawn", "Withdrawn")], default="requested", max_length=20, protected=True, verbose_name="state")),
                ("member_email", models.EmailField(max_length=254, verbose_name="member e-mail")),
                ("organizer_name", models.CharField(max_length=100, verbose_name="organizer name")),
                ("filing_number", models.CharField(help_text="e.g. 京ICP备17042306号-1.", max_length=40, verbose_name="filing number")),
                ("domain", models.CharField(max_length=253, verbose_name="domain")),
                ("refusal_reasons", models.JSONField(blank=True, default=list, verbose_name="reasons")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                ("claimant", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="beian_filing_claims", to=settings.AUTH_USER_MODEL, verbose_name="claimant")),
                ("filing", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="claims", to="wagtail_beian.filing", verbose_name="filing")),
                ("previous_owner", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="previous owner")),
                ("ticket", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="claims", to="wagtail_beian.ticket", verbose_name="support ticket")),
            ],
            options={
                "verbose_name": "filing claim",
                "verbose_name_plural": "filing claims",
                "ordering": ["-created_at", "-pk"],
                "permissions": [("verify_claim", "Can approve and refuse filing claims")],
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("state", "requested")), fields=("claimant", "filing"), name="beian_one_open_claim_per_member"),
                ],
            },
            bases=(wagtail_beian.models.cleaning.FSMCleanMixin, django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name="FilingClaimScan",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file", models.FileField(max_length=200, storage=wagtail_beian.storage.private_storage, upload_to=wagtail_beian.storage.random_scan_name, verbose_name="file")),
                ("original_name", models.CharField(blank=True, max_length=255, verbose_name="original file name")),
                ("content_type", models.CharField(blank=True, max_length=50, verbose_name="content type")),
                ("size", models.PositiveIntegerField(default=0, verbose_name="size")),
                ("sha256", models.CharField(blank=True, editable=False, max_length=64)),
                ("uploaded_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="uploaded")),
                ("claim", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="scans", to="wagtail_beian.filingclaim")),
            ],
            options={"verbose_name": "claim scan", "verbose_name_plural": "claim scans", "ordering": ["uploaded_at", "pk"]},
        ),
        migrations.CreateModel(
            name="HostedDomain",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("domain", models.CharField(help_text="The registered domain, e.g. example.com (hosts such as www.example.com are folded into it).", max_length=253, unique=True, verbose_name="domain")),
                ("hosts", models.TextField(blank=True, help_text="The host names of the list, one per line.", verbose_name="hosts seen")),
                ("imported_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="imported")),
                ("imported_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="imported by")),
            ],
            options={"verbose_name": "hosted domain", "verbose_name_plural": "hosted domains", "ordering": ["domain"]},
        ),
    ]
