from django.db import migrations

from archive.ingest.outlet_list import INITIAL_OUTLETS

PLACEHOLDER = "未知来源"


def add_outlets(apps, schema_editor):
    """List the initial outlets; publications inferred from pages so far are not listed, and the
    placeholder for pages without an outlet carries no place."""
    Publication = apps.get_model("archive", "Publication")
    Publication.objects.exclude(name__in=[row[0] for row in INITIAL_OUTLETS]).update(listed=False)
    Publication.objects.filter(name=PLACEHOLDER).update(city="", district="")
    for name, medium, city, district, aliases in INITIAL_OUTLETS:
        outlet, created = Publication.objects.get_or_create(
            name=name, defaults={"medium": medium, "city": city, "district": district, "aliases": list(aliases)})
        if not created:
            outlet.listed = True
            outlet.aliases = sorted(set(outlet.aliases or []) | set(aliases))
            outlet.save(update_fields=["listed", "aliases"])


def remove_outlets(apps, schema_editor):
    Publication = apps.get_model("archive", "Publication")
    Publication.objects.filter(name__in=[row[0] for row in INITIAL_OUTLETS], sections__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0004_outlets_and_page_facts")]
    operations = [migrations.RunPython(add_outlets, remove_outlets)]
