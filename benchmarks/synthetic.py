"""Synthetic handbooks of a chosen size, for measuring: seeded, so every run is the same.

N norms, N/50 values (at least one) and 5N parameters; each item has a title and about 300
characters of text, realistic links (a fifth of the norms serve two values, every parameter
implements one norm on one of its channels), spread over one file per value. Five roles (jobs),
each working in some of the channels; every norm binds one to three of them that work in at
least one of its channels, and its parameters inherit them.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "customer",
    "service",
    "employee",
    "greet",
    "answer",
    "call",
    "letter",
    "reply",
    "promise",
    "time",
    "wait",
    "minutes",
    "desk",
    "phone",
    "written",
    "clear",
    "price",
    "condition",
    "fee",
    "delivery",
    "courier",
    "colleague",
    "department",
    "respect",
    "care",
    "safety",
    "identity",
    "account",
    "data",
    "privacy",
    "appearance",
    "uniform",
    "distance",
    "voice",
    "smile",
    "listen",
    "explain",
    "confirm",
    "apologise",
    "escalate",
    "resolve",
    "complaint",
    "follow",
    "record",
    "note",
    "handover",
    "owner",
    "review",
    "quality",
    "standard",
    "measure",
    "observe",
    "sample",
    "report",
    "within",
    "before",
    "after",
)
CHANNELS = ("face-to-face", "phone", "written")
CATEGORIES = ("gestures", "vocabulary", "proxemics", "appearance", "speed", "safety")
# Each role (job): its title and the channels it works in, in taxonomy order.
ROLES = {
    "store": ("Store staff", ("face-to-face", "phone")),
    "contact-centre": ("Contact-centre agents", ("phone", "written")),
    "delivery": ("Couriers", CHANNELS),
    "back-office": ("Back office", ("written", "face-to-face")),
    "team-leaders": ("Team leaders", CHANNELS),
}

TAXONOMY = """# yaml-language-server: $schema=../schemas/handbook.schema.json
handbook:
  title: Synthetic Standards
  organisation: Benchmark Company
channels:
  - {id: face-to-face, title: Face to face}
  - {id: phone, title: Phone}
  - {id: written, title: In writing}
categories:
  - {id: gestures, title: Gestures and facial expression}
  - {id: vocabulary, title: Vocabulary and verbal formulas}
  - {id: proxemics, title: Proxemics}
  - {id: appearance, title: Appearance}
  - {id: speed, title: Speed and time of service}
  - {id: safety, title: Safety of communication}
audiences:
  - {id: external, title: Customers}
roles:
"""
TAXONOMY += "".join(
    f"  - {{id: {role}, title: {title}, channels: [{', '.join(works)}]}}\n"
    for role, (title, works) in ROLES.items()
)
TAXONOMY += """owners:
  - {id: owner, title: Standards owner}
methods:
  - {id: observation, title: Observation}
"""


def _text(rng: random.Random, length: int) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize() + "."


def _roles(rng: random.Random, channels: list[str]) -> list[str]:
    """One to three roles, each working in one of `channels` (any role when none does)."""
    fitting = [r for r, (_, works) in ROLES.items() if set(works) & set(channels)] or list(ROLES)
    chosen = set(rng.sample(fitting, rng.randint(1, min(3, len(fitting)))))
    return [r for r in ROLES if r in chosen]


def write(target: Path, norms: int, seed: int = 7) -> Path:
    """Write a handbook project (mkdocs.yml, standards/, docs/) into `target`."""
    rng = random.Random(seed)
    # Roles come from a generator of their own: the rest is what it was before roles existed,
    # byte for byte, so that runs from before and after compare.
    role_rng = random.Random(f"roles {seed}")
    standards = target / "standards"
    standards.mkdir(parents=True, exist_ok=True)
    (target / "docs").mkdir(exist_ok=True)
    (target / "docs" / "about.md").write_text("# About\n\nSynthetic standards.\n", encoding="utf-8")
    (target / "mkdocs.yml").write_text(
        "site_name: Synthetic\ntheme:\n  name: material\n  font: false\n"
        "  features: [navigation.indexes, navigation.prune]\n"
        "plugins:\n  - search\n  - handbook\n"
        "markdown_extensions: [admonition, attr_list, md_in_html, tables, toc]\n"
        "nav:\n  - About: about.md\n",
        encoding="utf-8",
    )
    (standards / "handbook.yml").write_text(TAXONOMY, encoding="utf-8")
    values = max(1, norms // 50)
    value_lines = ["values:"]
    for v in range(1, values + 1):
        value_lines += [
            f"  - id: VAL-{v:04d}",
            f"    title: {_text(rng, 30)!r}",
            f"    statement: {_text(rng, 300)!r}",
            "    owner: owner",
        ]
    (standards / "values.yml").write_text("\n".join(value_lines) + "\n", encoding="utf-8")
    parameter = 0
    per_value: dict[int, list[str]] = {v: ["norms:"] for v in range(1, values + 1)}
    per_value_parameters: dict[int, list[str]] = {v: ["parameters:"] for v in range(1, values + 1)}
    for n in range(1, norms + 1):
        home = (n - 1) % values + 1
        serves = [home] + ([rng.randrange(1, values + 1)] if rng.random() < 0.2 else [])
        channels = sorted(set(rng.sample(CHANNELS, rng.randint(1, 3))))
        per_value[home] += [
            f"  - id: NRM-{n:05d}",
            f"    title: {_text(rng, 40)!r}",
            f"    statement: {_text(rng, 300)!r}",
            f"    traces_to: [{', '.join(f'VAL-{v:04d}' for v in dict.fromkeys(serves))}]",
            f"    channels: [{', '.join(channels)}]",
            "    audiences: [external]",
            f"    roles: [{', '.join(_roles(role_rng, channels))}]",
            "    owner: owner",
            "    effective: 2026-01-01",
            "    review: 2099-01-01",
        ]
        for _ in range(5):
            parameter += 1
            per_value_parameters[home] += [
                f"  - id: PAR-{parameter:06d}",
                f"    title: {_text(rng, 40)!r}",
                f"    traces_to: [NRM-{n:05d}]",
                f"    channel: {rng.choice(channels)}",
                f"    category: {rng.choice(CATEGORIES)}",
                f"    requirement: {_text(rng, 300)!r}",
                "    measure: {metric: Seconds, unit: s, max: 30}",
                "    verification: [observation]",
                "    owner: owner",
            ]
    for v in range(1, values + 1):
        (standards / f"value-{v:04d}.yml").write_text(
            "\n".join(per_value[v] + [""] + per_value_parameters[v]) + "\n", encoding="utf-8"
        )
    return target


def edit_one_file(project: Path) -> None:
    """A policy owner's change: one statement in one file."""
    target = project / "standards" / "value-0001.yml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("statement: '", "statement: 'Edited. ", 1), encoding="utf-8")
