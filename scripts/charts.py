"""Draw the charts `/timeline` attaches, for the bundled articles and a generated store, into docs/charts/.

    python3 scripts/charts.py                    # docs/charts/*.png, the generated store of 1,000 articles
    python3 scripts/charts.py --articles 200 --out /tmp/charts

Each chart is the one the Discord bot sends for those options: the same answer (the Discord surface's
limit), the same title as the answer's first embed, drawn by the same function. A change to the chart is
looked at here before it ships; each file is also written at 400 px wide (`*-400px.png`), the width
Discord shows it at. The generated articles come from the benchmark's generator. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from bot.answers import Facts  # noqa: E402
from bot.answers.questions import TIMELINE, Surface  # noqa: E402
from bot.build import build_store  # noqa: E402
from bot.bundled import seeds_folder  # noqa: E402
from bot.discord.embeds import timeline_pages  # noqa: E402
from bot.render.chart import timeline_png  # noqa: E402

BUNDLED = {
    "bundled-all": {},
    "bundled-1956-1960": {"from": 1956, "to": 1960},
    "bundled-2018-2019": {"from": 2018, "to": 2019},
}
GENERATED = {
    "all": {},
    "2015-2020": {"from": 2015, "to": 2020},
    "about-joint-declaration": {"about": "Joint Declaration"},
    "about-visa-free": {"about": "visa-free"},
}


async def _charts(db: Path, folder: Path, charts: dict[str, dict[str, object]], out: Path) -> list[Path]:
    await build_store([folder], db)
    facts = await Facts.open(db)
    written = []
    try:
        for name, options in charts.items():
            answer = await TIMELINE.ask(facts, options, Surface.DISCORD)
            if not answer.events:
                print(f"{name}: no events, no chart", file=sys.stderr)
                continue
            title = timeline_pages(answer)[0].embeds[0].title or "Timeline"
            png = timeline_png(answer.events, title, answer.total)
            path = out / f"{name}.png"
            image = Image.open(io.BytesIO(png))
            # The bot's PNG, compressed harder for the repository (the pixels are the same); the small copy
            # as a browser scales it, in a palette as small as it needs.
            image.save(path, optimize=True)
            small = image.resize((400, round(image.height * 400 / image.width)), Image.Resampling.LANCZOS)
            small.convert("RGB").quantize(64).save(out / f"{name}-400px.png", optimize=True)
            written.append(path)
            print(
                f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(answer.events)} of "
                f"{answer.total} events, {image.width}×{image.height} px"
            )
    finally:
        await facts.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles in the generated store")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "charts")
    parser.add_argument(
        "--work", type=Path, help="keep the generated articles and stores here (else a temporary folder)"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        tmp = args.work or Path(temporary)
        asyncio.run(_charts(tmp / "bundled.db", seeds_folder(), BUNDLED, args.out))
        if not (tmp / "generated").exists():
            generate(tmp / "generated", args.articles)
        named = {f"generated-{args.articles}-{name}": options for name, options in GENERATED.items()}
        asyncio.run(_charts(tmp / "generated.db", tmp / "generated", named, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
