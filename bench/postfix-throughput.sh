#!/bin/sh
# Throughput of real mail through Postfix: LMTP and the pipe (Setup 1) against virtual_alias_maps (Setup 2).
# Runs as root with Debian's postfix package, in a private Postfix instance under /tmp/tempmail-e2e/bench, like the
# end-to-end suite; touches /etc/postfix/main.cf only to list that instance in alternate_config_directories,
# and takes it out again.
#
#   bench/postfix-throughput.sh [MESSAGES [SESSIONS [BYTES [PIPE_MESSAGES]]]]
#   defaults: 2000 10 4096, and MESSAGES for the pipe too. One instance, three setups in turn: LMTP to
#   tempmail serve, the pipe (tempmail deliver), virtual_alias_maps.
# As the install guide has it, the AppCDS archive next to the installed jar is made once, as root, before the run.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "postfix-throughput: run as root (postfix -c DIR start needs it)" >&2; exit 2; }
[ -x /usr/sbin/smtp-source ] || { echo "postfix-throughput: install Debian's postfix package" >&2; exit 2; }
mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    org.tempmail.e2e.PostfixThroughputBenchmark "$@"
