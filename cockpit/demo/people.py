"""Who writes the history: the maintainers, the bots, and how often each merges."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class _Person:
    name: str
    email: str
    login: str
    tz: str


_PEOPLE = (
    _Person("Federica Ricci", "federica.ricci@example.com", "fricci", "+0100"),
    _Person("Tomasz Nowak", "tomasz.nowak@example.com", "tnowak", "+0100"),
    _Person("Priya Raman", "priya.raman@example.com", "praman", "+0530"),
    _Person("Lukas Becker", "lukas.becker@example.com", "lbecker", "+0100"),
    _Person("Hana Sato", "hana.sato@example.com", "hsato", "+0900"),
    _Person("Marco Esposito", "marco.esposito@example.com", "mesposito", "+0100"),
    _Person("Zoë Lindqvist", "zoe.lindqvist@example.com", "zlindqvist", "+0100"),
    _Person("Daniel Okafor", "daniel.okafor@example.com", "dokafor", "-0500"),
    _Person("Grace Achieng", "grace.achieng@example.com", "gachieng", "+0300"),
    _Person("Ravi Iyer", "ravi.iyer@example.com", "riyer", "-0800"),
)
_FR, _TN, _PRM, _LB, _HS, _ME, _ZL, _DO, _GA, _RI = _PEOPLE
_BOT = _Person("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "dependabot[bot]", "+0000")
_WEB = _Person("GitHub", "noreply@github.com", "web-flow", "+0000")
_ACTIVE = (0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 8, 9)  # some people merge more than others
