"""A page spliced from its block file is byte for byte the page assembled in memory, and a page
or block file that is not what it should be is refused, never half-written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.speed import blockfile
from generator.speed.helper import Helper
from tests.conftest import run_cli
from tests.test_site import FIXED_EPOCH

TOKEN = "hb0123456789abcdef01234567"
BLOCKS = [
    '<table id="PAR-001"><tr><td>Say “Good morning”</td></tr></table>',
    "",
    "<p id='NRM-002'>Кириллица, latviešu, Türkçe and a lone \ud800 surrogate</p>" * 500,
]
SHELL = (
    '<html><h1 id="top">Print</h1>\n'
    f"<p>{TOKEN}-0</p>\n<h2>Between</h2>\n<p>{TOKEN}-1</p><p>{TOKEN}-2</p>\n</html>\n"
)


def _in_memory(shell: str, blocks: list[str]) -> bytes:
    """What MkDocs writes when the blocks are in the page's content."""
    html = re.sub(rf"<p>{TOKEN}-(\d+)</p>", lambda m: blocks[int(m.group(1))], shell)
    return html.encode("utf-8", errors="xmlcharrefreplace")


def _written(tmp_path: Path, shell: str) -> Path:
    page = tmp_path / "site" / "print" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_bytes(shell.encode("utf-8"))
    page.chmod(0o640)
    return page


def _block_file(tmp_path: Path) -> blockfile.BlockFile:
    made = blockfile.write([lambda b=b: b for b in BLOCKS], tmp_path / "0.blocks")  # type: ignore[misc]
    assert made is not None
    return made


def test_a_spliced_page_is_the_page_assembled_in_memory(tmp_path: Path) -> None:
    page = _written(tmp_path, SHELL)
    made = _block_file(tmp_path)
    assert made.ids == ("PAR-001",) + ("NRM-002",) * 500
    assert made.blocks()[0] == BLOCKS[0]
    blockfile.splice(page, TOKEN, made)
    assert page.read_bytes() == _in_memory(SHELL, BLOCKS)
    assert page.stat().st_mode & 0o777 == 0o640  # as it was written
    assert [p.name for p in page.parent.iterdir()] == ["index.html"]  # no scratch file left


@pytest.mark.parametrize(
    "changed",
    [
        SHELL.replace(f"<p>{TOKEN}-1</p>", ""),  # a placeholder lost
        SHELL.replace(f"<p>{TOKEN}-0</p>", f"<p>{TOKEN}-2</p>"),  # out of order, repeated
    ],
    ids=["lost", "repeated"],
)
def test_a_page_whose_placeholders_changed_is_refused_and_left_as_written(
    tmp_path: Path, changed: str
) -> None:
    page = _written(tmp_path, changed)
    with pytest.raises(blockfile.SpliceError, match="another plugin changed the page"):
        blockfile.splice(page, TOKEN, _block_file(tmp_path))
    assert page.read_text(encoding="utf-8") == changed
    assert [p.name for p in page.parent.iterdir()] == ["index.html"]


def test_a_damaged_block_file_is_not_read(tmp_path: Path) -> None:
    made = _block_file(tmp_path)
    whole = made.path.read_bytes()
    for damage in (whole[:-1], whole[:10], b"", whole[:-9] + b"\xff" * 8 + whole[-1:]):
        made.path.write_bytes(damage)
        assert blockfile.read_index(made.path, len(damage)) is None


def test_a_result_written_in_chunks_is_checked_without_being_read_whole() -> None:
    chunks = [b"a" * 100_000, b"", "ü".encode() * 50_000]
    helper = Helper([("chunks", lambda: iter(chunks))])
    helper.start()
    try:
        found = helper.result_file("chunks")
        assert found is not None
        path, length = found
        assert path.read_bytes()[:length] == b"".join(chunks)
        path.write_bytes(path.read_bytes()[:-1] + b"!")
        assert helper.result_file("chunks") is None
    finally:
        helper.stop()


def test_a_plugin_that_loses_a_placeholder_fails_the_build_and_keeps_the_site(
    small: Path,
) -> None:
    assert run_cli("build", cwd=small, env=FIXED_EPOCH).code == 0
    before = (small / "site" / "print" / "index.html").read_bytes()
    (small / "hooks.py").write_text(
        "import re\n\n\n"
        "def on_post_page(output, page, config):\n"
        "    return re.sub(r'<p>hb[0-9a-f]+-1</p>', '', output)\n",
        encoding="utf-8",
    )
    config = small / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks: [hooks.py]\n", "utf-8")
    result = run_cli("build", cwd=small, env=FIXED_EPOCH)
    assert result.code != 0
    assert "another plugin changed the page" in result.stderr
    assert (small / "site" / "print" / "index.html").read_bytes() == before
