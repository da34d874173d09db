package org.tempmail.config;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The KEY=value lines of a tempmail.cf, read the way the shell reads simple assignments (quotes, comments)
 * but never executed. Parsed by hand, without regular expressions or java.nio.file reading: every delivery is a new
 * process, and their start-up cost is paid once per message.
 */
public final class ConfigFile {
    private static final String EXPORT = "export";

    /** One assignment: its value with quotes removed and the line it is on. */
    public record Entry(String key, String value, int line) {
    }

    private final Path path;
    private final Map<String, Entry> entries;
    private final List<String> warnings;

    private ConfigFile(Path path, Map<String, Entry> entries, List<String> warnings) {
        this.path = path;
        this.entries = entries;
        this.warnings = warnings;
    }

    public static ConfigFile read(Path path) throws ConfigException {
        List<String> lines;
        try {
            lines = readLines(path);
        } catch (IOException e) {
            String reason = unreadable(path, e);
            throw new ConfigException(path + ": cannot read the configuration: " + reason
                    + (reason.equals("no such file") ? " (give another file with --config FILE or TEMPMAIL_CONFIG)"
                    : ""), "cannot read its configuration");
        }
        return parse(path, lines);
    }

    static ConfigFile parse(Path path, List<String> lines) throws ConfigException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] assignment = splitAssignment(text);
            if (assignment == null) {
                // Nothing of the line is shown, unless it starts with a key: it may be the secret itself (a
                // secret file given as --config, or the secret pasted on a line of its own).
                String known = knownLeadingKey(text);
                throw ConfigException.at(lineNumber, known, path + ":" + lineNumber + ": "
                        + (known == null ? "" : known + ": ") + "expected KEY=value (no spaces around '='); "
                        + "the line is not shown, as it may hold a secret");
            }
            String key = assignment[0];
            ValueParser parsed = new ValueParser(path, lineNumber, key, assignment[1]);
            String value = parsed.parse();
            if (parsed.sawDollar()) {
                warnings.add(path + ":" + lineNumber + ": " + key + ": '$' is taken literally here; "
                        + "postfix-tempmail's shell would have expanded it (use single quotes there)");
            }
            Entry previous = entries.put(key, new Entry(key, value, lineNumber));
            if (previous != null) {
                warnings.add(path + ":" + lineNumber + ": " + key + ": set again; line " + previous.line()
                        + " is overridden");
            }
        }
        return new ConfigFile(path, entries, warnings);
    }

    private static List<String> readLines(Path path) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new FileInputStream(path.toFile()),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The name and raw value of {@code [export ]NAME=value}, NAME a shell variable name; null for other lines. */
    private static String[] splitAssignment(String text) {
        int nameStart = 0;
        if (text.startsWith(EXPORT) && text.length() > EXPORT.length()
                && Character.isWhitespace(text.charAt(EXPORT.length()))) {
            nameStart = EXPORT.length();
            while (nameStart < text.length() && Character.isWhitespace(text.charAt(nameStart))) {
                nameStart++;
            }
        }
        int end = nameStart;
        while (end < text.length() && isNameCharacter(text.charAt(end), end == nameStart)) {
            end++;
        }
        if (end == nameStart || end == text.length() || text.charAt(end) != '=') {
            return null;
        }
        return new String[] {text.substring(nameStart, end), text.substring(end + 1)};
    }

    private static boolean isNameCharacter(char c, boolean first) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
    }

    public Path path() {
        return path;
    }

    public Optional<Entry> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    public Iterable<Entry> entries() {
        return entries.values();
    }

    /** Warnings found while reading the syntax. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        String message = String.valueOf(e.getMessage());
        if (message.endsWith("(No such file or directory)") || e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (message.endsWith("(Permission denied)") || e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (message.endsWith("(Is a directory)")) {
            return "it is a directory";
        }
        return message;
    }

    /** The key the line starts with, when it is one of tempmail.cf's keys; null otherwise. */
    private static String knownLeadingKey(String text) {
        int end = 0;
        while (end < text.length() && isNameCharacter(text.charAt(end), false)) {
            end++;
        }
        return Key.named(text.substring(0, end)).map(Key::name).orElse(null);
    }

    /**
     * Why this user may not read a file, with the fix for permission denied: the group and mode the install
     * guide gives tempmail.cf and the secret file (root's, readable by the group of the user running tempmail).
     */
    static String unreadable(Path path, IOException e) {
        String reason = describe(e);
        if (!reason.equals("permission denied")) {
            return reason;
        }
        String user = System.getProperty("user.name");
        String group = primaryGroup().orElse(user);
        return reason + "; " + user + ", the user running tempmail, must be able to read it: chgrp " + group + " "
                + path + "; chmod 0640 " + path;
    }

    /** The name of this process's group (Linux), for the fix of a file it may not read. */
    private static Optional<String> primaryGroup() {
        try {
            String gid = null;
            for (String line : readLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Gid:")) {
                    gid = line.substring(4).strip().split("\\s+")[0];
                }
            }
            for (String line : readLines(Path.of("/etc/group"))) {
                String[] fields = line.split(":", -1);
                if (fields.length > 2 && fields[2].equals(gid)) {
                    return Optional.of(fields[0]);
                }
            }
        } catch (IOException e) {
            // Not Linux, or no group file: the user's name stands in, as the install guide's user-group has it.
        }
        return Optional.empty();
    }

    /** Reads one value: unquoted up to blank or comment, 'single quoted' literally, "double quoted" with \ escapes. */
    private static final class ValueParser {
        private final Path path;
        private final int line;
        private final String key;
        private final String raw;
        private int pos;
        private boolean sawDollar;

        ValueParser(Path path, int line, String key, String raw) {
            this.path = path;
            this.line = line;
            this.key = key;
            this.raw = raw;
        }

        boolean sawDollar() {
            return sawDollar;
        }

        String parse() throws ConfigException {
            StringBuilder value = new StringBuilder();
            while (pos < raw.length() && !Character.isWhitespace(raw.charAt(pos))) {
                char c = raw.charAt(pos++);
                if (c == '\'') {
                    readSingleQuoted(value);
                } else if (c == '"') {
                    readDoubleQuoted(value);
                } else if (c == '\\' && pos < raw.length()) {
                    value.append(raw.charAt(pos++));
                } else {
                    sawDollar |= c == '$';
                    value.append(c);
                }
            }
            String rest = raw.substring(pos).strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw error("unexpected text after the value; put values that contain spaces in quotes");
            }
            return value.toString();
        }

        private void readSingleQuoted(StringBuilder value) throws ConfigException {
            int end = raw.indexOf('\'', pos);
            if (end < 0) {
                throw error("missing closing single quote");
            }
            value.append(raw, pos, end);
            pos = end + 1;
        }

        private void readDoubleQuoted(StringBuilder value) throws ConfigException {
            while (pos < raw.length()) {
                char c = raw.charAt(pos++);
                if (c == '"') {
                    return;
                }
                if (c == '\\' && pos < raw.length() && "\"\\$`".indexOf(raw.charAt(pos)) >= 0) {
                    value.append(raw.charAt(pos++));
                } else {
                    sawDollar |= c == '$';
                    value.append(c);
                }
            }
            throw error("missing closing double quote");
        }

        private ConfigException error(String what) {
            return ConfigException.at(line, key, path + ":" + line + ": " + key + ": " + what);
        }
    }
}
