# Spreadsheet imports (issue 6): ImportJob and the "import_filing" permission.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wagtail_beian", "0011_claims_hosted_domains"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                ('file_name', models.CharField(editable=False, max_length=255)),
                ('file_size', models.PositiveBigIntegerField(default=0, verbose_name='file size')),
                ('take_states', models.BooleanField(default=False, verbose_name='take states from the sheet')),
                ('status', models.CharField(choices=[('pending', 'Waiting to be checked'), ('checking', 'Checking'), ('ready', 'Checked, waiting for confirmation'), ('invalid', 'Refused: nothing was imported'), ('importing', 'Importing'), ('done', 'Imported'), ('failed', 'Failed: nothing was imported')], default='pending', max_length=12, verbose_name='status')),
                ('background', models.BooleanField(default=False, verbose_name='in the background')),
                ('progress', models.PositiveIntegerField(default=0, verbose_name='rows done')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='rows')),
                ('counts', models.JSONField(blank=True, default=dict, verbose_name='counts')),
                ('report', models.JSONField(blank=True, default=dict, verbose_name='report')),
                ('created_filings', models.JSONField(blank=True, default=list)),
                ('updated_filings', models.JSONField(blank=True, default=list)),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
                ('default_owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='customer for rows without one')),
            ],
            options={
                'verbose_name': 'spreadsheet import',
                'verbose_name_plural': 'spreadsheet imports',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.AlterModelOptions(
            name='filing',
            options={'ordering': ['-created_at', '-pk'], 'permissions': [('verify_filing', 'Can verify and return filings (provider verification)'), ('edit_submitted_filing', 'Can edit filings after submission'), ('submit_to_bureau', 'Can submit filings to the bureau and record the SMS check'), ('record_bureau_decision', 'Can enter bureau approvals and rejections'), ('process_cancellation', 'Can process cancellations'), ('view_personal_data', 'Can view personal data such as certificate numbers'), ('override_certificate_checksum', 'Can accept certificate numbers that fail the checksum'), ('import_filing', 'Can import filings from spreadsheets')], 'verbose_name': 'filing', 'verbose_name_plural': 'filings'},
        ),
    ]
