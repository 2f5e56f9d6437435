"""Small synthetic page dumps (text of our own) with a known number of articles, for the
ingest's identity, entry and fault tests."""
from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

TOPICS = ("新材料产业园", "智能装备基地", "生物医药港", "数字经济小镇", "低空经济示范区", "新能源电池工厂", "集成电路设计中心")


def page(place: str, articles: int) -> str:
    """A printed page's dump of `articles` articles, each headed `## …` and opened by a 本报讯 lede."""
    parts = []
    for number in range(1, articles + 1):
        topic = TOPICS[(number - 1) % len(TOPICS)]
        parts.append(
            f"## {place}{topic}第{number}期工程开工\n\n"
            f"本报讯(记者 林晓舟)昨天上午,{place}{topic}第{number}期工程举行开工仪式。"
            f"项目总投资约{11 + number}亿元,建成后预计年产值可达{29 + number}亿元,将带动周边上下游企业协同发展。"
            f"负责人介绍,园区将重点引进研发团队,完善配套服务,力争明年年底前投入使用。\n"
        )
    return "\n".join(parts)


def write_page(path: Path, place: str, articles: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page(place, articles), encoding="utf-8")
    return path


def run_ingest(*paths, **options) -> tuple[int, str]:
    """The ingest command through call_command: (exit status, everything it printed)."""
    out, err = StringIO(), StringIO()
    options.setdefault("no_progress", True)
    try:
        call_command("ingest", *map(str, paths), stdout=out, stderr=err, **options)
    except CommandError as exc:
        return exc.returncode, f"{out.getvalue()}{err.getvalue()}CommandError: {exc}"
    return 0, out.getvalue() + err.getvalue()
