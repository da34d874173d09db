package org.tempmail.lmtp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One server reply: a three-digit code, an enhanced status code (RFC 3463; empty for the greeting and LHLO,
 * which carry none) and its text lines. Control characters in the text become spaces, so no text can end a
 * reply early or forge another.
 */
public record Reply(int code, String enhancedCode, List<String> lines) {
    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code " + code);
        }
        lines = lines.stream().map(line -> line.replaceAll("\\p{Cntrl}", " ")).toList();
        if (lines.isEmpty()) {
            lines = List.of("");
        }
    }

    public static Reply of(int code, String enhancedCode, String text) {
        return new Reply(code, enhancedCode, List.of(text));
    }

    /** The first digit: 2 success, 3 go on, 4 try again later, 5 never. */
    public int kind() {
        return code / 100;
    }

    /** The wire form: "250-first", ..., "250 last", each ended by CRLF. */
    public byte[] bytes() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (!enhancedCode.isEmpty()) {
                text.append(enhancedCode).append(' ');
            }
            text.append(lines.get(i)).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
