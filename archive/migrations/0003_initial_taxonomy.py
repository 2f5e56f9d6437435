from django.db import migrations


def add_taxonomy(apps, schema_editor):
    from archive.extract.taxonomy import INITIAL_TAXONOMY

    Industry = apps.get_model("archive", "Industry")
    for order, (name, keywords) in enumerate(INITIAL_TAXONOMY):
        Industry.objects.get_or_create(name=name, defaults={"keywords": "\n".join(keywords), "order": order})


def remove_taxonomy(apps, schema_editor):
    from archive.extract.taxonomy import INITIAL_TAXONOMY

    apps.get_model("archive", "Industry").objects.filter(name__in=[name for name, _ in INITIAL_TAXONOMY]).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_entities_and_stories")]
    operations = [migrations.RunPython(add_taxonomy, remove_taxonomy)]
