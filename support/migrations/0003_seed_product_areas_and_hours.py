"""Seed the eleven product areas (SUP-3) and the support hours (SUP-5): see support/product_data.py."""

from django.db import migrations

from support import product_data


def seed(apps, schema_editor):
    product_data.seed(apps)


class Migration(migrations.Migration):
    dependencies = [("support", "0002_tickets")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
