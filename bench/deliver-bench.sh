#!/bin/sh
# Benchmark of `tempmail deliver` (issue 4, README "Performance / Delivery"); not part of mvn verify.
#
#   mvn -B -q package -DskipTests && bench/deliver-bench.sh [RUNS_10K] [RUNS_50M]
#
# For a 10 kB and a 50 MB message it runs, RUNS times each and interleaved:
#   - as the floor of any Java pipe program, a Java class that only copies stdin to stdout;
#   - bin/tempmail deliver handing the message to a running `tempmail serve` (DELIVERY_SOCKET set);
#   - bin/tempmail deliver doing the work in its own process (a configuration without DELIVERY_SOCKET).
# SENDMAIL is a script that only reads its input (cat >/dev/null). It prints the median wall time and the
# largest peak RSS (/usr/bin/time %M) of each, and the server's RSS at the end. As the install guide does, the
# class-data archive is made first by a `replay --dry-run`, and the server is warmed up by 200 deliveries.
# TEMPMAIL_JAVA_OPTS, when set, replaces the launcher's JVM flags (to compare flags).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs_small=${1:-21}
runs_large=${2:-5}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -f "$root/target/tempmail.jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }

work=$(mktemp -d)
server=
cleanup() {
    [ -z "$server" ] || kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
javac -d "$work" "$here/CopyStdin.java"
printf '#!/bin/sh\ncat >/dev/null\n' > "$work/sendmail"
chmod +x "$work/sendmail"
cat > "$work/alone.cf" <<CF
SHARED_SECRET="benchmark secret, not for use"
DOMAIN=temp.example.org
MAILDROP=owner@example.org
SUBJECT_TAG=[temp]
SENDMAIL=$work/sendmail
SOCKETMAP_SOCKET_TYPE=unix
SOCKETMAP_UNIX_SOCKET_PATH=$work/socketmap
DATABASE=$work/tempmail.db
CF
{ cat "$work/alone.cf"; echo "DELIVERY_SOCKET=$work/deliver.socket"; } > "$work/handoff.cf"
chmod 600 "$work/alone.cf" "$work/handoff.cf"
recipient=$("$root/bin/tempmail" --config "$work/alone.cf" addresses | head -n 1)

make_message() { # SIZE FILE: a header Postfix would write, then 76-character body lines
    {
        printf 'Received: from client.example.net (client.example.net [192.0.2.1])\n'
        printf '\tby mx.example.org (Postfix) with ESMTP id 4BenchQ1\n\tfor <%s>; %s\n' "$recipient" \
            "$(date -R)"
        printf 'From: sender@example.net\nTo: %s\nSubject: benchmark\n\n' "$recipient"
        head -c "$1" /dev/urandom | base64 -w 76
    } > "$2"
}
make_message 7600 "$work/10k.eml"
make_message 38000000 "$work/50m.eml"

deliver() { # CONFIG: the command line pipe(8) would run
    echo "$root/bin/tempmail" --config "$1" deliver --sender sender@example.net --recipient "$recipient" \
        --queue-id 4BenchQ1
}

one() { # LABEL MESSAGE COMMAND...: appends one wall time (µs) and peak RSS (kB) to the label's files
    label=$1 message=$2
    shift 2
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/one" "$@" < "$message" > /dev/null
    end=$(date +%s%N)
    echo $(( (end - start) / 1000 )) >> "$work/$label.times"
    cat "$work/one" >> "$work/$label.rss"
}

report() { # LABEL DESCRIPTION MESSAGE
    median=$(sort -n "$work/$1.times" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
    rss=$(sort -n "$work/$1.rss" | tail -n 1)
    printf '%-36s %-7s runs=%-3s median=%6.1f ms  peak RSS=%6.1f MB\n' "$2" "$(basename "$3" .eml)" \
        "$(wc -l < "$work/$1.times")" "$(echo "$median / 1000" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

# The class-data archive, made the way the install guide makes it.
printf 'Subject: warm-up\n\nx\n' | "$root/bin/tempmail" --config "$work/alone.cf" replay --dry-run \
    --sender "" --recipient "$recipient" - > /dev/null 2>&1

"$root/bin/tempmail" --config "$work/handoff.cf" serve 2> "$work/serve.log" &
server=$!
i=0
while [ ! -S "$work/deliver.socket" ]; do
    i=$((i + 1))
    [ "$i" -lt 300 ] || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.1
done
i=0
while [ "$i" -lt 200 ]; do
    $(deliver "$work/handoff.cf") < "$work/10k.eml" > /dev/null
    i=$((i + 1))
done

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -n 1)"
for message in "$work/10k.eml" "$work/50m.eml"; do
    runs=$runs_small
    [ "$message" = "$work/10k.eml" ] || runs=$runs_large
    rm -f "$work"/*.times "$work"/*.rss
    i=0
    while [ "$i" -lt "$runs" ]; do
        one floor "$message" java -cp "$work" CopyStdin
        one handoff "$message" $(deliver "$work/handoff.cf")
        one alone "$message" $(deliver "$work/alone.cf")
        i=$((i + 1))
    done
    report floor "floor: java CopyStdin" "$message"
    report handoff "tempmail deliver, handed to serve" "$message"
    report alone "tempmail deliver, in its own process" "$message"
done
grep -c 'exit 0$' "$work/serve.log" | xargs printf 'server: %s deliveries, '
ps -o rss= -p "$server" | awk '{printf "RSS %.1f MB\n", $1 / 1024}'
