"""A hostile web server on 127.0.0.1 for the fetch, feed and watch tests.

A raw socket server in a thread (no http.server: it must be free to break HTTP). Each path is
answered by a behaviour, a function given the connection and a stop event; the behaviours
below drip headers, send a body one byte at a time, stall, bomb, loop and so on. Everything
ends when :meth:`Hostile.close` is called: a stop event is set and every connection is shut
down, so no test leaves a thread or a socket behind.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import zlib
from collections.abc import Callable

Behaviour = Callable[[socket.socket, threading.Event], None]


class Hostile:
    """A raw HTTP/1.1 server on 127.0.0.1 whose answers are programmable per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Behaviour] = {}
        self.hits: dict[str, int] = {}
        self.stop = threading.Event()
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def seen(self, path: str) -> int:
        with self._lock:
            return self.hits.get(path, 0)

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=5)
        self._listener.close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5.0)
        try:
            while not self.stop.is_set():  # keep-alive: one request after another
                head = b""
                while b"\r\n\r\n" not in head:
                    data = conn.recv(65536)
                    if not data:
                        return
                    head += data
                line = head.split(b"\r\n", 1)[0].decode("latin-1")
                parts = line.split(" ")
                path = parts[1] if len(parts) > 1 else "/"
                key = path.split("?")[0]
                with self._lock:
                    self.hits[key] = self.hits.get(key, 0) + 1
                behaviour = self.routes.get(path) or self.routes.get(key) or not_found
                behaviour(conn, self.stop)
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                conn.close()


# -- behaviours ---------------------------------------------------------------------------
def answer(status: int = 200, body: bytes | str = b"", ctype: str = "text/html; charset=utf-8",
           headers: dict[str, str] | None = None) -> Behaviour:
    """A well-formed answer (kept alive)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())

    def send(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(
            f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {len(data)}\r\n"
            f"{extra}\r\n".encode("latin-1") + data
        )

    return send


not_found = answer(404, "not found", "text/plain")


def drip_headers(every: float = 0.2) -> Behaviour:
    """A status line, then one more header line every ``every`` seconds, forever: each read
    gets data long before a per-read timeout, so only an overall deadline ends it."""

    def send(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        n = 0
        while not stop.wait(every):
            conn.sendall(f"X-Drip-{n}: {'x' * 20}\r\n".encode())
            n += 1

    return send


def drip_body(every: float = 0.2) -> Behaviour:
    """Complete headers announcing a 1 MB page, then one byte every ``every`` seconds."""

    def send(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000\r\n\r\n")
        while not stop.wait(every):
            conn.sendall(b"<")

    return send


def silent(conn: socket.socket, stop: threading.Event) -> None:
    """Reads the request and never answers."""
    stop.wait(60)


def gzip_bomb(expanded: int = 200 * 1024 * 1024) -> Behaviour:
    """A gzip body of ``expanded`` zero bytes (about a thousandth of that on the wire)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    parts = [comp.compress(block) for _ in range(expanded // len(block))]
    parts.append(comp.flush())
    body = b"".join(parts)
    return answer(200, body, headers={"Content-Encoding": "gzip"})


def endless_redirects(conn: socket.socket, stop: threading.Event) -> None:
    """A redirect to a new URL every time (never the same one twice)."""
    endless_redirects.count += 1  # type: ignore[attr-defined]
    n = endless_redirects.count  # type: ignore[attr-defined]
    answer(302, b"", headers={"Location": f"/endless?n={n}"})(conn, stop)


endless_redirects.count = 0  # type: ignore[attr-defined]


class Refusing:
    """A loopback port bound but never listening: every connection is refused (and as the port
    stays bound while this object is open, no other program can take it meanwhile)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.sock.close()
