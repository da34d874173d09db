#!/bin/sh
# Several owners on one server (not part of mvn verify): for a single-owner server and for 1, 1,000 and
# 100,000 owners sharing one domain, starts bin/tempmail serve and prints rcpt lookups/s on 16 connections
# (slowest, p99.9); then the index build and update times and heap for 100,000 owners, and on that server the
# slowest lookup, p99.9 and lookups over 10 ms in 12 s without a change of owners and in 12 s while the server
# rebuilds the index, with each rebuild's time: once as fast as the 16 connections can ask, once paced at 500
# lookups/s each, every lookup timed from when it was due; last, paced, a second server whose clock libfaketime
# starts at 23:59 (a new day's index built from all owners) and one whose clock starts at noon (no new day).
# Usage: bench/owners.sh
set -e
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
# The shaded jar carries the SQLite driver; the test classes carry the benchmark.
exec java -cp target/tempmail.jar:target/test-classes org.tempmail.socketmap.OwnersBenchmark "$@"
