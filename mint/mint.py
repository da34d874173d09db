#!/usr/bin/env python3
"""The temporary address of a day, made from the shared secret: Python 3.9+, standard library only.

    TEMPMAIL_SECRET=... python3 mint.py [YYYY-MM-DD ...]     default: today in TIMEZONE

Settings: edit the defaults below, or set TEMPMAIL_DOMAIN, TEMPMAIL_LENGTH, TEMPMAIL_SCHEME, TEMPMAIL_TIMEZONE.
Without TEMPMAIL_SECRET the secret is asked for on the terminal. As a module: address(secret, day, ...).
"""
import datetime
import getpass
import hashlib
import hmac
import os
import sys
from zoneinfo import ZoneInfo

DOMAIN = os.environ.get("TEMPMAIL_DOMAIN", "temp.example.org")
LENGTH = int(os.environ.get("TEMPMAIL_LENGTH", "8") or "8")
SCHEME = os.environ.get("TEMPMAIL_SCHEME", "hmac-sha256")
TIMEZONE = os.environ.get("TEMPMAIL_TIMEZONE", "")  # empty: this machine's zone

LENGTHS = {"hmac-sha256": range(8, 65), "md5": range(1, 33)}


def address(secret, day, domain=DOMAIN, length=LENGTH, scheme=SCHEME):
    """The address of a datetime.date, e.g. address("my secret", today())."""
    if length not in LENGTHS.get(scheme, ()):
        raise ValueError(f"scheme {scheme!r} with length {length}: expected hmac-sha256 (8..64) or md5 (1..32)")
    date = f"{day.year:04d}{day.month:02d}{day.day:02d}".encode("ascii")
    key = secret.encode("utf-8")
    if scheme == "md5":
        digest = hashlib.md5(date + key).hexdigest()
    else:
        digest = hmac.new(key, date, hashlib.sha256).hexdigest()
    return digest[:length] + "@" + domain


def today(timezone=TIMEZONE, days_back=0):
    """Today's date in the owner's zone (the machine's when empty), or a day before it."""
    now = datetime.datetime.now(ZoneInfo(timezone) if timezone else None)
    return now.date() - datetime.timedelta(days=days_back)


def main(args):
    try:
        days = [datetime.date.fromisoformat(arg) for arg in args] or [today()]
        secret = os.environ.get("TEMPMAIL_SECRET") or getpass.getpass("secret: ")
        for day in days:
            print(address(secret, day))
    except (ValueError, KeyError) as problem:  # a bad date, length or scheme; an unknown zone
        print(f"mint.py: {problem}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
