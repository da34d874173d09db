package org.tempmail.cli.owner;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.storage.Owner;
import org.tempmail.storage.OwnerStore;

/** tempmail owner list: every owner, by name; never a secret. */
final class OwnerListCommand extends OwnerSubcommand {
    private static final List<String> FORMATS = List.of("table", "csv", "json");

    @Override
    public String name() {
        return "owner list";
    }

    @Override
    public String summary() {
        return "list the owners (name, maildrop, domain, valid days, state, created)";
    }

    @Override
    public String arguments() {
        return "";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT")
                .desc("table (default), csv or json").get());
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, OwnerStore owners) throws Exception {
        CommonOptions.noArguments(line);
        String format = line.getOptionValue("format", "table");
        if (!FORMATS.contains(format)) {
            throw new UsageException("--format: \"" + format + "\" is not one of " + FORMATS);
        }
        List<Owner> all = owners.list();
        PrintStream out = invocation.out();
        String domain = config.addresses().domain().toLowerCase(Locale.ROOT);
        int days = config.addresses().validDays();
        switch (format) {
            case "csv" -> {
                out.println("name,maildrop,domain,valid_days,enabled,created");
                for (Owner o : all) {
                    out.println(String.join(",", o.name(), csv(o.maildrop()), o.domainOr(domain),
                            String.valueOf(o.validDaysOr(days)), String.valueOf(o.enabled()), o.created().toString()));
                }
            }
            case "json" -> {
                out.print("[");
                for (int i = 0; i < all.size(); i++) {
                    Owner o = all.get(i);
                    out.print((i == 0 ? "" : ",") + "\n  {\"name\": " + json(o.name()) + ", \"maildrop\": "
                            + json(o.maildrop()) + ", \"domain\": " + json(o.domainOr(domain)) + ", \"valid_days\": "
                            + o.validDaysOr(days) + ", \"enabled\": " + o.enabled() + ", \"created\": "
                            + json(o.created().toString()) + "}");
                }
                out.println(all.isEmpty() ? "]" : "\n]");
            }
            default -> {
                out.printf("%-20s %-32s %-24s %4s %-8s %s%n", "NAME", "MAILDROP", "DOMAIN", "DAYS", "STATE",
                        "CREATED");
                for (Owner o : all) {
                    out.printf("%-20s %-32s %-24s %4d %-8s %s%n", o.name(), o.maildrop(), o.domainOr(domain),
                            o.validDaysOr(days), o.enabled() ? "enabled" : "disabled",
                            CommonOptions.show(o.created(), config));
                }
            }
        }
        return ExitStatus.OK;
    }

    private static String csv(String field) {
        return field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    static String json(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
