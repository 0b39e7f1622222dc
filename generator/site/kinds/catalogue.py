"""Every page kind of the handbook, in the order the site plans and lists them: the one place
a new kind is added."""

from __future__ import annotations

from generator.site.kinds import (
    audit,
    categories,
    changes,
    channels,
    home,
    norms,
    printing,
    roles,
    values,
)
from generator.site.kinds.base import PageKind

KINDS: tuple[PageKind, ...] = (
    home.KIND,
    roles.KIND,
    values.KIND,
    channels.KIND,
    categories.KIND,
    norms.KIND,
    changes.KIND,
    audit.KIND,
    printing.KIND,
)
