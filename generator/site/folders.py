"""The site's files that ship with the package: one place names where they are, so that an
engine adapter finds the theme and scripts without knowing how the package is laid out."""

from pathlib import Path

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
ASSETS = HERE / "assets"
THEME = HERE / "theme"
"""Overrides of Material's templates (language links, the 404 page's script)."""
LOCALE = HERE / "locale"


def asset_text(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")
