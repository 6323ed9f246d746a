# Placeholder in the migration chain; operations are filled in by the feature that owns it.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wagtail_beian", "0011_claims_hosted_domains")]

    operations = []
