#!/bin/sh
# Load generator for tempmail serve (not part of mvn verify): builds the jar and the test classes, starts
# bin/tempmail serve on a free loopback port and prints lookups/s, p50/p99/max latency and the server's RSS.
# Usage: bench/socketmap.sh [LOOKUPS_FOR_MEMORY_RUN]   (default 10000000)
set -e
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
exec java -cp target/classes:target/test-classes org.tempmail.socketmap.SocketmapBenchmark "$@"
