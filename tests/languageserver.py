"""A small Language Server Protocol client: what an editor does with yaml-language-server.

It speaks JSON-RPC over the server's standard input and output, as VS Code does: framed
messages (`Content-Length`), requests answered by id, and the server's own requests
(`workspace/configuration`, capability registration) answered too, so that the server runs
exactly as it does in an editor. Diagnostics arrive unasked (`publishDiagnostics`) and are
kept per document until a test asks for them.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

Json = Any

# What an editor tells the server: validate, hover and complete, and look nothing up on the
# network (the schema store), so that only the schema the file names is used.
SETTINGS: dict[str, Json] = {
    "validate": True,
    "hover": True,
    "completion": True,
    "format": {"enable": False},
    "schemaStore": {"enable": False},
    "schemas": {},
}
TIMEOUT = 60.0


class LanguageServerError(Exception):
    """The server answered with an error, ended, or did not answer in time."""


class LanguageServer:
    """One running server; use it as a context manager so that it is shut down."""

    def __init__(self, command: Sequence[str], root: Path) -> None:
        self._process = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._root = root
        self._lock = threading.Condition()
        self._answers: dict[int, Json] = {}
        self._diagnostics: dict[str, list[Json]] = {}
        self._next_id = 0
        self._versions: dict[str, int] = {}
        self._ended = False
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def __enter__(self) -> LanguageServer:
        root = self._root.as_uri()
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root,
                "workspaceFolders": [{"uri": root, "name": self._root.name}],
                "capabilities": {
                    "workspace": {
                        "configuration": True,
                        "didChangeConfiguration": {"dynamicRegistration": True},
                        "workspaceFolders": True,
                    },
                    "textDocument": {
                        "completion": {
                            "completionItem": {
                                "snippetSupport": True,
                                "documentationFormat": ["markdown", "plaintext"],
                            }
                        },
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                        "publishDiagnostics": {"relatedInformation": True},
                    },
                },
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": SETTINGS}})
        return self

    def __exit__(self, *_: object) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self._process.wait(timeout=10)
        except (LanguageServerError, subprocess.TimeoutExpired, OSError):
            self._process.kill()
            self._process.wait()

    # The protocol ----------------------------------------------------------------------------

    def request(self, method: str, params: Json, *, timeout: float = TIMEOUT) -> Json:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        with self._lock:
            if not self._lock.wait_for(lambda: ident in self._answers or self._ended, timeout):
                raise LanguageServerError(f"no answer to {method} in {timeout} s")
            if ident not in self._answers:
                raise LanguageServerError(f"the server ended before answering {method}")
            answer = self._answers.pop(ident)
        if "error" in answer:
            raise LanguageServerError(f"{method}: {answer['error']}")
        return answer.get("result")

    def notify(self, method: str, params: Json) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _send(self, message: Json) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self._process.stdin is not None
        self._process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self._process.stdin.flush()

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    if line in (b"\r\n", b"\n"):
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length is None:
                    continue
                self._receive(json.loads(stream.read(length)))
        finally:
            with self._lock:
                self._ended = True
                self._lock.notify_all()

    def _drain_stderr(self) -> None:
        # The server logs to standard error; an unread pipe would stop it once full.
        stream = self._process.stderr
        assert stream is not None
        for _ in iter(stream.readline, b""):
            pass

    def _receive(self, message: Json) -> None:
        method = message.get("method")
        if method is None:  # an answer to one of ours
            with self._lock:
                self._answers[message["id"]] = message
                self._lock.notify_all()
        elif "id" in message:  # the server asks the editor something
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": _answer(message)})
        elif method == "textDocument/publishDiagnostics":
            with self._lock:
                self._diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
                self._lock.notify_all()

    # What an editor does ---------------------------------------------------------------------

    def open(self, path: Path, text: str | None = None) -> str:
        """Open a file as an editor does (its text as typed, which need not be saved)."""
        uri = path.resolve().as_uri()
        with self._lock:
            self._diagnostics.pop(uri, None)
        self._versions[uri] = 1
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "yaml",
                    "version": 1,
                    "text": path.read_text(encoding="utf-8") if text is None else text,
                }
            },
        )
        return uri

    def close(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def diagnostics(self, uri: str, *, timeout: float = TIMEOUT) -> list[Json]:
        """The problems the editor underlines in the document, once the server has said."""
        with self._lock:
            if not self._lock.wait_for(lambda: uri in self._diagnostics or self._ended, timeout):
                raise LanguageServerError(f"no diagnostics for {uri} in {timeout} s")
            if uri not in self._diagnostics:
                raise LanguageServerError("the server ended before publishing diagnostics")
            return list(self._diagnostics[uri])

    def complete(self, uri: str, line: int, character: int) -> list[Json]:
        """The completion list at a position (0-based, as the protocol counts)."""
        result = self.request(
            "textDocument/completion",
            {
                "textDocument": {"uri": uri},
                "position": {"line": line, "character": character},
                "context": {"triggerKind": 1},
            },
        )
        if result is None:
            return []
        return list(result["items"] if isinstance(result, dict) else result)

    def hover(self, uri: str, line: int, character: int) -> str:
        """The hover text at a position, as Markdown."""
        result = self.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        if not result:
            return ""
        contents = result["contents"]
        return str(contents["value"] if isinstance(contents, dict) else contents)


def _answer(request: Json) -> Json:
    """What an editor answers when the server asks: its settings, and yes to the rest."""
    if request["method"] == "workspace/configuration":
        return [
            SETTINGS if item.get("section") == "yaml" else {} for item in request["params"]["items"]
        ]
    return None
