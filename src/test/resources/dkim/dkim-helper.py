# A long-lived DKIM and ARC signer and verifier around Debian's python3-dkim (dkimpy), driven by DkimTool.
# One request a line on stdin, one answer a line on stdout; messages travel base64-encoded.
#   sign CANON FIELDS MESSAGE     -> ok SIGNED-MESSAGE   (CANON: relaxed/simple; FIELDS: from:to:subject)
#   arc-sign FIELDS MESSAGE       -> ok SEALED-MESSAGE   (the message needs an Authentication-Results field)
#   verify MESSAGE                -> ok pass fail ...    (one word for each DKIM-Signature, topmost first)
#   arc-verify MESSAGE            -> ok pass|fail|none
# argv: the private key (PEM) and the public key (base64 DER), published for every selector of example.net.
import base64
import sys

import dkim

PRIVATE_KEY = sys.argv[1].encode()
RECORD = b"v=DKIM1; k=rsa; p=" + sys.argv[2].encode()
SELECTOR = b"s1"
DOMAIN = b"example.net"


def lookup(name, timeout=5):
    return RECORD if name.rstrip(b".").endswith(b"._domainkey." + DOMAIN) else None


def line_separator(message):
    end = message.find(b"\n")
    return b"\r\n" if end > 0 and message[end - 1:end] == b"\r" else b"\n"


def signature_count(message):
    count = 0
    for line in message.split(b"\n"):
        if line in (b"", b"\r"):
            break
        if line.lower().startswith(b"dkim-signature:"):
            count += 1
    return count


def answer(op, args):
    message = base64.b64decode(args[-1])
    if op == "sign":
        canon, fields = args[0], args[1]
        signature = dkim.sign(message, SELECTOR, DOMAIN, PRIVATE_KEY,
                              canonicalize=tuple(c.encode() for c in canon.split("/")),
                              include_headers=[f.encode() for f in fields.split(":")],
                              linesep=line_separator(message))
        return base64.b64encode(signature + message).decode()
    if op == "arc-sign":
        # dkimpy 1.1.4 seals an LF message wrongly (its ARC-Authentication-Results ends in CRLF): seal the CRLF
        # form, as it travels over SMTP, and give it back with the message's own line ends.
        lf = line_separator(message) == b"\n"
        wire = message.replace(b"\n", b"\r\n") if lf else message
        arc_set = dkim.arc_sign(wire, SELECTOR, DOMAIN, PRIVATE_KEY, b"mx.example.net",
                                include_headers=[f.encode() for f in args[0].split(":")])
        sealed = b"".join(arc_set) + wire
        return base64.b64encode(sealed.replace(b"\r\n", b"\n") if lf else sealed).decode()
    if op == "verify":
        results = []
        for index in range(signature_count(message)):
            try:
                results.append("pass" if dkim.DKIM(message).verify(idx=index, dnsfunc=lookup) else "fail")
            except dkim.DKIMException:
                results.append("fail")
        return " ".join(results) if results else "none"
    if op == "arc-verify":
        result = dkim.arc_verify(message, dnsfunc=lookup)[0]
        return result.decode()
    raise ValueError("unknown request " + op)


for request in sys.stdin:
    words = request.split()
    try:
        print("ok " + answer(words[0], words[1:]), flush=True)
    except Exception as e:  # every failure is an answer, so the caller never waits for ever
        print("error " + type(e).__name__ + ": " + str(e).replace("\n", " "), flush=True)
