"""Headless Chromium (Debian's package) driven over the DevTools protocol, for tests of what the web
page does: load it, evaluate JavaScript in it, wait for the page to reach a state."""

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from tests.waiting import wait_until

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Page:
    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    def command(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self.ids)
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=30))
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message["result"]

    def evaluate(self, expression: str) -> Any:
        result = self.command("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def goto(self, url: str) -> None:
        self.command("Page.navigate", url=url)

    def wait_for(self, expression: str, timeout: float = 20) -> Any:
        """Evaluate `expression` until it is truthy; its value."""
        def value() -> Any:
            with contextlib.suppress(RuntimeError):
                return self.evaluate(expression)
            return None

        return wait_until(value, lambda: f"the page reached: {expression}\n"
                                         f"{self.evaluate('document.body.innerHTML')}", timeout, interval=0.1)


@contextlib.contextmanager
def browser_page() -> Iterator[Page]:
    assert CHROMIUM is not None
    profile = Path(tempfile.mkdtemp(prefix="orchestrator-browser-"))
    process = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
         "--disable-background-networking", "--remote-debugging-port=0", f"--user-data-dir={profile}",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        def port_written() -> str:
            assert process.poll() is None, "chromium exited before it listened"
            return port_file.exists() and port_file.read_text().strip()

        wait_until(port_written, "chromium started", timeout=30)
        port = port_file.read_text().split()[0]
        targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        page_target = next(t for t in targets if t["type"] == "page")
        with connect(page_target["webSocketDebuggerUrl"], max_size=None) as socket:
            page = Page(socket)
            page.command("Page.enable")
            yield page
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(profile, ignore_errors=True)
