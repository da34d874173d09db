package org.tempmail.delivery;

/** One header field as read from the message: its name and its value unfolded (line breaks removed). */
public record HeaderField(String name, String value) {
    public boolean isNamed(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** The value of an address field (Return-Path, Delivered-To, X-Tempmail-To) without its angle brackets. */
    public String address() {
        String stripped = value.strip();
        if (stripped.startsWith("<") && stripped.endsWith(">")) {
            return stripped.substring(1, stripped.length() - 1).strip();
        }
        return stripped;
    }
}
