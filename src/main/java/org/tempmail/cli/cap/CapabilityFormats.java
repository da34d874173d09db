package org.tempmail.cli.cap;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tempmail.storage.Capability;

/** Capability addresses as a table for people, CSV for spreadsheets and JSON for scripts. */
final class CapabilityFormats {
    static final List<String> NAMES = List.of("table", "csv", "json");
    private static final DateTimeFormatter TABLE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final List<String> FIELDS = List.of("address", "state", "target", "note", "created", "expires",
            "first_sender", "first_seen", "last_seen", "messages");

    private CapabilityFormats() {
    }

    static void print(String format, List<Capability> rows, Instant now, ZoneId zone, PrintStream out) {
        switch (format) {
            case "csv" -> csv(rows, now, out);
            case "json" -> json(rows, now, out);
            default -> table(rows, now, zone, out);
        }
    }

    static String state(Capability row, Instant now) {
        return !row.enabled() ? "disabled" : row.isExpiredAt(now) ? "expired" : "enabled";
    }

    static String time(Optional<Instant> instant, ZoneId zone) {
        return instant.map(i -> TABLE_TIME.format(ZonedDateTime.ofInstant(i, zone))).orElse("-");
    }

    private static void table(List<Capability> rows, Instant now, ZoneId zone, PrintStream out) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"ADDRESS", "STATE", "CREATED", "MESSAGES", "LAST SEEN", "NOTE"});
        for (Capability row : rows) {
            lines.add(new String[] {row.address(), state(row, now), time(Optional.of(row.created()), zone),
                String.valueOf(row.messageCount()), time(row.lastSeen(), zone), oneLine(row.note())});
        }
        int[] widths = new int[5];
        for (String[] line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                text.append(i == 3 ? pad(line[i], widths[i], true) : pad(line[i], widths[i], false)).append("  ");
            }
            out.println(text.append(line[5]).toString().stripTrailing());
        }
    }

    private static void csv(List<Capability> rows, Instant now, PrintStream out) {
        out.print(String.join(",", FIELDS) + "\r\n");
        for (Capability row : rows) {
            List<String> cells = new ArrayList<>();
            for (Object value : values(row, now)) {
                cells.add(csvCell(value == null ? "" : value.toString()));
            }
            out.print(String.join(",", cells) + "\r\n");
        }
    }

    private static void json(List<Capability> rows, Instant now, PrintStream out) {
        StringBuilder text = new StringBuilder("[");
        for (int r = 0; r < rows.size(); r++) {
            text.append(r == 0 ? "\n  {" : ",\n  {");
            List<Object> values = values(rows.get(r), now);
            for (int i = 0; i < FIELDS.size(); i++) {
                Object value = values.get(i);
                text.append(i == 0 ? "" : ", ").append(jsonString(FIELDS.get(i))).append(": ")
                        .append(value == null ? "null" : value instanceof Long ? value.toString()
                                : jsonString(value.toString()));
            }
            text.append('}');
        }
        out.println(text.append(rows.isEmpty() ? "]" : "\n]"));
    }

    /** The fields in FIELDS order; null where there is no value, times as ISO-8601 UTC. */
    private static List<Object> values(Capability row, Instant now) {
        List<Object> values = new ArrayList<>();
        values.add(row.address());
        values.add(state(row, now));
        values.add(row.target().orElse(null));
        values.add(row.note());
        values.add(row.created().toString());
        values.add(row.expires().map(Instant::toString).orElse(null));
        values.add(row.firstSender().orElse(null));
        values.add(row.firstSeen().map(Instant::toString).orElse(null));
        values.add(row.lastSeen().map(Instant::toString).orElse(null));
        values.add(row.messageCount());
        return values;
    }

    private static String pad(String text, int width, boolean right) {
        String spaces = " ".repeat(width - text.length());
        return right ? spaces + text : text + spaces;
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ");
    }

    private static String csvCell(String text) {
        if (text.isEmpty() || text.chars().noneMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n')) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    static String jsonString(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
