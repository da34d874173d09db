#!/bin/sh
# The temporary address of a day, made from the shared secret: POSIX sh and openssl.
#
#   TEMPMAIL_SECRET=... sh mint.sh [YYYY-MM-DD ...]     default: today in TIMEZONE
#
# Settings: edit the defaults below, or set TEMPMAIL_DOMAIN, TEMPMAIL_LENGTH, TEMPMAIL_SCHEME, TEMPMAIL_TIMEZONE.
# Without TEMPMAIL_SECRET the secret is asked for on the terminal. With SCHEME=hmac-sha256 openssl gets the
# secret as an argument, which other users of the same machine could glimpse with ps: run it on your own.
set -eu
DOMAIN=${TEMPMAIL_DOMAIN:-temp.example.org}
LENGTH=${TEMPMAIL_LENGTH:-8}
SCHEME=${TEMPMAIL_SCHEME:-hmac-sha256}
TIMEZONE=${TEMPMAIL_TIMEZONE:-}    # empty: this machine's zone

fail() { echo "mint.sh: $*" >&2; exit 2; }

case $SCHEME in
    hmac-sha256) shortest=8 longest=64 ;;
    md5) shortest=1 longest=32 ;;
    *) fail "SCHEME must be hmac-sha256 or md5, not \"$SCHEME\"" ;;
esac
case $LENGTH in ''|*[!0-9]*) fail "LENGTH must be a number, not \"$LENGTH\"" ;; esac
[ "$LENGTH" -ge "$shortest" ] && [ "$LENGTH" -le "$longest" ] || fail "LENGTH must be $shortest..$longest for $SCHEME"
# An unknown TZ would quietly be UTC.
if [ -n "$TIMEZONE" ] && [ -d /usr/share/zoneinfo ] && [ ! -f "/usr/share/zoneinfo/$TIMEZONE" ]; then
    fail "unknown time zone \"$TIMEZONE\" (expected a name like Europe/Berlin)"
fi

secret=${TEMPMAIL_SECRET:-}
if [ -z "$secret" ]; then
    [ -t 0 ] || fail "set TEMPMAIL_SECRET, or run me on a terminal to be asked for the secret"
    printf 'secret: ' >&2
    stty -echo
    IFS= read -r secret || true
    stty echo
    echo >&2
fi

# $1: the date as YYYYMMDD
address() {
    if [ "$SCHEME" = md5 ]; then
        hex=$(printf '%s%s' "$1" "$secret" | openssl dgst -md5 -r)
    else
        hex=$(printf '%s' "$1" | openssl dgst -sha256 -r -hmac "$secret")
    fi
    printf '%s@%s\n' "$(printf '%s' "$hex" | cut -c 1-"$LENGTH")" "$DOMAIN"
}

if [ $# -eq 0 ]; then
    if [ -n "$TIMEZONE" ]; then
        set -- "$(TZ=$TIMEZONE date +%Y%m%d)"
    else
        set -- "$(date +%Y%m%d)"
    fi
fi
for day in "$@"; do
    date=$(printf '%s' "$day" | tr -d -)
    # Eight digits, the month and the day in range (that 2026-02-30 is no date, sh alone cannot well tell).
    case $date in [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) ;; *) date=bad ;; esac
    case $date in ????0[1-9]?? | ????1[0-2]??) ;; *) date=bad ;; esac
    case $date in ??????0[1-9] | ??????[12][0-9] | ??????3[01]) ;; *) date=bad ;; esac
    [ "$date" != bad ] || fail "\"$day\" is not a date like 2026-11-22"
    address "$date"
done
