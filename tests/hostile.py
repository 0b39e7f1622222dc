"""Text a hostile pull request could put into every text field of the standards: markup,
script, links with schemes, template syntax, Markdown syntax. Shared by the HTML checks
(test_site.py) and the browser's (test_browser.py)."""

from __future__ import annotations

import re
from pathlib import Path

PAYLOADS = [  # each must reach the reader as the very characters written
    "<script>alert('title')</script>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(1))",
    "![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '"><svg onload=alert(1)>',
    "<!-- --><script>alert(2)</script>",
    "{{ 7 * 7 }} {% raw %} {# note #}",
    "# not a heading\n\n    not code\n| not | a | table |",
    "<https://example.invalid/autolink> {: onclick=alert(1) }",
    "--><img src=x onerror=alert(4)><!--",
    '<a href="javascript:alert(5)">x</a> [y](JaVaScRiPt:alert(5)) [z](data:text/html,hi)',
    "' onmouseover='alert(6)' x='",
    "```mermaid\ngraph TD; A-->B; click A call alert(7)\n```",
    "<svg><script>alert(8)</script><foreignObject><iframe srcdoc=x></iframe></svg>",
    "&lt;script&gt;alert(9)&lt;/script&gt; &#106;avascript&colon;alert(9)",
    "{{ config }} {% include 'base.html' %} {{ ''.__class__ }}",
    "</title></a></span><script>alert(3)</script>",
]


def _quoted(text: str) -> str:
    """`text` inside a double-quoted YAML scalar."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _items(target: Path) -> None:
    lines = ["values:"]
    for index, payload in enumerate(PAYLOADS):
        quoted = _quoted(payload)
        lines += [
            f"  - id: VAL-9{index:02d}",
            f'    title: "{quoted}"',
            f'    statement: "{quoted}"',
            f'    rationale: "{quoted}"',
            "    owner: head-of-service",
        ]
    lines += ["norms:"]
    for index, payload in enumerate(PAYLOADS):
        quoted = _quoted(payload)
        lines += [
            f"  - id: NRM-9{index:02d}",
            f'    title: "{quoted}"',
            f'    statement: "{quoted}"',
            f'    rationale: "{quoted}"',
            f"    traces_to: [VAL-9{index:02d}]",
            "    channels: [phone]",
            "    owner: head-of-service",
            f'    examples: {{do: ["{quoted}"], dont: ["{quoted}"]}}',
        ]
    lines += ["parameters:"]
    for index, payload in enumerate(PAYLOADS):
        quoted = _quoted(payload)
        lines += [
            f"  - id: PAR-9{index:02d}",
            f'    title: "{quoted}"',
            f"    traces_to: [NRM-9{index:02d}]",
            "    channel: phone",
            "    category: vocabulary",
            f'    requirement: "{quoted}"',
            f'    measure: {{metric: "{quoted}", unit: "{quoted}", target: "{quoted}"}}',
            "    owner: head-of-service",
        ]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


_TERM_TEXT = re.compile(r"^(\s+)(title|description|organisation): (.+)$", re.MULTILINE)


def write_hostile_standards(standards: Path) -> None:
    """Every text of the handbook carries a payload: the items in `hostile.yml`, and the
    settings and taxonomy terms of `handbook.yml`, each with the next payload."""
    _items(standards / "hostile.yml")
    settings = standards / "handbook.yml"
    count = iter(range(10_000))

    def poisoned(found: re.Match[str]) -> str:
        payload = PAYLOADS[next(count) % len(PAYLOADS)]
        text = f"{found[3]} {payload}"
        return f'{found[1]}{found[2]}: "{_quoted(text)}"'

    settings.write_text(
        _TERM_TEXT.sub(poisoned, settings.read_text(encoding="utf-8")), encoding="utf-8"
    )
