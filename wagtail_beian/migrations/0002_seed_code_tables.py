from django.db import migrations

from wagtail_beian.seed_codes import seed_code_tables


class Migration(migrations.Migration):
    dependencies = [("wagtail_beian", "0001_initial")]

    operations = [migrations.RunPython(seed_code_tables, migrations.RunPython.noop)]
