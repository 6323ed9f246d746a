# Placeholder in the migration chain; operations are filled in by the feature that owns it.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("wagtail_beian", "0010_change_rules")]

    operations = []
