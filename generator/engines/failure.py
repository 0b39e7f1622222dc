"""How an engine says that it could not build: one exception the command line knows, whatever
the engine. MkDocs' own exceptions stay inside its adapter, so that neither the command line
nor the release story depends on which engine ran."""


class BuildFailedError(Exception):
    """The engine refused the configuration or failed to build; the message says why. The
    previous site is unchanged (every engine builds beside it and swaps at the end)."""
