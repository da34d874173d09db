package org.tempmail.cli.command;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.tempmail.config.Config;

/** Options and formats several commands share. */
public final class CommonOptions {
    private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

    private CommonOptions() {
    }

    public static Option at() {
        return Option.builder().longOpt("at").hasArg().argName("TIME")
                .desc("ISO-8601 time to answer for: 2026-11-22, 2026-11-22T23:59 (in TIMEZONE) "
                        + "or 2026-11-22T23:59+01:00; default: now")
                .get();
    }

    public static Instant at(CommandLine line, Config config, Clock clock) throws UsageException {
        String text = line.getOptionValue("at");
        return text == null ? clock.instant() : TimeArgument.parse(text, config.addresses().zone());
    }

    public static void noArguments(CommandLine line) throws UsageException {
        if (!line.getArgList().isEmpty()) {
            throw new UsageException("unexpected argument \"" + line.getArgList().get(0) + "\"");
        }
    }

    /** An instant as an administrator reads it, in the configured zone. */
    public static String show(Instant instant, Config config) {
        return SHOWN_TIME.format(ZonedDateTime.ofInstant(instant, config.addresses().zone()));
    }
}
