"""What a `mkdocs.yml` says that the rest of the handbook needs: where the standards and the
site are, and the site's name. Read through MkDocs' own loader (inheritance, environment
variables and defaults as MkDocs resolves them), and only here."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError

from generator.engines.failure import BuildFailedError


def _config(config_file: Path) -> MkDocsConfig:
    try:
        return load_config(config_file=str(config_file))
    except ConfigurationError as error:
        raise BuildFailedError(f"{config_file}: {error}") from None


def standards_folder(config_file: Path) -> Path:
    """The standards folder a mkdocs.yml points its handbook plugin at."""
    config = _config(config_file)
    plugin = config.plugins.get("handbook")
    folder = getattr(getattr(plugin, "config", None), "standards", "standards")
    return config_file.resolve().parent / str(folder)


def site_folder(config_file: Path) -> Path:
    return Path(_config(config_file).site_dir)


def site_name(config_file: Path) -> str:
    return str(_config(config_file).site_name)
