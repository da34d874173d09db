package org.tempmail.delivery;

/** One header field as read from the message: its name and its value unfolded (line breaks removed). */
public record HeaderField(String name, String value) {
    public boolean isNamed(String other) {
        return name.equalsIgnoreCase(other);
    }
}
