"""Files installed with the package: the curated data and the bundled articles.

They live in the repository's top-level `data/` and `seeds/` folders, which are installed as the packages
`factbot_data` and `factbot_seeds` (see pyproject.toml), so a checkout and an installed wheel find them the
same way.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _folder(package: str) -> Path:
    # Installed packages are plain folders (pip unpacks wheels), so their resources are plain files.
    return Path(str(files(package)))


def data_file(name: str) -> Path:
    """A curated data file, such as `gazetteer.toml` or `people.toml`."""
    return _folder("factbot_data") / name


def seeds_folder() -> Path:
    """The folder of the bundled articles."""
    return _folder("factbot_seeds")
