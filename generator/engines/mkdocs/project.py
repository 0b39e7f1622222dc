"""What a `mkdocs.yml` says that the rest of the handbook needs: where the standards and the
site are, and the site's name. Read through MkDocs' own loader (inheritance, environment
variables and defaults as MkDocs resolves them), and only here."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.structure.files import InclusionLevel, get_files
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from generator.engines.failure import BuildFailedError
from generator.engines.markdown.project import SITE, HandWritten, ProjectError, SiteSettings
from generator.releases.history import DEFAULT_BRANCH


def _config(config_file: Path) -> MkDocsConfig:
    try:
        return load_config(config_file=str(config_file))
    except (Abort, ConfigurationError) as error:
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


def read_site(
    config_file: Path | None, standards: Path | None = None, templates: Path | None = None
) -> SiteSettings:
    """The settings of the handbook's mkdocs.yml; without one, a handbook of generated pages
    alone, named by its title. `standards` and `templates` replace the plugin's settings."""
    if config_file is None:
        return SiteSettings(
            site_name="",
            standards=standards or Path("standards"),
            templates=templates,
            branch=DEFAULT_BRANCH,
            directory_urls=True,
            site_dir=Path(SITE),
            written={},
            docs=(),
            theme_dir=None,
        )
    config = _config(config_file)
    # Excluded files are not built, nor drafts (`mkdocs build`; `mkdocs serve` builds them).
    left_out = (InclusionLevel.EXCLUDED, InclusionLevel.DRAFT)
    base = config_file.resolve().parent
    plugin = getattr(config.plugins.get("handbook"), "config", None)
    overrides = getattr(plugin, "templates", None)
    if templates is None and overrides:
        templates = base / str(overrides)
        if not templates.is_dir():
            raise ProjectError(
                f"the handbook plugin's `templates: {overrides}` in {config_file} names no "
                f"folder ({templates} does not exist); create it, or correct or remove the setting"
            )
    with config_file.open("rb") as source:  # as written: MkDocs' validation changes some values
        try:
            written = yaml_load(source, get_yaml_loader())
        except ConfigurationError as error:
            raise BuildFailedError(f"{config_file}: {error}") from None
    theme = written.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    return SiteSettings(
        site_name=str(config.site_name),
        standards=standards or base / str(getattr(plugin, "standards", "standards")),
        templates=templates,
        branch=str(getattr(plugin, "site_branch", DEFAULT_BRANCH)),
        directory_urls=bool(config.use_directory_urls),
        site_dir=Path(config.site_dir),
        written=written,
        docs=tuple(
            HandWritten(
                file.src_uri,
                Path(file.abs_src_path),
                file.dest_uri,
                _source(Path(file.abs_src_path), base),
            )
            for file in get_files(config)
            if file.inclusion not in left_out and file.abs_src_path is not None
        ),
        theme_dir=base / str(custom_dir) if custom_dir else None,
    )


def _source(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()
