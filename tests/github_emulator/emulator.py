"""`GitHubEmulator`: a stateful fake of GitHub's REST API on 127.0.0.1, for driving real clients over real HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from types import TracebackType
from typing import Any

from .faults import Fault, FaultRule, Faults
from .ratelimit import Bucket
from .records import RecordedRequest, Violation
from .seeding import Seeding, to_utc
from .server import ApiServer
from .state import World, utcnow


class GitHubEmulator(Seeding):
    """GitHub's REST API (the 27 endpoints of ../shared/github/openapi-subset.json) for one or more repositories.

    Serves `http://127.0.0.1:PORT/api/v3` (`base_url`); use as a context manager or call start()/stop(). It starts
    with one repository (`owner/repo`), one user (`login`) and one token (`token`) that may push to it. With
    `validate=True` every response sent and request body received is checked against GitHub's schemas, and problems
    are collected in `violations` (see `assert_valid()`).
    """

    def __init__(
        self,
        owner: str = "falcosecurity",
        repo: str = "libs",
        *,
        default_branch: str = "master",
        token: str = "ghp_emulator_token",
        login: str = "octocat",
        push: bool | Iterable[str] = True,
        scopes: Iterable[str] = ("repo", "workflow"),
        validate: bool = True,
        slow_seconds: float = 2.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.world = World(clock)
        self.server = ApiServer(self.world, validate=validate, slow_seconds=slow_seconds)
        self.token = token
        self.login = login
        self.repo_name = f"{owner}/{repo}"
        self.add_token(token, login=login, scopes=scopes, push=push)
        self.add_repo(self.repo_name, default_branch=default_branch)

    # ---- lifecycle ---------------------------------------------------------------------------------------------
    def start(self) -> GitHubEmulator:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> GitHubEmulator:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/api/v3`: PyGithub's `base_url`."""
        return self.server.base_url

    @property
    def web_url(self) -> str:
        """`http://127.0.0.1:PORT`: where `html_url`s point."""
        return self.server.web_url

    @property
    def port(self) -> int:
        return self.server.port

    def set_time(self, when: datetime | str | None) -> None:
        """Freeze the emulator's clock (timestamps of created/updated objects); None returns to real time."""
        frozen = to_utc(when)
        self.world.clock = utcnow if frozen is None else (lambda: frozen)

    def client(self, token: str | None = None, **kwargs: Any) -> Any:
        """A PyGithub client for this emulator, without PyGithub's sleeps and retries (override with kwargs)."""
        import github

        settings: dict[str, Any] = {"per_page": 5, "seconds_between_requests": None,
                                    "seconds_between_writes": None, "retry": None, "timeout": 5}
        settings.update(kwargs)
        return github.Github(auth=github.Auth.Token(token or self.token), base_url=self.base_url, **settings)

    # ---- faults and rate limits --------------------------------------------------------------------------------
    @property
    def faults(self) -> Faults:
        return self.server.faults

    def fail_next(self, kind: Fault | str, count: int = 1, path_prefix: str | None = None,
                  method: str | None = None, **options: Any) -> FaultRule:
        """Fail the next `count` matching requests (see Fault); `path_prefix` is an API path like "/repos/o/r"."""
        return self.faults.fail_next(kind, count, path_prefix, method, **options)

    def fail_always(self, kind: Fault | str, path_prefix: str | None = None, method: str | None = None,
                    **options: Any) -> FaultRule:
        return self.faults.fail_always(kind, path_prefix, method, **options)

    def rate_limit(self, resource: str = "core", *, login: str | None = None) -> Bucket:
        return self.server.rates.bucket(login or self.login, resource)

    def set_rate_limit(self, remaining: int | None = None, *, limit: int | None = None, reset: int | None = None,
                       resource: str = "core", login: str | None = None) -> Bucket:
        """Set an account's budget; at 0 GitHub's 403 "API rate limit exceeded" follows for real."""
        return self.server.rates.set(login or self.login, resource, remaining=remaining, limit=limit, reset=reset)

    # ---- request log -------------------------------------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first."""
        return self.server.recorded()

    def requests_count(self, method: str | None = None, path: str | None = None, *, prefix: str | None = None,
                       status: int | None = None) -> int:
        """How many requests matched: exact API `path` (no query), or path `prefix`, method and status."""
        return len(self.find_requests(method, path, prefix=prefix, status=status))

    def find_requests(self, method: str | None = None, path: str | None = None, *, prefix: str | None = None,
                      status: int | None = None) -> list[RecordedRequest]:
        return [
            r for r in self.requests
            if (method is None or r.method == method.upper())
            and (path is None or r.path == path)
            and (prefix is None or r.path.startswith(prefix))
            and (status is None or r.status == status)
        ]

    def clear_requests(self) -> None:
        self.server.forget(requests=True)

    # ---- validation --------------------------------------------------------------------------------------------
    @property
    def violations(self) -> list[Violation]:
        return self.server.recorded_violations()

    @property
    def validated_count(self) -> int:
        """Responses checked against GitHub's schemas so far."""
        return self.server.validated

    def clear_violations(self) -> None:
        self.server.forget(violations=True)

    def assert_valid(self) -> None:
        """Fail when anything sent or received broke GitHub's schemas (or used an endpoint outside the subset),
        or when a routed response escaped validation."""
        problems = self.violations
        assert not problems, f"{len(problems)} schema violation(s):\n" + "\n".join(map(str, problems))
        if self.server.validate:
            unchecked = [f"{r.method} {r.path}" for r in self.requests if r.template and not r.validated]
            assert not unchecked, f"responses escaped schema validation: {unchecked}"


def serve_validated(**settings: Any) -> Iterator[GitHubEmulator]:
    """For pytest fixtures (`yield from serve_validated()`): a started emulator, stopped and checked at teardown."""
    with GitHubEmulator(**settings) as emulator:
        yield emulator
    emulator.assert_valid()
