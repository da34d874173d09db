package org.tempmail.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KEY=value lines of a tempmail.cf, read the way the shell reads simple assignments (quotes, comments)
 * but never executed.
 */
public final class ConfigFile {
    private static final Pattern ASSIGNMENT = Pattern.compile("(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)");

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
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ConfigException(path + ": cannot read the configuration: " + describe(e)
                    + " (give another file with --config FILE or TEMPMAIL_CONFIG)");
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
            Matcher m = ASSIGNMENT.matcher(text);
            if (!m.matches()) {
                throw new ConfigException(path + ":" + lineNumber + ": expected KEY=value, found \""
                        + abbreviate(text) + "\"");
            }
            String key = m.group(1);
            ValueParser parsed = new ValueParser(path, lineNumber, key, m.group(2));
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

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.MalformedInputException
                || e.getCause() instanceof java.nio.charset.MalformedInputException) {
            return "not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
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
            return new ConfigException(path + ":" + line + ": " + key + ": " + what);
        }
    }
}
