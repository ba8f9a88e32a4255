"""How the served game feels: page to first frame, key to screen change, memory.

Run from the repository (needs Chromium and Playwright): ``python benchmarks/bench_serve.py``.
It starts ``brinkmanship serve`` on a free port, opens the page in headless Chromium,
and prints each figure beside its anchor:

- page to first frame of the main menu (the spike measured 1.5-2.6 s);
- key to screen change: opening the new-game screen and going back, 20 presses, median
  and worst (the spike: 0.15-0.35 s);
- memory: the server alone, and each open tab's game process (the spike: ~45 MB and
  ~50 MB a tab).

Measured on the development machine (2 cores, shared with other work): first frame 1.1 s;
key to change median 0.12 s, worst 0.19 s; server 43 MB, a tab's game 53 MB.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

OPEN = "this.terminal.open(e)"
HOOK = OPEN + ",(window.__brinkTerminals=window.__brinkTerminals||[]).push(this.terminal)"
SCREEN = """() => { const t = (window.__brinkTerminals || [])[0]; if (!t) return "";
  const b = t.buffer.active, out = [];
  for (let i = 0; i < t.rows; i++) { const l = b.getLine(i);
    out.push(l ? l.translateToString(true) : ""); }
  return out.join("\\n"); }"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError):
            pass
    return out


def main() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [sys.executable, "-m", "brinkmanship", "serve", "--port", str(port),
             "--data-dir", tmp],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stdout is not None
        proc.stdout.readline()
        server_alone = rss_mb(proc.pid)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()

            def hooked(route):  # type: ignore[no-untyped-def]
                original = route.fetch()
                route.fulfill(response=original, body=original.text().replace(OPEN, HOOK, 1))

            page.route("**/static/js/textual.js", hooked)
            t = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_function(f"() => ({SCREEN})().includes('New game')", timeout=30_000)
            first = time.perf_counter() - t
            page.focus(".xterm-helper-textarea")
            time.sleep(1)
            times = []
            for i in range(20):
                before = page.evaluate(SCREEN)
                t = time.perf_counter()
                page.keyboard.press("n" if i % 2 == 0 else "Escape")
                page.wait_for_function(
                    f"(b) => ({SCREEN})() !== b", arg=before, timeout=10_000, polling=5
                )
                times.append(time.perf_counter() - t)
                time.sleep(0.1)
            tabs = children(proc.pid)
            tab = max((rss_mb(c) for c in tabs), default=0.0)
            browser.close()
        proc.terminate()
        proc.wait()
    print(f"page to first frame          {first:5.2f} s   (spike: 1.5-2.6 s)")
    print(
        f"key to screen change         median {statistics.median(times):.3f} s, "
        f"worst {max(times):.3f} s   (spike: 0.15-0.35 s)"
    )
    print(f"memory: server alone         {server_alone:5.0f} MB  (spike: ~45 MB)")
    print(f"memory: one tab's game       {tab:5.0f} MB  (spike: ~50 MB a tab)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
