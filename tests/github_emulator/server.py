"""The HTTP side: a threaded loopback server and the pipeline every request goes through.

Order, as GitHub applies it: faults (the front end), authentication, routing, the primary rate limit, the handler,
then conditional-request handling (a matching `If-None-Match` answers 304 without spending rate limit), headers, and
finally schema validation of what was received and sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import socket
import threading
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from . import (
    graphql_api,
    handlers,  # noqa: F401  (registers the routes)
)
from .faults import PRIMARY_MESSAGE, RATE_DOCS, Fault, FaultRule, Faults, fault_reply
from .ratelimit import RateLimits
from .records import RecordedRequest, Violation
from .render import Renderer
from .routing import DOCS, ROUTER, ApiError, Call, Reply
from .schemas import SchemaBook, schema_book
from .state import Token, World

API_PREFIX = "/api/v3"
NOT_COUNTED = {"/rate_limit"}  # GitHub does not charge rate limit for asking about it


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive connections must not hold up stop()

    def __init__(self, api: ApiServer) -> None:
        self.api = api
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as PyGithub's requests session expects
    server_version = "GitHub.com"
    sys_version = ""
    timeout = 120  # idle keep-alive connections are dropped after this
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle + delayed ACK cost ~40 ms per response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self.server.api.serve(self)

    do_POST = do_PATCH = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the request log replaces stderr noise


class ApiServer:
    """World + router + faults + rate limits + request log + validation, answering HTTP requests."""

    def __init__(self, world: World, *, validate: bool = True, slow_seconds: float = 2.0) -> None:
        self.world = world
        self.faults = Faults(slow_seconds)
        self.rates = RateLimits()
        self.validate = validate
        self.schemas: SchemaBook | None = schema_book() if validate else None
        self.log: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.validated = 0  # responses checked against a schema
        self._log_lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.renderer: Renderer | None = None

    # ---- what was seen ------------------------------------------------------------------------------------------
    def recorded(self) -> list[RecordedRequest]:
        with self._log_lock:
            return list(self.log)

    def recorded_violations(self) -> list[Violation]:
        with self._log_lock:
            return list(self.violations)

    def forget(self, *, requests: bool = False, violations: bool = False) -> None:
        with self._log_lock:
            if requests:
                self.log.clear()
            if violations:
                self.violations.clear()

    # ---- lifecycle ---------------------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not started")
        return self._server.server_address[1]

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.web_url}{API_PREFIX}"

    def start(self) -> None:
        if self._server is not None:
            return
        if self.validate:
            # GitHub's GraphQL schema, built before serving (once per process): built on a first GraphQL request
            # it would hold that request (or, in a background thread, every other one) past a client's timeout
            graphql_api.github_schema()
        self._stopping.clear()
        self._server = _Server(self)
        self.renderer = Renderer(self.world, self.base_url, self.web_url)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, name="github-emulator", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # wakes SLOW faults
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    # ---- the pipeline ------------------------------------------------------------------------------------------
    def serve(self, http: _Handler) -> None:
        url = urlsplit(http.path)
        length = int(http.headers.get("Content-Length") or 0)
        raw = http.rfile.read(length) if length else b""
        headers = {k: v for k, v in http.headers.items() if k.lower() != "authorization"}
        path = unquote(url.path)
        api_path = path[len(API_PREFIX):] if path.startswith(API_PREFIX + "/") else path
        query = parse_qsl(url.query, keep_blank_values=True)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        record = RecordedRequest(http.command, api_path, query, headers, body)
        with self._log_lock:
            self.log.append(record)

        rule = self.faults.take(http.command, api_path)
        if rule is not None:
            record.fault = rule.kind.value
            if rule.kind is Fault.DROP:
                http.close_connection = True
                with contextlib.suppress(OSError):
                    http.connection.shutdown(socket.SHUT_RDWR)
                return
            if rule.kind is Fault.SLOW:
                delay = rule.delay if rule.delay is not None else self.faults.slow_seconds
                if self._stopping.wait(delay):
                    http.close_connection = True
                    return
            else:
                self._send_fault(http, record, rule)
                return

        status, payload, extra = self._answer(http, record, path, raw, body)
        record.status = status
        self._send(http, status, payload, extra)

    def _answer(
        self, http: _Handler, record: RecordedRequest, path: str, raw: bytes, body: Any
    ) -> tuple[int, bytes | None, dict[str, str]]:
        """Status, body bytes and headers for a request that no fault intercepted."""
        if path == graphql_api.GRAPHQL_PATH:
            return self._graphql(http, record, raw, body)
        matched = ROUTER.match(record.method, record.path) if path.startswith(API_PREFIX + "/") else None
        record.template = matched[0] if matched else None
        auth = http.headers.get("Authorization")
        token = self._token(auth)
        account = token.login if token else "anonymous"
        resource = "search" if record.path.startswith("/search/") else "core"
        bucket = self.rates.bucket(account, resource)
        headers = self._rate_headers(bucket.limit, bucket.remaining, bucket.reset, resource)
        if token is not None:
            headers["X-OAuth-Scopes"] = ", ".join(token.scopes)
            headers["X-Accepted-OAuth-Scopes"] = "repo" if record.path.startswith("/repos/") else ""
        counted = matched is not None and matched[0] not in NOT_COUNTED

        refusal: ApiError | None = None
        if auth and token is None:
            refusal = ApiError(401, "Bad credentials", documentation_url=DOCS)
        elif token is None and record.method != "GET":
            refusal = ApiError(401, "Requires authentication", documentation_url=DOCS)
        elif matched is None:
            refusal = ApiError(404, "Not Found")
        elif counted and bucket.remaining <= 0:
            who = f"user ID {self.world.user(token.login).id}" if token else http.client_address[0]
            refusal = ApiError(403, PRIMARY_MESSAGE.format(who=who), documentation_url=RATE_DOCS)
        elif raw and isinstance(body, str):
            refusal = ApiError(400, "Problems parsing JSON")

        if refusal is not None:
            reply = Reply(refusal.status, refusal.body(self._docs(record.method, record.template)), refusal.headers)
            spend = counted and refusal.status not in (401, 403)
        else:
            assert matched is not None
            reply = self._run(record, matched[1], matched[2], body, token)
            spend = counted
        payload = json.dumps(reply.body, separators=(",", ":")).encode()
        headers.update(reply.headers)
        status = reply.status
        if record.method == "GET" and status == 200:
            etag = 'W/"' + hashlib.sha256(payload).hexdigest() + '"'
            headers["ETag"] = etag
            headers["Cache-Control"] = "private, max-age=60, s-maxage=60"
            modified = _last_modified(reply.body)
            if modified:
                headers["Last-Modified"] = modified
            if _not_modified(http.headers.get("If-None-Match"), http.headers.get("If-Modified-Since"), etag, modified):
                status, payload, spend = 304, None, False  # conditional hits are free
        if spend:
            bucket = self.rates.spend(account, resource)
            headers.update(self._rate_headers(bucket.limit, bucket.remaining, bucket.reset, resource))
        if record.template is None:
            self._violate("endpoint", record, status, ["no such endpoint in the emulator / documented subset"])
        else:
            self._check(record, record.template, status, None if payload is None else reply.body, body)
        return status, payload, headers

    def _graphql(
        self, http: _Handler, record: RecordedRequest, raw: bytes, body: Any
    ) -> tuple[int, bytes | None, dict[str, str]]:
        """GitHub's GraphQL endpoint: a token required, the graphql rate-limit bucket (one point per query), every
        query validated against GitHub's schema (a query GitHub would refuse is a violation: the client is wrong),
        errors answered with HTTP 200 and an `errors` array."""
        auth = http.headers.get("Authorization")
        token = self._token(auth)
        headers: dict[str, str] = {}
        if record.method != "POST":
            status, reply = 404, {"message": "Not Found", "documentation_url": graphql_api.DOCS}
        elif token is None:
            status, reply = 401, {"message": "Bad credentials" if auth else
                                  "This endpoint requires you to be authenticated.",
                                  "documentation_url": graphql_api.DOCS}
        elif raw and isinstance(body, str):
            status, reply = 400, {"message": "Problems parsing JSON", "documentation_url": graphql_api.DOCS}
        else:
            bucket = self.rates.bucket(token.login, "graphql")
            if bucket.remaining <= 0:
                status, reply = 200, {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for "
                                                  f"user ID {self.world.user(token.login).id}."}]}
            else:
                bucket = self.rates.spend(token.login, "graphql")
                rate = graphql_api.rate_object(bucket.limit, bucket.remaining, bucket.reset)
                with self.world.lock:
                    reply, problems = graphql_api.answer(self.world, body, rate)
                status = 200
                record.validated = True
                if problems:
                    self._violate("graphql", record, status, problems)
            headers = self._rate_headers(bucket.limit, bucket.remaining, bucket.reset, "graphql")
        return status, json.dumps(reply, separators=(",", ":")).encode(), headers

    def _token(self, authorization: str | None) -> Token | None:
        """The registered token an `Authorization: token X` / `Bearer X` header names (None: unknown or absent)."""
        if not authorization:
            return None
        scheme, _, value = authorization.partition(" ")
        return self.world.tokens.get(value.strip()) if scheme.lower() in ("token", "bearer") else None

    def _run(
        self, record: RecordedRequest, handler: Any, params: dict[str, str], body: Any, token: Token | None
    ) -> Reply:
        assert self.renderer is not None
        with self.world.lock:
            call = Call(self.world, self.renderer, record.method, record.path, params, record.query, body, token,
                        self.rates)
            endpoint_docs = self._docs(record.method, record.template)
            try:
                return handler(call)
            except ApiError as exc:
                return Reply(exc.status, exc.body(endpoint_docs), exc.headers)
            except Exception as exc:  # an emulator bug must fail the test, not hang the client
                self._violate("crash", record, 500, [repr(exc)])
                return Reply(500, {"message": f"emulator error: {exc!r}", "documentation_url": DOCS})

    def _docs(self, method: str, template: str | None) -> str:
        if self.schemas is None or template is None:
            return DOCS
        return self.schemas.endpoint(method, template).docs_url

    def _send_fault(self, http: _Handler, record: RecordedRequest, rule: FaultRule) -> None:
        token = self._token(http.headers.get("Authorization"))
        who = f"user ID {self.world.user(token.login).id}" if token else http.client_address[0]
        bucket = self.rates.bucket(token.login if token else "anonymous")
        reply = fault_reply(rule, who=who, limit=bucket.limit, reset=bucket.reset)
        headers = {**self._rate_headers(bucket.limit, bucket.remaining, bucket.reset, "core"), **reply.headers}
        headers["Content-Type"] = reply.content_type
        record.status = reply.status
        self._send(http, reply.status, reply.body, headers)

    @staticmethod
    def _rate_headers(limit: int, remaining: int, reset: int, resource: str) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(reset),
            "X-RateLimit-Used": str(limit - remaining),
            "X-RateLimit-Resource": resource,
        }

    def _send(self, http: _Handler, status: int, payload: bytes | None, headers: dict[str, str]) -> None:
        try:
            http.send_response(status)
            if payload is not None:
                http.send_header("Content-Type", headers.pop("Content-Type", "application/json; charset=utf-8"))
                http.send_header("Content-Length", str(len(payload)))
            http.send_header("X-GitHub-Media-Type", "github.v3; format=json")
            http.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
            http.send_header("X-GitHub-Request-Id", secrets.token_hex(8).upper())
            http.send_header("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
            for name, value in headers.items():
                http.send_header(name, value)
            http.end_headers()
            if payload is not None:
                http.wfile.write(payload)
            http.wfile.flush()
        except OSError:  # the client gave up (timeouts): nothing left to tell it
            http.close_connection = True

    # ---- validation --------------------------------------------------------------------------------------------
    def _check(self, record: RecordedRequest, template: str, status: int, response: Any, request: Any) -> None:
        if self.schemas is None:
            return
        problems = self.schemas.validate_response(record.method, template, status, response)
        with self._log_lock:
            self.validated += 1
        record.validated = True
        if problems:
            self._violate("response", record, status, problems)
        foreign = list(_foreign_urls(response, self.web_url))
        if foreign:
            self._violate("url", record, status, foreign)
        if record.method in ("POST", "PATCH", "PUT"):
            problems = self.schemas.validate_request(record.method, template, request)
            if problems:
                self._violate("request", record, status, problems)

    def _violate(self, kind: str, record: RecordedRequest, status: int | None, errors: list[str]) -> None:
        with self._log_lock:
            self.violations.append(Violation(kind, record.method, record.path, status, errors))


def _last_modified(body: Any) -> str | None:
    if isinstance(body, dict) and isinstance(body.get("updated_at"), str):
        when = datetime.fromisoformat(body["updated_at"].replace("Z", "+00:00"))
        return format_datetime(when, usegmt=True)
    return None


def _not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str, modified: str | None) -> bool:
    """RFC 9110: If-None-Match decides when present; If-Modified-Since only without it."""
    if if_none_match:
        wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in wanted or etag.removeprefix("W/") in wanted
    if if_modified_since and modified:
        try:
            return parsedate_to_datetime(modified) <= parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
    return False


def _foreign_urls(body: Any, base: str, where: str = "") -> Iterator[str]:
    """URL fields that do not point at the emulator (PyGithub would refuse to follow them)."""
    if isinstance(body, dict):
        for key, value in body.items():
            here = f"{where}/{key}"
            if isinstance(value, str) and (key == "url" or key.endswith("_url") or key in ("href", "self", "html",
                                                                                         "git")):
                if key != "documentation_url" and value.startswith("http") and not value.startswith(base + "/"):
                    yield f"{here}: {value} is not under {base}"
            else:
                yield from _foreign_urls(value, base, here)
    elif isinstance(body, list):
        for index, value in enumerate(body):
            yield from _foreign_urls(value, base, f"{where}/{index}")
