package org.tempmail.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What a deliver process tells the server before the message: the configuration it was started with, the
 * MAIL_CONFIG that pipe(8) gave it (sendmail must use the same Postfix instance) and its deliver arguments.
 */
public record HandoffRequest(String configPath, String mailConfig, List<String> arguments) {
    static final String GREETING = "tempmail-deliver 2";
    static final int MAX_FIELD = 16 * 1024;
    static final int MAX_ARGUMENTS = 64;

    public HandoffRequest {
        arguments = List.copyOf(arguments);
    }

    void writeTo(OutputStream out) throws IOException {
        Netstrings.write(out, GREETING);
        Netstrings.write(out, configPath);
        Netstrings.write(out, mailConfig);
        Netstrings.write(out, Integer.toString(arguments.size()));
        for (String argument : arguments) {
            Netstrings.write(out, argument);
        }
    }

    static HandoffRequest readFrom(InputStream in) throws IOException {
        String greeting = Netstrings.read(in, MAX_FIELD);
        if (!greeting.equals(GREETING)) {
            throw new HandoffException("not a tempmail deliver client (greeting \"" + shorten(greeting) + "\")");
        }
        String configPath = Netstrings.read(in, MAX_FIELD);
        String mailConfig = Netstrings.read(in, MAX_FIELD);
        String count = Netstrings.read(in, MAX_FIELD);
        int size;
        try {
            size = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw new HandoffException("argument count \"" + shorten(count) + "\" is not a number");
        }
        if (size < 0 || size > MAX_ARGUMENTS) {
            throw new HandoffException("argument count " + size + " is out of range 0.." + MAX_ARGUMENTS);
        }
        List<String> arguments = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            arguments.add(Netstrings.read(in, MAX_FIELD));
        }
        return new HandoffRequest(configPath, mailConfig, arguments);
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
