"""Polite HTTP fetching: robots.txt, per-host rate limits, conditional GET, retries, limits.

:class:`Fetcher` fetches one URL (:meth:`Fetcher.fetch`) or many at once
(:meth:`Fetcher.fetch_many`, a thread pool). Every request:

* obeys the host's ``robots.txt`` (``urllib.robotparser``; fetched once per host and cached;
  a 4xx means "no rules", a 5xx or an unreachable file means "disallow all", as RFC 9309 says;
  a ``Crawl-delay`` slows that host down);
* waits for the host's turn: at most ``rate_per_host`` requests a second and ``host_concurrency``
  requests at once per host (a host is ``scheme://host:port``), ``concurrency`` overall;
* sends the configured ``User-Agent`` and, when given, ``If-None-Match`` / ``If-Modified-Since``
  (a 304 comes back as ``status == 304`` with no body);
* retries 429/5xx answers, timeouts and connection errors with exponential backoff (honouring a
  short ``Retry-After``);
* follows at most ``max_redirects`` redirects itself (each hop is checked again: robots.txt, the
  address, loops), reads at most ``max_bytes`` (streamed; larger bodies are refused) within
  ``total_timeout`` seconds, and checks the content type against what the caller accepts;
* with ``allow_private=False`` refuses loopback, private, link-local and other non-public
  addresses, both before connecting (the name is resolved) and after (the connected peer).

Failures raise :class:`FetchError` (an :class:`~newsfold.errors.InputError` naming the URL).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import logging
import re
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

import httpx

from ..errors import InputError

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

DEFAULT_USER_AGENT = "newsfold/0.1 (+https://github.com/newsfold/newsfold; polite news reader)"

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


class FetchError(InputError):
    """A URL could not be fetched (or may not be): ``reason`` says why."""

    def __init__(self, url: str, reason: str, hint: str = "", *, status: int | None = None,
                 permanent: bool = False) -> None:
        super().__init__(url, reason, hint)
        self.status = status
        self.permanent = permanent
        """True when trying again later will not help (robots.txt, 404, wrong type, too large)."""


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """How politely and within which limits to fetch."""

    user_agent: str = DEFAULT_USER_AGENT
    rate_per_host: float = 1.0
    """Requests per second to one host (a ``Crawl-delay`` in robots.txt can lower it)."""
    host_concurrency: int = 2
    concurrency: int = 16
    timeout: float = 10.0
    """Connect/read timeout of one request, seconds."""
    total_timeout: float = 30.0
    """Time limit of one whole response (headers and body), seconds."""
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 0.5
    """First retry waits this long; each later one twice as long."""
    allow_private: bool = True
    obey_robots: bool = True

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> FetchConfig:
        """The config from :class:`~newsfold.settings.Settings` ``fetch_*`` fields, if present."""
        values: dict[str, Any] = {}
        mapping = {
            "user_agent": "fetch_user_agent", "rate_per_host": "fetch_rate_per_host",
            "host_concurrency": "fetch_host_concurrency", "concurrency": "fetch_concurrency",
            "timeout": "fetch_timeout", "total_timeout": "fetch_total_timeout",
            "max_bytes": "fetch_max_bytes", "max_redirects": "fetch_max_redirects",
            "retries": "fetch_retries", "allow_private": "fetch_allow_private",
        }
        for name, setting in mapping.items():
            if settings is not None and hasattr(settings, setting):
                values[name] = getattr(settings, setting)
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


# -- politeness -----------------------------------------------------------------------------
class _Host:
    """Rate and concurrency limits of one host."""

    def __init__(self, interval: float, concurrency: int) -> None:
        self.interval = interval
        self.slots = threading.BoundedSemaphore(max(1, concurrency))
        self.lock = threading.Lock()
        self.next_at = 0.0

    def wait_turn(self) -> None:
        with self.lock:
            now = time.monotonic()
            at = max(now, self.next_at)
            self.next_at = at + self.interval
        delay = at - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


class Fetcher:
    """A polite HTTP client (thread-safe). Use as a context manager or call :meth:`close`."""

    def __init__(self, config: FetchConfig | None = None, *, allow_private: bool | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        config = config or FetchConfig()
        if allow_private is not None:
            config = replace(config, allow_private=allow_private)
        self.config = config
        timeout = httpx.Timeout(config.timeout)
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=False, transport=transport,
            headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser | None, float]] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
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
        self.client.close()

    # -- public ---------------------------------------------------------------------------
    def fetch(
        self, url: str, *, accept: Iterable[str] = ARTICLE_TYPES, etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """GET ``url`` politely. Raises :class:`FetchError`; a 304 is returned, not raised."""
        accept = tuple(accept)
        attempt = 0
        while True:
            try:
                return self._fetch_once(url, accept, etag, last_modified)
            except _Retry as retry:
                attempt += 1
                if attempt > self.config.retries:
                    raise FetchError(
                        url, f"{retry.reason} (after {attempt} tries)", status=retry.status
                    ) from None
                wait = self.config.backoff * (2 ** (attempt - 1))
                if retry.retry_after is not None:
                    wait = max(wait, min(retry.retry_after, 30.0))
                log.info("retrying %s in %.1fs: %s", url, wait, retry.reason)
                time.sleep(wait)

    def fetch_many(
        self, urls: Iterable[str], *, accept: Iterable[str] = ARTICLE_TYPES,
    ) -> Iterator[tuple[str, FetchResult | FetchError]]:
        """Fetch URLs concurrently (within every host's limits); results in input order."""
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
            pending.append((u, pool.submit(self.fetch, u, accept=accept)))
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
        """Whether robots.txt lets this fetcher's user agent fetch ``url``."""
        if not self.config.obey_robots:
            return True
        parser = self._robots_for(url)
        if parser is None:
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
            host = self._hosts.get(key)
            if host is None:
                rate = self.config.rate_per_host
                interval = 1.0 / rate if rate > 0 else 0.0
                host = self._hosts[key] = _Host(interval, self.config.host_concurrency)
            return host

    def _check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "not an http(s) URL", permanent=True)
        if not self.config.allow_private and is_private_address(url):
            raise FetchError(
                url, "refused: a loopback, private or link-local address",
                "allow it with the fetch_allow_private setting", permanent=True,
            )

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        key = _host_key(url)
        now = time.monotonic()
        with self._lock:
            cached = self._robots.get(key)
            if cached is not None and cached[1] > now:
                return cached[0]
            lock = self._robots_locks.setdefault(key, threading.Lock())
        with lock:
            with self._lock:
                cached = self._robots.get(key)
                if cached is not None and cached[1] > time.monotonic():
                    return cached[0]
            parser = self._load_robots(url)
            ttl = ROBOTS_TTL if parser is not None else ROBOTS_RETRY
            host = self._host(url)
            with self._lock:
                self._robots[key] = (parser, time.monotonic() + ttl)
                if parser is not None:
                    delay = parser.crawl_delay(self.config.user_agent)
                    if delay:
                        host.interval = max(host.interval, min(float(delay), 60.0))
            return parser

    def _load_robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            result = self._request(robots_url, ("text/plain", ""), None, None, robots=True)
        except FetchError as err:
            if err.status is not None and 400 <= err.status < 500:
                parser.parse([])  # no robots.txt: everything allowed
                return parser
            log.warning("robots.txt of %s unavailable (%s): not fetching from it", robots_url,
                        err.reason)
            return None
        except _Retry as retry:
            log.warning("robots.txt of %s unavailable (%s): not fetching from it", robots_url,
                        retry.reason)
            return None
        parser.parse(result.text().splitlines())
        return parser

    def _fetch_once(self, url: str, accept: tuple[str, ...], etag: str | None,
                    last_modified: str | None) -> FetchResult:
        self._check_url(url)
        if not self.allowed(url):
            raise FetchError(url, "disallowed by robots.txt", permanent=True)
        return self._request(url, accept, etag, last_modified)

    def _request(self, url: str, accept: tuple[str, ...], etag: str | None,
                 last_modified: str | None, *, robots: bool = False) -> FetchResult:
        started = time.monotonic()
        deadline = started + self.config.total_timeout
        redirects: list[str] = []
        current = url
        while True:
            self._check_url(current)
            if current != url and not robots and not self.allowed(current):
                raise FetchError(url, f"redirect to {current} is disallowed by robots.txt",
                                 permanent=True)
            headers: dict[str, str] = {}
            if not robots:
                headers["Accept"] = ", ".join(accept) + ", */*;q=0.1"
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            host = self._host(current)
            with host.slots:
                host.wait_turn()
                with self._lock:
                    self.requests += 1
                status, resp_headers, body = self._transfer(current, headers, deadline, url)
            if status in (301, 302, 303, 307, 308):
                location = resp_headers.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {status} without a Location", status=status)
                target = urljoin(current, location)
                if target in redirects or target == url:
                    raise FetchError(url, "redirect loop", permanent=True, status=status)
                redirects.append(target)
                if len(redirects) > self.config.max_redirects:
                    raise FetchError(url, f"more than {self.config.max_redirects} redirects",
                                     permanent=True, status=status)
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
            raise _Retry(f"HTTP {status}", status, _retry_after(resp_headers.get("retry-after")))
        if status >= 400:
            raise FetchError(url, f"HTTP {status}", status=status, permanent=status in (404, 410))
        if status >= 300:
            raise FetchError(url, f"HTTP {status}", status=status)
        if not robots and result.content_type and not any(
            result.content_type == t for t in accept
        ) and not (result.content_type.endswith(("+xml", "/xml")) and "application/xml" in accept):
            raise FetchError(url, f"unexpected content type {result.content_type!r}",
                             "newsfold reads HTML pages and RSS/Atom/JSON feeds", permanent=True)
        return result

    def _transfer(self, url: str, headers: dict[str, str], deadline: float,
                  asked: str) -> tuple[int, dict[str, str], bytes]:
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
                                     f"{self.config.max_bytes})", permanent=True)
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.config.max_bytes:
                        raise FetchError(asked, f"too large (over {self.config.max_bytes} bytes)",
                                         permanent=True)
                    if time.monotonic() > deadline:
                        raise _Retry(f"took longer than {self.config.total_timeout:g}s", None)
                    chunks.append(chunk)
                return status, resp_headers, b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise _Retry(f"timed out ({type(exc).__name__})", None) from None
        except httpx.TransportError as exc:
            raise _Retry(f"connection failed ({type(exc).__name__}: {exc})", None) from None
        except httpx.InvalidURL as exc:
            raise FetchError(asked, f"invalid URL ({exc})", permanent=True) from None

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
                             "allow it with the fetch_allow_private setting", permanent=True)


class _Retry(Exception):
    def __init__(self, reason: str, status: int | None, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


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
