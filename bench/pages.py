"""Household list and household page on the demo county under 20 concurrent clients, beside a trivial page.

The trivial page (关于本平台) goes through the same stack (session, login, template) without data, so
the ratio shows what the registry's queries and rendering cost.
"""

from __future__ import annotations

import os
import random
from statistics import median

from bench.common import ROOT, Load, load, manage, note, report, server

CLIENTS = 20
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["SAFETYNET_VAR_DIR"] = str(ROOT / "var" / "bench")
    env["DEBUG"] = "0"
    return env


def _session_cookie(env: dict[str, str], username: str) -> str:
    code = (
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        f"u = get_user_model().objects.get(username={username!r})\n"
        "s = SessionStore(); s[SESSION_KEY] = str(u.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.save(); print(s.session_key)\n"
    )
    return "sessionid=" + manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1]


def _household_ids(env: dict[str, str]) -> list[int]:
    code = "from safetynet.registry.models import Household; print(Household.objects.count(), " \
           "min(Household.objects.values_list('pk', flat=True)))"
    count, first = manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1].split()
    rng = random.Random(20251203)
    return [int(first) + rng.randrange(int(count)) for _ in range(2000)]


def _list_paths() -> list[str]:
    rng = random.Random(7)
    paths = [f"/households/?page={rng.randint(1, 200)}" for _ in range(60)]
    paths += ["/households/?q=wjg", "/households/?q=王", "/households/?q=zhang", "/households/?region=220821101",
              "/households/?residence=urban", "/households/?monitoring=1", "/households/?q=2208211"]
    rng.shuffle(paths)
    return paths


def _rounds(base: str, kinds: dict[str, list[str]], cookie: str) -> dict[str, Load]:
    """Each kind in turn, ROUNDS times, each figure the median of its rounds.

    Interleaving keeps a slow patch of the machine (another process busy for a while) from falling on one
    kind only, which would skew the ratios.
    """
    runs: dict[str, list[Load]] = {name: [] for name in kinds}
    for _ in range(ROUNDS):
        for name, paths in kinds.items():
            runs[name].append(load(base, paths, cookie=cookie, clients=CLIENTS, seconds=SECONDS))
    return {name: Load(sum(r.requests for r in rs), sum(r.bad for r in rs), median(r.p50_ms for r in rs),
                       median(r.p95_ms for r in rs), median(r.rps for r in rs)) for name, rs in runs.items()}


def _report(name: str, result: Load) -> None:
    if result.bad:
        raise RuntimeError(f"{name}: {result.bad} of {result.requests} responses were errors")
    report(f"{name}_p50_ms", result.p50_ms, "ms")
    report(f"{name}_p95_ms", result.p95_ms, "ms")
    report(f"{name}_rps", result.rps, "req/s")


def run() -> None:
    env = _env()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "demo_county")
    cookie = _session_cookie(env, "minzheng")  # county civil affairs: sees all 20,000 households
    households = [f"/households/{pk}/" for pk in _household_ids(env)]
    note(f"load: {CLIENTS} clients, {ROUNDS} interleaved rounds of {SECONDS} s per page kind, granian with "
         "2 workers, SQLite WAL")
    with server(env) as base:
        load(base, ["/about/"], cookie=cookie, clients=CLIENTS, seconds=3)  # warm-up
        results = _rounds(base, {"trivial": ["/about/"], "list": _list_paths(), "page": households}, cookie)
    trivial, listing, page = results["trivial"], results["list"], results["page"]
    _report("trivial_page", trivial)
    _report("household_list", listing)
    _report("household_page", page)
    report("household_list_p95_vs_trivial", listing.p95_ms / trivial.p95_ms, "ratio")
    report("household_page_p95_vs_trivial", page.p95_ms / trivial.p95_ms, "ratio")
