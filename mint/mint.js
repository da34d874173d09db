// The temporary address of a day, made from the shared secret: JavaScript for browsers and Node 18 or later,
// the same code in both, using WebCrypto (MD5, which WebCrypto lacks, is written out below).
//
//   TEMPMAIL_SECRET=... node mint.js [YYYY-MM-DD ...]     default: today in TIMEZONE
//
// In a web page, once a script element has loaded mint.js:
//   TempmailMint.address({secret, day: TempmailMint.dayInZone("Europe/Berlin"), domain, length: 8,
//                         scheme: "hmac-sha256"}).then(address => ...)
// WebCrypto needs a secure context: a page from https:// or a file, not from plain http://.
// Node takes its settings from TEMPMAIL_DOMAIN, TEMPMAIL_LENGTH, TEMPMAIL_SCHEME, TEMPMAIL_TIMEZONE (empty: the
// machine's zone).
"use strict";

var TempmailMint = (function () {
    const LENGTHS = { "hmac-sha256": [8, 64], md5: [1, 32] };

    function subtle() {
        if (globalThis.crypto && globalThis.crypto.subtle) {
            return globalThis.crypto.subtle;
        }
        if (typeof require === "function") {
            return require("node:crypto").webcrypto.subtle; // Node 18 has no global crypto
        }
        throw new Error("this browser offers WebCrypto only to pages from https:// or a file");
    }

    function hex(bytes) {
        return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
    }

    // MD5 after RFC 1321, for the short inputs of the md5 scheme.
    function md5(bytes) {
        const shifts = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
        const constants = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
        const padded = new Uint8Array((((bytes.length + 8) >> 6) << 6) + 64);
        padded.set(bytes);
        padded[bytes.length] = 0x80;
        const view = new DataView(padded.buffer);
        view.setUint32(padded.length - 8, (bytes.length * 8) >>> 0, true);
        view.setUint32(padded.length - 4, Math.floor(bytes.length / 2 ** 29), true);
        const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
        for (let block = 0; block < padded.length; block += 64) {
            let [a, b, c, d] = state;
            for (let i = 0; i < 64; i++) {
                const round = i >> 4;
                const mixed = round === 0 ? (b & c) | (~b & d)
                    : round === 1 ? (d & b) | (~d & c)
                    : round === 2 ? b ^ c ^ d
                    : c ^ (b | ~d);
                const word = [i, 5 * i + 1, 3 * i + 5, 7 * i][round] % 16;
                const sum = (a + mixed + constants[i] + view.getUint32(block + 4 * word, true)) | 0;
                const shift = shifts[round * 4 + (i % 4)];
                [a, d, c] = [d, c, b];
                b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
            }
            [a, b, c, d].forEach((value, i) => { state[i] = (state[i] + value) | 0; });
        }
        const digest = new DataView(new ArrayBuffer(16));
        state.forEach((value, i) => digest.setUint32(4 * i, value, true));
        return digest.buffer;
    }

    /** The address of a day ("YYYY-MM-DD"), as a promise. */
    async function address({ secret, day, domain, length, scheme }) {
        const range = LENGTHS[scheme];
        if (!range || !(length >= range[0] && length <= range[1])) {
            throw new Error(`scheme ${scheme} with length ${length}: expected hmac-sha256 (8..64) or md5 (1..32)`);
        }
        const parsed = /^(\d{4})-(\d{2})-(\d{2})$/.test(day) && new Date(day + "T00:00:00Z");
        if (!parsed || isNaN(parsed) || parsed.toISOString().slice(0, 10) !== day) {
            throw new Error(`"${day}" is not a date like 2026-11-22`);
        }
        const encoder = new TextEncoder();
        const date = encoder.encode(day.replace(/-/g, ""));
        const key = encoder.encode(secret);
        let digest;
        if (scheme === "md5") {
            const input = new Uint8Array(date.length + key.length);
            input.set(date);
            input.set(key, date.length);
            digest = md5(input);
        } else {
            const hmacKey = await subtle().importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
            digest = await subtle().sign("HMAC", hmacKey, date);
        }
        return hex(digest).slice(0, length) + "@" + domain;
    }

    /** The day ("YYYY-MM-DD") it is at `now` in a time zone (empty: this machine's), or a day before it. */
    function dayInZone(timeZone, now = new Date(), daysBack = 0) {
        const format = new Intl.DateTimeFormat("en-US",
            { timeZone: timeZone || undefined, year: "numeric", month: "numeric", day: "numeric" });
        const part = (type) => Number(format.formatToParts(now).find((p) => p.type === type).value);
        // Calendar arithmetic in UTC, where no day is shorter or longer than another.
        const day = new Date(Date.UTC(part("year"), part("month") - 1, part("day") - daysBack));
        return day.toISOString().slice(0, 10);
    }

    return { address, dayInZone };
})();

if (typeof module === "object" && typeof require === "function" && require.main === module) {
    const env = process.env;
    if (!env.TEMPMAIL_SECRET) {
        console.error("mint.js: set TEMPMAIL_SECRET");
        process.exit(2);
    }
    (async () => {
        const days = process.argv.length > 2 ? process.argv.slice(2) : [TempmailMint.dayInZone(env.TEMPMAIL_TIMEZONE)];
        for (const day of days) {
            console.log(await TempmailMint.address({
                secret: env.TEMPMAIL_SECRET, day, domain: env.TEMPMAIL_DOMAIN || "temp.example.org",
                length: Number(env.TEMPMAIL_LENGTH || 8), scheme: env.TEMPMAIL_SCHEME || "hmac-sha256",
            }));
        }
    })().catch((error) => {
        console.error("mint.js: " + error.message);
        process.exit(2);
    });
} else if (typeof module === "object") {
    module.exports = TempmailMint;
}
