"""Check that PostgreSQL and Redis answer before the suite uses them: fail fast and clearly."""

import os
import sys

import psycopg
import redis


def main() -> int:
    problems = []
    try:
        psycopg.connect(os.environ["TEST_DATABASE_URL"], connect_timeout=3).close()
    except psycopg.Error as exc:
        problems.append(f"PostgreSQL at {os.environ['TEST_DATABASE_URL']}: {exc}")
    try:
        redis.Redis.from_url(os.environ["TEST_REDIS_URL"], socket_timeout=3).ping()
    except redis.RedisError as exc:
        problems.append(f"Redis at {os.environ['TEST_REDIS_URL']}: {exc}")
    for problem in problems:
        print(f"ERROR: cannot reach {problem}", file=sys.stderr)
    if problems:
        print("make test needs PostgreSQL and Redis (see README); `make test-quick` does not.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
