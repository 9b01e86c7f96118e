from django.db import migrations


def load(apps, schema_editor):
    from osezia.referentiels.services import load_referentiels

    load_referentiels(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("referentiels", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
