"""Divergence from the commit graph: the index of a linear main line (lookups) and CommitGraph (counting) agree
with each other and with plain set reachability, on random histories."""

from __future__ import annotations

import hashlib
import random

import pytest

from cockpit.core.graph import CommitGraph, RevListIndex


def sha(n: int) -> str:
    return hashlib.sha1(str(n).encode()).hexdigest()


def random_history(rng: random.Random) -> tuple[dict[str, tuple[str, ...]], str, list[str]]:
    """A linear main line, branches forking from it (some merging the main line in later, some merging each
    other), and a few unrelated roots. Returns parents, the main head and the branch heads."""
    parents: dict[str, tuple[str, ...]] = {}
    n = 0

    def commit(*ps: str) -> str:
        nonlocal n
        n += 1
        parents[sha(n)] = ps
        return sha(n)

    main = [commit()]
    for _ in range(rng.randint(5, 40)):
        main.append(commit(main[-1]))
    heads = []
    for _ in range(rng.randint(1, 6)):
        tip = rng.choice(main)
        for _ in range(rng.randint(0, 6)):
            roll = rng.random()
            if roll < 0.15:
                tip = commit(tip, rng.choice(main))  # the main line merged into the branch
            elif roll < 0.25 and heads:
                tip = commit(tip, rng.choice(heads))  # another branch merged in
            else:
                tip = commit(tip)
        heads.append(tip)
    if rng.random() < 0.3:
        heads.append(commit())  # an unrelated root
    return parents, main[-1], heads


def rev_list_bytes(parents: dict[str, tuple[str, ...]], rng: random.Random) -> bytes:
    lines = [" ".join((c, *ps)) for c, ps in parents.items()]
    rng.shuffle(lines)  # the index must not depend on git's order
    return ("\n".join(lines) + "\n").encode()


def reach(parents: dict[str, tuple[str, ...]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        c = stack.pop()
        if c not in seen:
            seen.add(c)
            stack.extend(parents[c])
    return seen


@pytest.mark.parametrize("seed", range(60))
def test_linear_index_and_commit_graph_agree_with_reachability(seed: int) -> None:
    rng = random.Random(seed)
    parents, main_head, heads = random_history(rng)
    index = RevListIndex(rev_list_bytes(parents, rng))
    chain = index.first_parent_chain(main_head.encode())
    assert chain is not None and len(chain) == len(reach(parents, main_head))
    graph = CommitGraph(parents, main_head)
    on_main = reach(parents, main_head)
    for head in heads:
        mine = reach(parents, head)
        own = mine - on_main
        forks = [c for c in mine & on_main]
        expected_fork = min(forks, key=lambda c: chain[c.encode()]) if forks else None
        fast = index.divergence(chain, head.encode())
        assert (fast.fork_point, fast.ahead, fast.behind, fast.own) == (
            expected_fork, len(own), len(on_main - mine), frozenset(own))
        assert graph.divergence(head) == fast


def test_a_merge_on_the_main_line_is_left_to_commit_graph() -> None:
    parents = {sha(1): (), sha(2): (sha(1),), sha(3): (sha(1),), sha(4): (sha(2), sha(3))}
    index = RevListIndex(rev_list_bytes(parents, random.Random(0)))
    assert index.first_parent_chain(sha(4).encode()) is None
    assert index.parents_map() == parents


def pieces(data: bytes, rng: random.Random) -> list[bytes]:
    """`data` cut at random places, inside lines and ids too, as git's writes reach the reader."""
    cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, rng.randint(1, 12))))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


@pytest.mark.parametrize("seed", range(40))
def test_an_index_fed_in_pieces_answers_as_the_whole_output(seed: int) -> None:
    rng = random.Random(seed)
    parents, main_head, heads = random_history(rng)
    data = rev_list_bytes(parents, rng)
    if rng.random() < 0.3:
        data = data.rstrip(b"\n")  # the last line without its newline
    whole = RevListIndex(data)
    fed = RevListIndex(follow=main_head.encode())
    for piece in pieces(data, rng):
        fed.feed(piece)
    fed.close()
    chain = fed.first_parent_chain(main_head.encode())
    assert chain == whole.first_parent_chain(main_head.encode())
    assert all(c.encode() in fed for c in parents)
    assert fed.parents_map() == parents
    for head in heads:
        assert fed.divergence(chain, head.encode()) == whole.divergence(chain, head.encode())


def test_a_followed_chain_stops_at_a_merge_whatever_the_order_of_lines() -> None:
    parents = {sha(1): (), sha(2): (sha(1),), sha(3): (sha(1),), sha(4): (sha(2), sha(3)), sha(5): (sha(4),)}
    for seed in range(10):
        fed = RevListIndex(follow=sha(5).encode())
        for line in rev_list_bytes(parents, random.Random(seed)).splitlines(keepends=True):
            fed.feed(line)
        fed.close()
        assert fed.first_parent_chain(sha(5).encode()) is None


def test_a_chain_whose_lines_are_missing_ends_where_they_do() -> None:
    """A commit absent from the output (outside the walk) ends the chain, as a root does: the same answer fed in
    pieces as whole."""
    data = f"{sha(3)} {sha(2)}\n{sha(2)} {sha(1)}\n".encode()
    fed = RevListIndex(follow=sha(3).encode())
    fed.feed(data[:50])
    fed.feed(data[50:])
    fed.close()
    assert fed.first_parent_chain(sha(3).encode()) == RevListIndex(data).first_parent_chain(sha(3).encode()) == {
        sha(3).encode(): 0, sha(2).encode(): 1, sha(1).encode(): 2}
