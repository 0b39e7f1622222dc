"""How a handbook repository installs its generator: a wheel of the very generator that made it,
kept in the repository, and every package it needs pinned by hash.

The generator is not on a package index, so a requirement such as `service-handbook==0.1.0`
cannot be installed by a CI runner. A git URL pinned to a commit would need the generator's
own repository to be reachable from every runner (it may be private, or not hosted at all) and
cannot be hash-checked by pip. A wheel in `vendor/` needs nothing but the package index for
the dependencies, and `requirements.txt` pins it by path and hash and each dependency by
version and hash (`dependencies.lock`, the pins this project is tested with): the
same commit of a handbook installs the same packages and so builds the same site.

The wheel is made from the generator's installed files and is byte for byte the same wherever
it is made (no clock, sorted entries, fixed file modes, stored uncompressed): `handbook upgrade`
with the same generator rewrites nothing. Its version carries a digest of the files as a local
label (`0.1.0+4f1c…`), so that pip tells two builds of the same version apart.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from importlib.metadata import distribution
from pathlib import Path, PurePosixPath

from generator.system.filesystem import write_whole

DISTRIBUTION = "service-handbook"
PACKAGE = Path(__file__).parents[1]
"""The installed package: its files go into the vendored wheel."""
DEPENDENCIES = Path(__file__).parent / "dependencies.lock"
VENDOR = "vendor"
REQUIREMENTS = "requirements.txt"
INSTALL = f"pip install --require-hashes -r {REQUIREMENTS}"
"""The one command that installs a handbook's generator (the CI files run it)."""

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
_WHEEL_NAME = re.compile(r"service_handbook-[^-]+-py3-none-any\.whl")

REQUIREMENTS_HEADER = """\
# The generator that builds this handbook and every package it needs, each pinned by hash:
# the same commit installs the same packages and builds the same site. Install with
#   {install}
# (Python 3.11, as CI uses). The generator is the wheel in {vendor}/, the one that wrote this
# file; to move to another, install it and run `handbook upgrade`, then commit both.
"""


@dataclass(frozen=True)
class Wheel:
    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _package_files() -> list[tuple[str, bytes]]:
    """Every file of the installed package, as the wheel names them, in a fixed order."""
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if not path.is_file() or "__pycache__" in relative.parts or path.suffix == ".pyc":
            continue
        found.append((str(PurePosixPath("generator", *relative.parts)), path.read_bytes()))
    return found


def _digest(files: list[tuple[str, bytes]]) -> str:
    outer = hashlib.sha256()
    for name, content in files:
        outer.update(name.encode("utf-8") + b"\0" + hashlib.sha256(content).digest())
    return outer.hexdigest()[:12]


def _record_hash(content: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def _metadata(version: str) -> tuple[str, str]:
    """METADATA and entry_points.txt, from the installed distribution's own metadata."""
    installed = distribution(DISTRIBUTION)
    fields = installed.metadata
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {DISTRIBUTION}",
        f"Version: {version}",
        f"Summary: {fields['Summary']}",
        f"Requires-Python: {fields['Requires-Python']}",
    ]
    lines += [
        f"Requires-Dist: {requirement}"
        for requirement in fields.get_all("Requires-Dist") or []
        if "extra ==" not in requirement
    ]
    groups: dict[str, list[str]] = {}
    for entry in sorted(installed.entry_points, key=lambda e: (e.group, e.name)):
        groups.setdefault(entry.group, []).append(f"{entry.name} = {entry.value}")
    entry_points = "".join(
        f"[{group}]\n" + "".join(f"{line}\n" for line in entries) + "\n"
        for group, entries in groups.items()
    )
    return "\n".join(lines) + "\n", entry_points


def generator_wheel() -> Wheel:
    """A wheel of the generator that is running, made from its installed files."""
    files = _package_files()
    base = distribution(DISTRIBUTION).version.partition("+")[0]
    # The label covers what the wheel declares (its requirements, its commands) as well.
    declared = "".join(_metadata(base)).encode("utf-8")
    version = f"{base}+{_digest([*files, ('', declared)])}"
    info = f"service_handbook-{version}.dist-info"
    metadata, entry_points = _metadata(version)
    wheel_file = (
        "Wheel-Version: 1.0\nGenerator: service-handbook\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    )
    files += [
        (f"{info}/METADATA", metadata.encode("utf-8")),
        (f"{info}/WHEEL", wheel_file.encode("utf-8")),
        (f"{info}/entry_points.txt", entry_points.encode("utf-8")),
        (f"{info}/top_level.txt", b"generator\n"),
    ]
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in files)
    files.append((f"{info}/RECORD", (record + f"{info}/RECORD,,\n").encode("utf-8")))
    return Wheel(f"service_handbook-{version}-py3-none-any.whl", _zip(files))


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in files:
            entry = zipfile.ZipInfo(name, date_time=_EPOCH)
            entry.create_system = 3  # Unix, so that the mode below is read
            entry.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            archive.writestr(entry, content, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def requirements_text(wheel: Wheel) -> str:
    """requirements.txt: the vendored wheel by path and hash, then the dependencies as
    `dependencies.lock` pins them (without its comments, which speak of this project)."""
    pins = [
        line
        for line in DEPENDENCIES.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return (
        REQUIREMENTS_HEADER.format(install=INSTALL, vendor=VENDOR)
        + f"./{VENDOR}/{wheel.name} \\\n    --hash=sha256:{wheel.sha256}\n"
        + "\n".join(pins)
        + "\n"
    )


def write_install(target: Path) -> list[Path]:
    """Write the generator's wheel and requirements.txt into the handbook repository `target`;
    any other generator wheel in `vendor/` goes (its pins with it). Returns what was written."""
    wheel = generator_wheel()
    vendor = target / VENDOR
    vendor.mkdir(parents=True, exist_ok=True)
    written = vendor / wheel.name
    if not written.is_file() or written.read_bytes() != wheel.content:
        write_whole(written, wheel.content)
    requirements = target / REQUIREMENTS
    write_whole(requirements, requirements_text(wheel))
    # Only once the new wheel and its pins are in place: a full disk leaves the old pair.
    for old in vendor.glob("service_handbook-*.whl"):
        if _WHEEL_NAME.fullmatch(old.name) and old.name != wheel.name:
            old.unlink()
    return [written, requirements]


def planned(target: Path) -> list[Path]:
    """What `write_install` would replace that another project may hold (for `handbook init`
    to check first); in `vendor/` it only ever replaces a wheel of this generator."""
    return [target / REQUIREMENTS]
