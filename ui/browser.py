"""A headless Chromium driven over its DevTools protocol, enough to fill in and submit a form of orchestrator-ui:
open a page, wait for something in it, focus an element, type, press a key, click, take a screenshot.

Debian's chromium and the `websockets` package only (no browser download, no driver)."""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from orchestrator_core.devtools import free_port


class Page:
    def __init__(self, ws: ClientConnection) -> None:
        self._ws = ws
        self._ids = itertools.count(1)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self._ids)
        self._ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv(timeout=60))
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})  # type: ignore[no-any-return]

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def open(self, url: str) -> None:
        self.send("Page.navigate", url=url)

    def wait_for(self, expression: str, what: str, timeout: float = 60) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}; the page says: {self.text()[:2000]}")

    def text(self) -> str:
        return str(self.js("document.body ? document.body.innerText : ''") or "")

    def type_into(self, element: str, text: str) -> None:
        """Focus the element a JavaScript expression finds, and type `text` as a user would."""
        self.wait_for(f"!!({element})", element)
        self.js(f"({element}).focus()")
        self.send("Input.insertText", text=text)

    def key(self, key: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=code,
                      nativeVirtualKeyCode=code)

    def click_text(self, tag: str, text: str) -> None:
        found = self.wait_for(
            f"(() => {{ const e = [...document.querySelectorAll({json.dumps(tag)})]"
            f".find(e => e.innerText.trim() === {json.dumps(text)} && !e.disabled); "
            "if (e) e.click(); return !!e; })()",
            f"{tag} {text!r}",
        )
        assert found

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"]))


@contextlib.contextmanager
def chromium_page(width: int = 1440, height: int = 1000) -> Iterator[Page]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
    port = free_port()
    profile = tempfile.mkdtemp(prefix="orchestrator-ui-browser-")
    process = subprocess.Popen(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
         "--disable-background-networking", f"--window-size={width},{height}", f"--remote-debugging-port={port}",
         f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
                page = next(t for t in targets if t.get("type") == "page")
                break
            except (httpx.HTTPError, StopIteration):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        with connect(page["webSocketDebuggerUrl"], proxy=None, max_size=None) as ws:  # type: ignore[arg-type]
            yield Page(ws)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)
