"""The search index the handbook writes in place of Material's search plugin is the file that
plugin writes, byte for byte, and the plugin no longer writes one of its own."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.test_site import FIXED_EPOCH

HOOK = '''\
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(-200)
def on_post_build(config):
    """After every plugin: what Material's search plugin would have written, and whether it
    was left anything to write."""
    search = config.plugins["material/search"]
    out = Path(config.config_file_path).parent
    text = search.search_index.generate_search_index(None)
    (out / "material-index.json").write_text(text, encoding="utf-8")
    (out / "search-enabled.txt").write_text(str(search.config["enabled"]), encoding="utf-8")
'''


def test_the_search_index_is_materials_own_written_a_document_at_a_time(small: Path) -> None:
    (small / "hooks.py").write_text(HOOK, encoding="utf-8")
    config = small / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks: [hooks.py]\n", "utf-8")
    result = run_cli("build", cwd=small, env=FIXED_EPOCH)
    assert result.code == 0, result.stderr
    written = (small / "site" / "search" / "search_index.json").read_bytes()
    assert written == (small / "material-index.json").read_bytes()
    assert (small / "search-enabled.txt").read_text(encoding="utf-8") == "False"
    docs = json.loads(written)["docs"]
    assert any("We treat every customer as a guest." in doc["text"] for doc in docs)
