#!/bin/sh
# Socketmap lookups/s for capability addresses with 100,000 rows in SQLite and in a private PostgreSQL server,
# beside the dated-address figure (not part of mvn verify). PostgreSQL runs as the postgres user when run as root.
# Usage: bench/capability.sh
set -e
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
# The shaded jar carries the JDBC drivers; the test classes carry the benchmark and the PostgreSQL starter.
exec java -cp target/tempmail.jar:target/test-classes org.tempmail.storage.CapabilityBenchmark "$@"
