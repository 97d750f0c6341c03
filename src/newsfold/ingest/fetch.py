"""Polite HTTP fetching: robots.txt, per-host rate limits, conditional GET, retries, limits.

:class:`Fetcher` fetches one URL (:meth:`Fetcher.fetch`) or many at once
(:meth:`Fetcher.fetch_many`, a thread pool). Every request:

* obeys the host's ``robots.txt`` (``urllib.robotparser``; fetched once per host and cached;
  a 4xx means "no rules", a 5xx or an unreachable file means "fetch nothing from the host", as
  RFC 9309 says, and the error then names the real cause: connection refused, DNS failure,
  timeout or the 5xx; a ``Crawl-delay`` slows that host down);
* waits for the host's turn: at most ``rate_per_host`` requests a second and ``host_concurrency``
  requests at once per host (a host is ``scheme://host:port``), ``concurrency`` overall;
* sends the configured ``User-Agent`` and, when given, ``If-None-Match`` / ``If-Modified-Since``
  (a 304 comes back as ``status == 304`` with no body);
* retries 429/5xx answers, per-read timeouts and connection errors with exponential backoff
  (honouring a short ``Retry-After``);
* follows at most ``max_redirects`` redirects itself (each hop is checked again: robots.txt, the
  address, loops), reads at most ``max_bytes`` (streamed and decompressed by newsfold in bounded
  steps, so a gzip bomb is cut at the limit), and checks the content type against what the
  caller accepts;
* ends within ``total_timeout`` seconds, whatever the server does (see *Deadlines* below);
* with ``allow_private=False`` (the default, as the ``fetch_allow_private`` setting) refuses
  loopback, private, link-local and other non-public addresses, both before connecting (the
  name is resolved) and after (the connected peer).

Deadlines. One deadline covers DNS, connect, request, headers and body of one request (each
redirect hop is a request); it starts when the request is sent (waiting for the host's slot
and turn is politeness, bounded only by ``until`` and :meth:`Fetcher.abort`). It is enforced
twice, because a server that drips one header line every few
seconds never trips a per-read timeout:

1. every blocking socket operation (DNS lookup, connect, each read and write) runs with its
   timeout clamped to the time left (a network backend wrapped around httpcore's own), so no
   single call can outlast the deadline;
2. a watchdog thread, outside the read, shuts down the sockets of any request past its deadline
   (and of every request when :meth:`Fetcher.abort` is called, e.g. on SIGTERM), which wakes a
   read blocked in the kernel at once.

A request that runs out of time raises :class:`FetchError` with ``cause == "deadline"``; it is
not retried at once (the next poll tries again). Callers can also pass ``until`` (a
``time.monotonic()`` value) to :meth:`Fetcher.fetch` / :meth:`Fetcher.fetch_many`: nothing runs
past it (``cause == "budget"``). After :meth:`Fetcher.abort` every fetch ends at once with
``cause == "cancelled"``.

Failures raise :class:`FetchError` (an :class:`~newsfold.errors.InputError` naming the URL).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import ipaddress
import logging
import re
import socket
import threading
import time
import urllib.robotparser
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import MISSING, dataclass, field, fields, replace
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

import httpcore
import httpx

from ..errors import FetchError
from ..settings import Settings

log = logging.getLogger(__name__)

__all__ = [
    "ARTICLE_TYPES",
    "FEED_TYPES",
    "FetchConfig",
    "FetchError",
    "FetchResult",
    "Fetcher",
    "article_id_for",
    "decode_body",
    "is_private_address",
    "normalize_url",
    "resolve_wrapper",
]

ARTICLE_TYPES = ("text/html", "application/xhtml+xml")
"""Content types accepted for article pages."""
FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
    "text/xml", "application/feed+json", "application/json", "text/html",
    "application/x-rss+xml", "text/plain", "application/octet-stream",
)
"""Content types accepted when a URL may be a feed (servers label feeds loosely)."""

ROBOTS_TTL = 3600.0
"""Seconds a host's robots.txt is trusted before it is fetched again."""
ROBOTS_RETRY = 300.0
"""Seconds before an unavailable robots.txt (5xx, unreachable) is tried again."""
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_TRACKING_PARAMS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|__twitter_impression)$", re.I)


_SETTING_DEFAULTS: dict[str, Any] = {
    f.name: f.default for f in fields(Settings) if f.default is not MISSING
}


def _default(name: str) -> Any:
    """The default of the :class:`~newsfold.settings.Settings` field ``fetch_<name>``: the
    fetch defaults are set once, there, so a bare :class:`FetchConfig` and one built from
    default settings are the same config."""
    return _SETTING_DEFAULTS[f"fetch_{name}"]


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """How politely and within which limits to fetch."""

    user_agent: str = _default("user_agent")
    rate_per_host: float = _default("rate_per_host")
    """Requests per second to one host (a ``Crawl-delay`` in robots.txt can lower it)."""
    host_concurrency: int = _default("host_concurrency")
    concurrency: int = _default("concurrency")
    timeout: float = _default("timeout")
    """Connect timeout, and the longest wait for any single read, seconds."""
    total_timeout: float = _default("total_timeout")
    """Deadline of one request and its redirects (DNS, connect, headers and body), seconds."""
    max_bytes: int = _default("max_bytes")
    """Largest body read, after decompression."""
    max_redirects: int = _default("max_redirects")
    retries: int = _default("retries")
    backoff: float = 0.5
    """First retry waits this long; each later one twice as long."""
    allow_private: bool = _default("allow_private")
    """Whether loopback, private and link-local addresses may be fetched. Off by default, like
    the ``fetch_allow_private`` setting; the command line turns it on for its own fetches."""
    obey_robots: bool = True
    cache_hosts: int = 1024
    """Hosts whose rate-limit state and robots.txt are remembered; the least recently used
    host beyond this many is forgotten (its robots.txt is then fetched again when needed)."""
    feed_max_items: int = 100
    """Most entries of one feed fetched in one poll, newest first; the rest wait for later
    polls (0: no cap)."""
    feed_timeout: float = 300.0
    """Time limit of one feed's poll (the feed and its entries' pages), seconds; entries not
    fetched by then wait for the next poll, so one slow feed cannot hold up the others."""

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> FetchConfig:
        """The config from :class:`~newsfold.settings.Settings` ``fetch_*`` fields, if present."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            setting = f"fetch_{f.name}"
            if settings is not None and hasattr(settings, setting):
                values[f.name] = getattr(settings, setting)
        values.update(overrides)
        return cls(**values)


@dataclass(slots=True)
class FetchResult:
    """One fetched URL."""

    url: str
    """The URL asked for."""
    final_url: str
    """The URL after redirects."""
    status: int
    content: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        return decode_body(self.content, self.charset)


# -- URLs -----------------------------------------------------------------------------------
def normalize_url(url: str) -> str:
    """A canonical form of an http(s) URL: lower-case scheme and host, default port dropped,
    query sorted, tracking parameters (``utm_*``, ``fbclid``...) and the fragment removed."""
    import courlan

    url = url.strip()
    try:
        norm = courlan.normalize_url(url)
    except Exception:  # courlan raises on some malformed inputs; keep ours
        norm = url
    parts = urlsplit(norm)
    query = "&".join(
        p for p in parts.query.split("&") if p and not _TRACKING_PARAMS.match(p.split("=", 1)[0])
    )
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def article_id_for(url: str) -> str:
    """A stable article id for a URL: the host and a hash of the normalised URL."""
    norm = normalize_url(url)
    host = (urlsplit(norm).hostname or "web").removeprefix("www.")
    digest = hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]
    return f"{host}-{digest}"


_WRAPPER_PARAMS = {
    "news.google.com": ("url",),
    "www.google.com": ("url", "q"),
    "google.com": ("url", "q"),
    "l.facebook.com": ("u",),
    "lm.facebook.com": ("u",),
    "out.reddit.com": ("url",),
    "www.bing.com": ("url",),
}


def resolve_wrapper(url: str) -> str:
    """The publisher's URL inside a redirect wrapper, without fetching anything.

    Handles ``news.google.com/rss/articles/CBMi...`` links (the base64 protobuf that carries the
    article URL), and ``?url=`` / ``?q=`` / ``?u=`` wrappers of Google, Facebook, Reddit and Bing.
    Anything else (including Google's newer opaque article ids) comes back unchanged; fetching
    it then follows the ordinary HTTP redirects.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    params = _WRAPPER_PARAMS.get(host)
    if params:
        query = parse_qs(parts.query)
        for name in params:
            for value in query.get(name, []):
                if value.startswith(("http://", "https://")):
                    return value
    if host == "news.google.com":
        match = re.search(r"/(?:rss/)?articles/([A-Za-z0-9_-]+)", parts.path)
        if match:
            found = _google_news_target(match.group(1))
            if found:
                return found
    return url


def _google_news_target(token: str) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError):
        return None
    # Old-style ids: protobuf field 4 (tag 0x22) holds the URL, after an 0x08 0x13 prefix.
    match = re.search(rb"https?://[\x21-\x7e]+", raw)
    if not match:
        return None
    candidate = match.group(0)
    start = match.start()
    if start >= 1:
        length = raw[start - 1]
        if length < 0x80 and length <= len(candidate):
            candidate = candidate[:length]
        elif start >= 2 and raw[start - 2] >= 0x80:
            length = (raw[start - 2] & 0x7F) | (raw[start - 1] << 7)
            candidate = candidate[:length]
    text = candidate.decode("ascii", "replace")
    return text if urlsplit(text).hostname else None


# -- addresses ------------------------------------------------------------------------------
def _ip_is_private(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved
        or ip.is_multicast or ip.is_unspecified or not ip.is_global
    )


def is_private_address(url: str) -> bool:
    """True when ``url``'s host is (or resolves to) a loopback, private, link-local or otherwise
    non-public address. A host that does not resolve counts as private (refuse rather than guess).
    """
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return True
    if not host:
        return True
    try:
        return _ip_is_private(ipaddress.ip_address(host))
    except ValueError:
        pass
    if host.lower() in {"localhost", "localhost.localdomain"} or host.lower().endswith(".localhost"):
        return True
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return True
    for info in infos:
        try:
            if _ip_is_private(ipaddress.ip_address(info[4][0])):
                return True
        except ValueError:
            return True
    return not infos


# -- bodies ---------------------------------------------------------------------------------
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_body(data: bytes, charset: str | None = None) -> str:
    """Text of an HTTP body: the header's charset, else a ``<meta charset>``, else UTF-8, else
    Windows-1252."""
    candidates: list[str] = []
    if charset:
        candidates.append(charset)
    if data.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    match = _META_CHARSET.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "replace"))
    candidates += ["utf-8"]
    for name in candidates:
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


# -- caches ---------------------------------------------------------------------------------
K = TypeVar("K")
V = TypeVar("V")


class _LRU(OrderedDict[K, V]):
    """A dict that keeps at most ``size`` entries, dropping the least recently used first.

    Not thread-safe by itself: the fetcher holds its lock around every use."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = max(1, size)

    def touch(self, key: K) -> V | None:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


# -- politeness -----------------------------------------------------------------------------
class _Host:
    """Rate and concurrency limits of one host, and its robots.txt."""

    def __init__(self, interval: float, concurrency: int) -> None:
        self.interval = interval
        self.slots = threading.BoundedSemaphore(max(1, concurrency))
        self.lock = threading.Lock()
        self.next_at = 0.0
        self.robots_lock = threading.Lock()
        self.robots: urllib.robotparser.RobotFileParser | None = None
        self.robots_until = 0.0
        """``time.monotonic()`` until which ``robots`` (or ``robots_error``) is trusted."""
        self.robots_error: tuple[str, str, str] | None = None
        """(reason, hint, cause) while robots.txt is unavailable."""

    def turn(self) -> float:
        """Reserve this host's next turn; returns when (``time.monotonic()``) it comes."""
        with self.lock:
            at = max(time.monotonic(), self.next_at)
            self.next_at = at + self.interval
        return at


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


# -- deadlines ------------------------------------------------------------------------------
_local = threading.local()


class _Call:
    """One request in flight: its deadline, the connections it used, and why it was cut off."""

    __slots__ = ("deadline", "streams", "cut")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.streams: list[_GuardedStream] = []
        self.cut = ""

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def use(self, stream: _GuardedStream) -> None:
        if stream not in self.streams:
            self.streams.append(stream)

    def cut_off(self, why: str) -> None:
        if not self.cut:
            self.cut = why
        for stream in list(self.streams):
            stream.kill()


def _current_call() -> _Call | None:
    call: _Call | None = getattr(_local, "call", None)
    return call


class _OutOfTime(httpcore.TimeoutException):
    """The request's deadline came (raised inside httpcore, mapped by httpx to a timeout)."""


class _DNSFailure(httpcore.ConnectError):
    """A host name that does not resolve."""


def _clamp(timeout: float | None, kind: type[httpcore.TimeoutException]) -> float | None:
    """``timeout`` cut to what the current request has left; raises when nothing is left."""
    call = _current_call()
    if call is None:
        return timeout
    if call.cut:
        raise _OutOfTime(f"request cut off ({call.cut})")
    left = call.left()
    if left <= 0:
        raise kind("deadline reached")
    return left if timeout is None else min(timeout, left)


def _bounded(func: Callable[[], Any], timeout: float | None, what: str) -> Any:
    """``func()`` in a daemon thread, waited for at most ``timeout`` seconds (for blocking calls
    that take no timeout of their own, such as ``getaddrinfo``), and no longer than the current
    request lives (the watchdog cutting it off ends the wait too). On timeout the thread is left
    to finish by itself and :class:`TimeoutError` is raised."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = func()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name=f"newsfold-{what}", daemon=True).start()
    call = _current_call()
    end = None if timeout is None else time.monotonic() + timeout
    while not done.wait(0.1 if end is None else max(0.0, min(0.1, end - time.monotonic()))):
        if call is not None and call.cut:
            raise TimeoutError(f"{what} abandoned: request cut off ({call.cut})")
        if end is not None and time.monotonic() >= end:
            raise TimeoutError(f"{what} took longer than {timeout:g}s")
    if "error" in box:
        raise box["error"]
    return box["value"]


class _GuardedStream(httpcore.NetworkStream):
    """httpcore's socket stream, with every operation's timeout clamped to the current
    request's deadline and a :meth:`kill` the watchdog calls from another thread."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def _enter(self, timeout: float | None, kind: type[httpcore.TimeoutException]) -> float | None:
        call = _current_call()
        if call is not None:
            call.use(self)
        return _clamp(timeout, kind)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self._enter(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self._enter(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        clamped = self._enter(timeout, httpcore.ConnectTimeout)
        self.inner = self.inner.start_tls(ssl_context, server_hostname, clamped)
        return self

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)

    def kill(self) -> None:
        """Shut the socket down (both ways): a read blocked on it in another thread returns."""
        sock = self.inner.get_extra_info("socket")
        if sock is None:
            return
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class _GuardedBackend(httpcore.NetworkBackend):
    """httpcore's sync network backend with deadlines: the name is resolved in a thread waited
    for only as long as the request has left, each address is connected to with the connect
    timeout clamped the same way, and the stream is a :class:`_GuardedStream`."""

    def __init__(self) -> None:
        self.inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        options = list(socket_options or [])
        wait = _clamp(timeout, httpcore.ConnectTimeout)
        try:
            addresses = [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            try:
                infos = _bounded(lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM),
                                 wait, "dns")
            except TimeoutError:
                raise httpcore.ConnectTimeout(f"DNS lookup of {host} timed out") from None
            except (OSError, UnicodeError) as exc:
                reason = getattr(exc, "strerror", None) or str(exc)
                raise _DNSFailure(f"DNS lookup of {host} failed ({reason})") from exc
            addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise _DNSFailure(f"DNS lookup of {host} found no address")
        last: Exception | None = None
        for address in addresses:
            try:
                stream = self.inner.connect_tcp(
                    address, port, _clamp(timeout, httpcore.ConnectTimeout), local_address,
                    options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            guarded = _GuardedStream(stream)
            call = _current_call()
            if call is not None:
                call.use(guarded)
                if call.cut:
                    guarded.kill()
            return guarded
        assert last is not None
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        stream = self.inner.connect_unix_socket(
            path, _clamp(timeout, httpcore.ConnectTimeout), socket_options)
        return _GuardedStream(stream)

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class _Watchdog:
    """A thread that cuts off requests past their deadline, or all of them after an abort, by
    shutting down their sockets: the guard that holds even when a read does not time out."""

    def __init__(self, aborted: threading.Event) -> None:
        self._aborted = aborted
        self._lock = threading.Lock()
        self._calls: set[_Call] = set()
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="newsfold-fetch-watchdog",
                                        daemon=True)
        self._thread.start()

    def begin(self, call: _Call) -> None:
        with self._lock:
            self._calls.add(call)
        self._wake.set()

    def end(self, call: _Call) -> None:
        with self._lock:
            self._calls.discard(call)

    def poke(self) -> None:
        self._wake.set()

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        self._thread.join(timeout=5.0)

    def _run(self) -> None:
        while not self._closed:
            self._wake.clear()
            with self._lock:
                calls = list(self._calls)
            now = time.monotonic()
            aborted = self._aborted.is_set()
            wait: float | None = None
            for call in calls:
                if aborted:
                    call.cut_off("cancelled")
                elif call.deadline <= now:
                    call.cut_off("deadline")
                else:
                    left = call.deadline - now
                    wait = left if wait is None else min(wait, left)
            if aborted and calls:
                wait = 0.05  # new calls may still slip in: keep cutting until they stop
            self._wake.wait(wait)


def _guard(transport: httpx.BaseTransport | None) -> bool:
    """Put a :class:`_GuardedBackend` under an httpx transport (direct or through a proxy from
    the environment); False when this transport keeps no httpcore pool we know of (the
    watchdog then cannot see its sockets, and only per-read timeouts and per-chunk checks
    bound it)."""
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore.ConnectionPool) and hasattr(pool, "_network_backend"):
        pool._network_backend = _GuardedBackend()
        return True
    return False


def _earliest(*limits: float | None) -> float | None:
    """The earliest of some ``time.monotonic()`` limits (None: no limit)."""
    given = [t for t in limits if t is not None]
    return min(given) if given else None


def _describe(exc: BaseException) -> tuple[str, str]:
    """(cause, reason) of a transport error, from the whole exception chain."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, _DNSFailure):
            return "dns", str(seen)
        if isinstance(seen, socket.gaierror):
            return "dns", f"DNS lookup failed ({seen.strerror})"
        if isinstance(seen, ConnectionRefusedError):
            return "refused", "connection refused"
        if isinstance(seen, ConnectionResetError):
            return "reset", "connection reset by the server"
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, httpx.ConnectTimeout):
        return "timeout", f"timed out connecting ({exc})"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", f"timed out waiting for the server ({type(exc).__name__})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "protocol", f"broken HTTP answer ({exc})"
    return "connection", f"connection failed ({type(exc).__name__}: {exc})"


class _Inflater:
    """Decompresses one ``Content-Encoding`` (gzip or deflate) in steps that never produce more
    than asked for, so a small bomb cannot expand past the body limit in memory."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.obj: Any = (zlib.decompressobj(16 + zlib.MAX_WBITS)
                         if encoding in ("gzip", "x-gzip") else None)

    def feed(self, data: bytes, room: int) -> bytes:
        """At most ``room`` bytes of output for ``data`` (more input than that is kept)."""
        if self.obj is None:  # deflate: zlib-wrapped as the RFC says, or raw as some send
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] * 256 + data[1]) % 31 == 0
            self.obj = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        out: bytes = self.obj.decompress(data, max(1, room))
        return out


# -- the fetcher ----------------------------------------------------------------------------
class Fetcher:
    """A polite HTTP client (thread-safe). Use as a context manager or call :meth:`close`."""

    def __init__(self, config: FetchConfig | None = None, *, allow_private: bool | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        config = config or FetchConfig()
        if allow_private is not None:
            config = replace(config, allow_private=allow_private)
        self.config = config
        timeout = httpx.Timeout(config.timeout)
        own_transport = transport is None
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=False, transport=transport,
            headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self.guarded = own_transport
        """Whether every transport has newsfold's deadline guard (False with a transport given
        by the caller, or an httpx that keeps its pool elsewhere)."""
        if own_transport:
            mounts = [t for t in getattr(self.client, "_mounts", {}).values() if t is not None]
            for t in [getattr(self.client, "_transport", None), *mounts]:
                self.guarded = _guard(t) and self.guarded
            if not self.guarded:
                log.warning("httpx %s: newsfold's deadline guard is not on every transport; "
                            "fetch deadlines rest on the watchdog and per-read timeouts",
                            httpx.__version__)
        self._hosts: _LRU[str, _Host] = _LRU(config.cache_hosts)
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._aborted = threading.Event()
        self._watchdog = _Watchdog(self._aborted)
        self.requests = 0
        """HTTP requests sent (robots.txt included), for reports and tests."""

    # -- lifecycle ------------------------------------------------------------------------
    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._watchdog.close()
        self.client.close()

    def abort(self) -> None:
        """Stop every fetch now, from any thread or a signal handler: requests in flight have
        their connections shut down by the watchdog, waits end, and every fetch (running or
        later) raises :class:`FetchError` with ``cause == "cancelled"``. Only sets two events,
        so it is safe to call from a signal handler."""
        self._aborted.set()
        self._watchdog.poke()

    @property
    def aborted(self) -> bool:
        return self._aborted.is_set()

    @property
    def hosts_cached(self) -> int:
        """Hosts whose rate-limit state and robots.txt are held (at most ``cache_hosts``)."""
        return len(self._hosts)

    # -- public ---------------------------------------------------------------------------
    def fetch(
        self, url: str, *, accept: Iterable[str] = ARTICLE_TYPES, etag: str | None = None,
        last_modified: str | None = None, until: float | None = None,
    ) -> FetchResult:
        """GET ``url`` politely. Raises :class:`FetchError`; a 304 is returned, not raised.

        ``until`` (a ``time.monotonic()`` value) is a hard limit for everything this call does:
        waiting for the host's turn, robots.txt, every request, retry and backoff."""
        accept = tuple(accept)
        attempt = 0
        while True:
            self._check_going(url, until)
            try:
                return self._fetch_once(url, accept, etag, last_modified, until)
            except _Retry as retry:
                attempt += 1
                if attempt > self.config.retries:
                    raise FetchError(
                        url, f"{retry.reason} (after {attempt} tries)", retry.hint,
                        status=retry.status, cause=retry.cause,
                    ) from None
                wait = self.config.backoff * (2 ** (attempt - 1))
                if retry.retry_after is not None:
                    wait = max(wait, min(retry.retry_after, 30.0))
                if until is not None and time.monotonic() + wait >= until:
                    raise self._budget_error(url) from None
                log.info("retrying %s in %.1fs: %s", url, wait, retry.reason)
                if self._aborted.wait(wait):
                    raise self._cancelled(url) from None

    def fetch_many(
        self, urls: Iterable[str], *, accept: Iterable[str] = ARTICLE_TYPES,
        until: float | None = None,
    ) -> Iterator[tuple[str, FetchResult | FetchError]]:
        """Fetch URLs concurrently (within every host's limits); results in input order.

        ``until`` bounds every fetch as in :meth:`fetch`: URLs not done by then come back as
        :class:`FetchError` with ``cause == "budget"``."""
        accept = tuple(accept)
        pool = self._executor()
        window = max(1, self.config.concurrency * 4)
        pending: list[tuple[str, Future[FetchResult]]] = []
        it = iter(urls)

        def submit_next() -> bool:
            try:
                u = next(it)
            except StopIteration:
                return False
            pending.append((u, pool.submit(self.fetch, u, accept=accept, until=until)))
            return True

        while len(pending) < window and submit_next():
            pass
        while pending:
            u, fut = pending.pop(0)
            submit_next()
            try:
                yield u, fut.result()
            except FetchError as err:
                yield u, err
            except Exception as exc:  # a bug or an odd transport error: report, go on
                yield u, FetchError(u, f"fetch failed: {type(exc).__name__}: {exc}")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this fetcher's user agent fetch ``url`` (False too while the
        host's robots.txt is unavailable)."""
        if not self.config.obey_robots:
            return True
        try:
            parser = self._robots_for(url, None)
        except FetchError:
            return False
        return parser.can_fetch(self.config.user_agent, url)

    # -- internals ------------------------------------------------------------------------
    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=max(1, self.config.concurrency), thread_name_prefix="newsfold-fetch"
                )
            return self._pool

    def _host(self, url: str) -> _Host:
        key = _host_key(url)
        with self._lock:
            host = self._hosts.touch(key)
            if host is None:
                rate = self.config.rate_per_host
                interval = 1.0 / rate if rate > 0 else 0.0
                host = _Host(interval, self.config.host_concurrency)
                self._hosts.put(key, host)
            return host

    def _cancelled(self, url: str) -> FetchError:
        return FetchError(url, "not fetched: the fetcher was stopped",
                          "it is fetched on a later run", cause="cancelled")

    def _budget_error(self, url: str) -> FetchError:
        return FetchError(url, "not fetched: out of time for this poll",
                          "it is fetched on the next poll", cause="budget")

    def _check_going(self, url: str, until: float | None) -> None:
        if self._aborted.is_set():
            raise self._cancelled(url)
        if until is not None and time.monotonic() >= until:
            raise self._budget_error(url)

    def _check_url(self, url: str, until: float | None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "not an http(s) URL", permanent=True, cause="url")
        if not self.config.allow_private:
            wait = self.config.timeout
            if until is not None:
                wait = max(0.0, min(wait, until - time.monotonic()))
            try:
                private = _bounded(lambda: is_private_address(url), wait, "dns")
            except TimeoutError:
                raise FetchError(url, f"DNS lookup of {parts.hostname} timed out",
                                 "check the host name, or try again later", cause="dns") from None
            if private:
                raise FetchError(
                    url, "refused: a loopback, private or link-local address",
                    "allow it with the fetch_allow_private setting", permanent=True,
                    cause="private",
                )

    def _robots_for(self, url: str, until: float | None) -> urllib.robotparser.RobotFileParser:
        """The host's robots.txt rules; raises :class:`FetchError` (naming ``url`` and the real
        cause) while the file is unavailable (5xx, refused, DNS failure, timeout)."""
        host = self._host(url)
        with host.robots_lock:
            if host.robots_until <= time.monotonic():
                self._load_robots(url, host, until)
            if host.robots is None:
                reason, hint, cause = host.robots_error or ("robots.txt unavailable", "", "error")
                raise FetchError(url, reason, hint, cause=cause)
            return host.robots

    def _load_robots(self, url: str, host: _Host, until: float | None) -> None:
        parts = urlsplit(url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        parser = urllib.robotparser.RobotFileParser(robots_url)
        hint = (f"nothing is fetched from {parts.netloc} until its robots.txt can be read "
                f"(RFC 9309); tried again in {ROBOTS_RETRY / 60:g} minutes")
        try:
            result = self._request(robots_url, ("text/plain", ""), None, None, until, robots=True)
        except FetchError as err:
            if err.unfinished:
                raise FetchError(url, err.reason, err.hint, cause=err.cause) from None
            if err.status is not None and 400 <= err.status < 500:
                parser.parse([])  # no robots.txt: everything allowed
                self._keep_robots(host, parser, None)
                return
            self._robots_failed(host, robots_url, err.reason, err.hint or hint,
                                "robots-unavailable" if err.status else err.cause)
            return
        except _Retry as retry:
            self._robots_failed(host, robots_url, retry.reason, retry.hint or hint,
                                "robots-unavailable" if retry.status else retry.cause)
            return
        parser.parse(result.text().splitlines())
        self._keep_robots(host, parser, None)

    def _keep_robots(self, host: _Host, parser: urllib.robotparser.RobotFileParser,
                     error: tuple[str, str, str] | None) -> None:
        host.robots, host.robots_error = parser, error
        host.robots_until = time.monotonic() + ROBOTS_TTL
        delay = parser.crawl_delay(self.config.user_agent)
        if delay:
            with host.lock:
                host.interval = max(host.interval, min(float(delay), 60.0))

    def _robots_failed(self, host: _Host, robots_url: str, reason: str, hint: str,
                       cause: str) -> None:
        log.log(logging.WARNING if cause == "robots-unavailable" else logging.INFO,
                "robots.txt %s unavailable (%s): not fetching from its host for %gs",
                robots_url, reason, ROBOTS_RETRY)
        host.robots = None
        host.robots_error = (f"{reason} (fetching {robots_url})", hint, cause)
        host.robots_until = time.monotonic() + ROBOTS_RETRY

    def _fetch_once(self, url: str, accept: tuple[str, ...], etag: str | None,
                    last_modified: str | None, until: float | None) -> FetchResult:
        self._check_url(url, until)
        if self.config.obey_robots:
            parser = self._robots_for(url, until)
            if not parser.can_fetch(self.config.user_agent, url):
                raise FetchError(url, "disallowed by robots.txt", permanent=True, cause="robots")
        return self._request(url, accept, etag, last_modified, until)

    def _request(self, url: str, accept: tuple[str, ...], etag: str | None,
                 last_modified: str | None, until: float | None, *,
                 robots: bool = False) -> FetchResult:
        started = time.monotonic()
        redirects: list[str] = []
        current = url
        while True:
            # This hop's own deadline, set when it is sent: waiting for the host's slot and
            # turn (a Crawl-delay may make that long) is politeness, bounded only by ``until``.
            own: float | None = None
            self._check_url(current, until)
            if current != url and not robots and self.config.obey_robots:
                parser = self._robots_for(current, until)
                if not parser.can_fetch(self.config.user_agent, current):
                    raise FetchError(url, f"redirect to {current} is disallowed by robots.txt",
                                     permanent=True, cause="robots")
            headers: dict[str, str] = {}
            if not robots:
                headers["Accept"] = ", ".join(accept) + ", */*;q=0.1"
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            host = self._host(current)
            self._take_slot(host, url, own, until)
            try:
                at = host.turn()
                limit = _earliest(own, until)
                if limit is not None and at >= limit:
                    raise self._late(url, own, until)
                if self._aborted.wait(max(0.0, at - time.monotonic())):
                    raise self._cancelled(url)
                own = time.monotonic() + self.config.total_timeout
                with self._lock:
                    self.requests += 1
                status, resp_headers, body = self._transfer(current, headers, own, until, url)
            finally:
                host.slots.release()
            if status in (301, 302, 303, 307, 308):
                location = resp_headers.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {status} without a Location", status=status,
                                     cause="redirect")
                target = urljoin(current, location)
                if target in redirects or target == url:
                    raise FetchError(url, "redirect loop", permanent=True, status=status,
                                     cause="redirect")
                redirects.append(target)
                if len(redirects) > self.config.max_redirects:
                    raise FetchError(url, f"more than {self.config.max_redirects} redirects",
                                     permanent=True, status=status, cause="redirect")
                current = target
                continue
            break
        result = FetchResult(
            url=url, final_url=current, status=status, content=body,
            etag=resp_headers.get("etag"), last_modified=resp_headers.get("last-modified"),
            headers=resp_headers, redirects=redirects, elapsed=time.monotonic() - started,
        )
        ctype = resp_headers.get("content-type", "")
        result.content_type = ctype.split(";")[0].strip().lower()
        m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", ctype, re.I)
        result.charset = m.group(1) if m else None
        if status == 304:
            return result
        if status in RETRY_STATUSES:
            raise _Retry(f"HTTP {status}", status, _retry_after(resp_headers.get("retry-after")),
                         cause="http")
        if status >= 400:
            raise FetchError(url, f"HTTP {status}", status=status, permanent=status in (404, 410),
                             cause="http")
        if status >= 300:
            raise FetchError(url, f"HTTP {status}", status=status, cause="http")
        if not robots and result.content_type and not any(
            result.content_type == t for t in accept
        ) and not (result.content_type.endswith(("+xml", "/xml")) and "application/xml" in accept):
            raise FetchError(url, f"unexpected content type {result.content_type!r}",
                             "newsfold reads HTML pages and RSS/Atom/JSON feeds", permanent=True,
                             cause="type")
        return result

    def _take_slot(self, host: _Host, url: str, own: float | None, until: float | None) -> None:
        """One of the host's concurrent slots, waited for until the abort, ``until`` or the
        request's own deadline (once it has one)."""
        while True:
            limit = _earliest(own, until)
            wait = 0.25 if limit is None else min(0.25, max(0.0, limit - time.monotonic()))
            if host.slots.acquire(timeout=wait):
                break
            if self._aborted.is_set():
                raise self._cancelled(url)
            if limit is not None and time.monotonic() >= limit:
                raise self._late(url, own, until)
        if self._aborted.is_set():
            host.slots.release()
            raise self._cancelled(url)

    def _late(self, url: str, own: float | None, until: float | None) -> FetchError:
        if own is None or (until is not None and until < own):
            return self._budget_error(url)
        return FetchError(
            url, f"no complete answer within {self.config.total_timeout:g}s "
            "(connect, headers and body)",
            "the server is too slow or stalls; it is tried again on the next poll, and "
            "fetch_total_timeout sets the limit", cause="deadline",
        )

    def _transfer(self, url: str, headers: dict[str, str], own: float, until: float | None,
                  asked: str) -> tuple[int, dict[str, str], bytes]:
        call = _Call(own if until is None else min(own, until))
        self._watchdog.begin(call)
        _local.call = call
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                self._check_peer(resp, asked)
                resp_headers = {k.lower(): v for k, v in resp.headers.items()}
                status = resp.status_code
                if status in (301, 302, 303, 307, 308, 304) or status >= 400:
                    return status, resp_headers, b""
                length = resp_headers.get("content-length")
                if length and length.isdigit() and int(length) > self.config.max_bytes:
                    raise FetchError(asked, f"too large ({int(length)} bytes, limit "
                                     f"{self.config.max_bytes})", permanent=True,
                                     cause="too-large")
                return status, resp_headers, self._read_body(resp, asked, call, own, until)
        except FetchError:
            raise
        except (httpx.HTTPError, OSError) as exc:
            if call.cut == "cancelled" or self._aborted.is_set():
                raise self._cancelled(asked) from None
            if call.cut or call.left() <= 0:
                raise self._late(asked, own, until) from None
            if isinstance(exc, httpx.InvalidURL):
                raise FetchError(asked, f"invalid URL ({exc})", permanent=True,
                                 cause="url") from None
            if isinstance(exc, httpx.DecodingError):
                raise FetchError(asked, f"unreadable body ({exc})", cause="encoding") from None
            cause, reason = _describe(exc)
            hint = {"refused": "nothing listens there: check the URL's host and port, "
                               "or try again when the server is up",
                    "dns": "check the host name"}.get(cause, "")
            raise _Retry(reason, None, cause=cause, hint=hint) from None
        finally:
            _local.call = None
            self._watchdog.end(call)

    def _read_body(self, resp: httpx.Response, asked: str, call: _Call, own: float,
                   until: float | None) -> bytes:
        """The body, decompressed by newsfold in bounded steps and cut at ``max_bytes``."""
        limit = self.config.max_bytes
        encodings = [e.strip().lower() for e in resp.headers.get("content-encoding", "").split(",")]
        encodings = [e for e in encodings if e and e != "identity"]
        if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(asked, f"unsupported Content-Encoding {', '.join(encodings)!r}",
                             "newsfold asks for gzip or deflate only", permanent=True,
                             cause="encoding")
        inflater = _Inflater(encodings[0]) if encodings else None
        body = bytearray()
        too_large = FetchError(asked, f"too large (over {limit} bytes)", permanent=True,
                               cause="too-large")
        try:
            for raw in resp.iter_raw():
                chunk = inflater.feed(raw, limit - len(body) + 1) if inflater else raw
                body += chunk
                if len(body) > limit:
                    raise too_large
                if inflater is not None and inflater.obj.unconsumed_tail:
                    raise too_large  # output was cut at the room left: it would not fit
                if call.left() <= 0:
                    raise self._late(asked, own, until)
        except zlib.error as exc:
            raise FetchError(asked, f"corrupt {encodings[0]} body ({exc})",
                             cause="encoding") from None
        return bytes(body)

    def _check_peer(self, resp: httpx.Response, asked: str) -> None:
        if self.config.allow_private:
            return
        stream = resp.extensions.get("network_stream")
        addr = stream.get_extra_info("server_addr") if stream is not None else None
        if not addr:
            return
        try:
            ip = ipaddress.ip_address(addr[0])
        except ValueError:
            return
        if _ip_is_private(ip):
            raise FetchError(asked, "refused: connected to a private address",
                             "allow it with the fetch_allow_private setting", permanent=True,
                             cause="private")


class _Retry(Exception):
    def __init__(self, reason: str, status: int | None, retry_after: float | None = None, *,
                 cause: str = "error", hint: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.cause = cause
        self.hint = hint


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


ProgressFn = Callable[[int], object]
