package org.tempmail.page;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the DevTools protocol: objects become maps, arrays lists, numbers doubles. Written here
 * rather than taken from a library because the tests need nothing more.
 */
final class Json {
    private final String text;
    private int position;

    private Json(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        Json json = new Json(text);
        Object value = json.value();
        json.skipSpace();
        if (json.position != text.length()) {
            throw json.error("trailing text");
        }
        return value;
    }

    /** A JSON text for maps, lists, strings, numbers, booleans and null. */
    static String write(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String string) {
            StringBuilder quoted = new StringBuilder("\"");
            for (char c : string.toCharArray()) {
                if (c == '"' || c == '\\' || c < 0x20) {
                    quoted.append(String.format("\\u%04x", (int) c));
                } else {
                    quoted.append(c);
                }
            }
            return quoted.append('"').toString();
        }
        if (value instanceof Map<?, ?> map) {
            List<String> members = new ArrayList<>();
            map.forEach((key, member) -> members.add(write(key.toString()) + ":" + write(member)));
            return "{" + String.join(",", members) + "}";
        }
        if (value instanceof List<?> list) {
            return "[" + String.join(",", list.stream().map(Json::write).toList()) + "]";
        }
        return value.toString();
    }

    private Object value() {
        skipSpace();
        if (position >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        position++;
        skipSpace();
        if (text.charAt(position) == '}') {
            position++;
            return members;
        }
        while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            members.put(key, value());
            skipSpace();
            if (text.charAt(position) == '}') {
                position++;
                return members;
            }
            expect(',');
        }
    }

    private List<Object> array() {
        List<Object> elements = new ArrayList<>();
        position++;
        skipSpace();
        if (text.charAt(position) == ']') {
            position++;
            return elements;
        }
        while (true) {
            elements.add(value());
            skipSpace();
            if (text.charAt(position) == ']') {
                position++;
                return elements;
            }
            expect(',');
        }
    }

    private String string() {
        expect('"');
        StringBuilder content = new StringBuilder();
        while (true) {
            char c = text.charAt(position++);
            if (c == '"') {
                return content.toString();
            }
            if (c != '\\') {
                content.append(c);
                continue;
            }
            char escaped = text.charAt(position++);
            switch (escaped) {
                case 'b' -> content.append('\b');
                case 'f' -> content.append('\f');
                case 'n' -> content.append('\n');
                case 'r' -> content.append('\r');
                case 't' -> content.append('\t');
                case 'u' -> {
                    content.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                    position += 4;
                }
                default -> content.append(escaped);
            }
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw error("expected " + word);
        }
        position += word.length();
        return value;
    }

    private Double number() {
        int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        if (start == position) {
            throw error("unexpected character");
        }
        return Double.valueOf(text.substring(start, position));
    }

    private void expect(char c) {
        if (position >= text.length() || text.charAt(position) != c) {
            throw error("expected " + c);
        }
        position++;
    }

    private void skipSpace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at " + position + " of "
                + text.substring(0, Math.min(text.length(), 200)));
    }
}
