"""browser_check.py: opens a page in headless Chromium and says what a
reader's browser would see: console errors and exceptions, every request
the page made, whether its images decoded, and whether a screenshot shows
anything. Used by the report tests (not a test itself).

Chromium is driven over its DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages separated by NUL bytes, commands on
fd 3, answers and events on fd 4), so nothing beyond the standard library
is needed. It runs with a fresh profile and with its background networking
off, so any request it makes comes from the page.
"""
import base64
import json
import os
import shutil
import struct
import subprocess
import tempfile
import time
import zlib


# Where macOS keeps the browsers' executables (their apps put nothing on PATH).
MAC_APPS = ("/Applications/Chromium.app/Contents/MacOS/Chromium",
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    for path in MAC_APPS:
        if os.access(path, os.X_OK):
            return path
    return None


class Browser:
    def __init__(self, exe):
        self.profile = tempfile.mkdtemp(prefix="anebench-chromium-")
        cmd_r, cmd_w = os.pipe()  # we write commands, Chromium reads them on fd 3
        ev_r, ev_w = os.pipe()  # Chromium writes on fd 4, we read

        def child_fds():
            # move both ends out of the way first: either may already be fd 3 or 4
            a, b = os.dup(cmd_r), os.dup(ev_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--disable-extensions", "--mute-audio",
             "--user-data-dir=" + self.profile, "--window-size=1280,900",
             "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=child_fds, close_fds=False)
        os.close(cmd_r)
        os.close(ev_w)
        self.w = cmd_w
        self.r = ev_r
        self.buf = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.w)
        os.close(self.r)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                raise TimeoutError("Chromium said nothing in time")
            import select
            ready, _, _ = select.select([self.r], [], [], max(0.0, deadline - time.time()))
            if not ready:
                continue
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed its pipe (exit %s)" % self.proc.poll())
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, session, timeout=30):
        deadline = time.time() + timeout
        for m in self.events:
            if m.get("method") == method and m.get("sessionId") == session:
                return m
        while True:
            m = self._read_message(deadline)
            self.events.append(m)
            if m.get("method") == method and m.get("sessionId") == session:
                return m

    def drain(self, seconds):
        deadline = time.time() + seconds
        try:
            while True:
                self.events.append(self._read_message(deadline))
        except TimeoutError:
            pass


def _png_pixels(png):
    """(width, height, rows of RGBA bytes) of an 8-bit RGB(A) PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", data[:10])
            assert depth == 8 and ctype in (2, 6), "unexpected PNG type %d/%d" % (depth, ctype)
            bpp = 4 if ctype == 6 else 3
        elif kind == b"IDAT":
            idat += data
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def ink(png):
    """Share of pixels whose colour differs from the most common one."""
    w, h, bpp, rows = _png_pixels(png)
    counts = {}
    for row in rows:
        for x in range(0, w * bpp, bpp):
            px = row[x:x + 3]
            counts[px] = counts.get(px, 0) + 1
    return 1.0 - max(counts.values()) / float(w * h)


def check_page(exe, path):
    """Loads path (file://) and returns what a browser saw."""
    b = Browser(exe)
    try:
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            b.send(domain + ".enable", session=s)
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=s)
        url = "file://" + os.path.abspath(path)
        b.send("Page.navigate", {"url": url}, session=s)
        b.wait_event("Page.loadEventFired", s, timeout=60)
        b.drain(1.0)  # late console messages and requests
        images = b.send("Runtime.evaluate", {
            "expression": "JSON.stringify([document.images.length, "
                          "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length, "
                          "document.body ? document.body.innerText.length : 0, document.scripts.length])",
            "returnByValue": True}, session=s)["result"]["value"]
        n_img, n_decoded, n_text, n_scripts = json.loads(images)
        shot = base64.b64decode(b.send("Page.captureScreenshot", {
            "format": "png", "clip": {"x": 0, "y": 0, "width": 1280, "height": 900, "scale": 0.25}},
            session=s)["data"])
        errors, requests = [], []
        for m in b.events:
            meth, p = m.get("method"), m.get("params", {})
            if m.get("sessionId") != s:
                continue
            if meth == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                errors.append("console.%s: %s" % (p["type"], [a.get("value") for a in p.get("args", [])]))
            elif meth == "Runtime.exceptionThrown":
                errors.append("exception: %s" % p.get("exceptionDetails", {}).get("text"))
            elif meth == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                errors.append("log: %s (%s)" % (p["entry"].get("text"), p["entry"].get("url")))
            elif meth == "Network.requestWillBeSent":
                u = p.get("request", {}).get("url", "")
                if u != url and not u.startswith("data:"):
                    requests.append(u)
            elif meth == "Network.loadingFailed":
                errors.append("load failed: %s" % p.get("errorText"))
        return {"errors": errors, "requests": requests, "images": n_img, "decoded": n_decoded,
                "text": n_text, "scripts": n_scripts, "ink": ink(shot)}
    finally:
        b.close()
