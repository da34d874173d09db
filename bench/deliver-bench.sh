#!/bin/sh
# Benchmark of `tempmail deliver` (issue 4, README "Performance / Delivery"); not part of mvn verify.
#
#   mvn -B -q package -DskipTests && bench/deliver-bench.sh [RUNS_10K] [RUNS_50M]
#
# For a 10 kB and a 50 MB message it runs, RUNS times each, bin/tempmail deliver (SENDMAIL is a script that
# only reads its input: cat >/dev/null) and, as the floor of any Java pipe program, a Java class that only
# copies stdin to stdout. It prints the median wall time and the largest peak RSS (/usr/bin/time %M) of each.
# TEMPMAIL_JAVA_OPTS, when set, replaces the launcher's JVM flags (to compare flags).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs_small=${1:-21}
runs_large=${2:-5}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -f "$root/target/tempmail.jar" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -d "$work" "$here/CopyStdin.java"
printf '#!/bin/sh\ncat >/dev/null\n' > "$work/sendmail"
chmod +x "$work/sendmail"
cat > "$work/tempmail.cf" <<CF
SHARED_SECRET="benchmark secret, not for use"
DOMAIN=temp.example.org
MAILDROP=owner@example.org
SUBJECT_TAG=[temp]
SENDMAIL=$work/sendmail
CF
chmod 600 "$work/tempmail.cf"
recipient=$("$root/bin/tempmail" --config "$work/tempmail.cf" addresses | head -n 1)

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

measure() { # LABEL RUNS MESSAGE COMMAND...
    label=$1 runs=$2 message=$3
    shift 3
    : > "$work/times"
    : > "$work/rss"
    i=0
    while [ "$i" -lt "$runs" ]; do
        start=$(date +%s%N)
        /usr/bin/time -f '%M' -o "$work/one" "$@" < "$message" > /dev/null
        end=$(date +%s%N)
        echo $(( (end - start) / 1000 )) >> "$work/times"
        cat "$work/one" >> "$work/rss"
        i=$((i + 1))
    done
    median=$(sort -n "$work/times" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
    rss=$(sort -n "$work/rss" | tail -n 1)
    printf '%-28s %-7s runs=%-3s median=%6.1f ms  peak RSS=%6.1f MB\n' "$label" \
        "$(basename "$message" .eml)" "$runs" "$(echo "$median / 1000" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

# One run first: the launcher builds its class data sharing archive on first use.
"$root/bin/tempmail" --config "$work/tempmail.cf" deliver --sender sender@example.net --recipient "$recipient" \
    --queue-id 4BenchQ1 < "$work/10k.eml"

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -n 1)"
for message in "$work/10k.eml" "$work/50m.eml"; do
    runs=$runs_small
    [ "$message" = "$work/10k.eml" ] || runs=$runs_large
    measure "floor: java CopyStdin" "$runs" "$message" java -cp "$work" CopyStdin
    measure "tempmail deliver" "$runs" "$message" "$root/bin/tempmail" --config "$work/tempmail.cf" deliver \
        --sender sender@example.net --recipient "$recipient" --queue-id 4BenchQ1
done
