"""The first synonym groups: industry terms and company names the real pages use for one thing."""
from django.db import migrations

INITIAL_GROUPS = [
    (["集成电路", "芯片"], "芯片产业常称集成电路产业"),
    (["新能源汽车", "新能源车", "电动汽车"], ""),
    (["人工智能", "AI"], ""),
    (["锂电池", "锂离子电池", "锂电"], ""),
    (["智能网联汽车", "车联网"], ""),
    (["徐工集团", "徐工"], "徐州工程机械集团的简称"),
    (["宁德时代", "CATL"], "宁德时代新能源科技的英文简称"),
]


def add_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms, note in INITIAL_GROUPS:
        SynonymGroup.objects.get_or_create(terms=terms, defaults={"note": note})


def remove_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms, _note in INITIAL_GROUPS:
        SynonymGroup.objects.filter(terms=terms).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_synonym_groups")]
    operations = [migrations.RunPython(add_groups, remove_groups)]
