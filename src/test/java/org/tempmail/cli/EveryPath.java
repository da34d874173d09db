package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.tempmail.config.Config;
import org.tempmail.config.ConfigLoader;
import org.tempmail.delivery.Deliverer;
import org.tempmail.delivery.DeliveryRequest;
import org.tempmail.delivery.SendmailSubmitter;
import org.tempmail.delivery.Spool;
import org.tempmail.resolver.AssembledResolver;
import org.tempmail.resolver.ResolverAssembly;
import org.tempmail.socketmap.SocketmapResponder;

/**
 * Every path that reads capability addresses, asked the way Postfix and an administrator ask: the running
 * server's socketmap maps and its handed-over deliveries (one resolver that lives as long as the server, with its
 * pooled connections), and new processes of deliver and check. Counts what each path answered.
 */
final class EveryPath implements AutoCloseable {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    static final String DOMAIN = "temp.example.org";
    static final String MESSAGE = "From: a@shop.example\nSubject: hi\n\nbody\n";
    private static final String[] MAPS = {"rcpt", "tempmail", "transport", "access"};

    /** What one path answered for one address, in the words of what a user would see. */
    record Answer(String path, String address, String outcome, String detail) {
    }

    private final Path config;
    private final AssembledResolver server;
    private final SocketmapResponder socketmap;
    private final Deliverer handedOver;
    private final List<Answer> answers = new ArrayList<>();

    private EveryPath(Path config, Config loaded) {
        this.config = config;
        this.server = ResolverAssembly.create(loaded);
        this.socketmap = new SocketmapResponder(server, loaded.socketmap());
        this.handedOver = DeliverCommand.deliverer(loaded, server, new SendmailSubmitter(
                loaded.delivery().sendmail(), loaded.delivery().sendmailTimeout(),
                new Spool(loaded.delivery().spoolDirectory())), CLOCK, Ledgers.ledger(server));
    }

    /** A tempmail.cf in {@code dir} with this DATABASE line (or none), a sendmail that keeps the message. */
    static Path writeConfig(Path dir, Optional<String> database) throws IOException {
        Path sendmail = dir.resolve("sendmail.sh");
        Files.writeString(sendmail, "#!/bin/sh\ncat > " + dir.resolve("sent") + "\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = dir.resolve("tempmail.cf");
        Files.writeString(config, "SHARED_SECRET=s3cret-s3cret-s3cret\nDOMAIN=" + DOMAIN + "\n"
                + "MAILDROP=owner@example.org\nTIMEZONE=UTC\nSENDMAIL=" + sendmail + "\n"
                + database.map(d -> "DATABASE=" + d + "\n").orElse(""));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        return config;
    }

    /** The server's view, opened now, as serve opens it when it starts. */
    static EveryPath open(Path config) throws Exception {
        return new EveryPath(config, ConfigLoader.load(config));
    }

    static ToolRun tool(Path config, String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return ToolRun.of(all.toArray(String[]::new), stdin.getBytes(UTF_8), Map.of(), CLOCK);
    }

    /** Asks every path about the address and records the answers. */
    void ask(String address) {
        for (String map : MAPS) {
            String reply = socketmap.answer(map, address, CLOCK.instant()).text();
            answers.add(new Answer("serve " + map + " map", address, reply.split(" ", 2)[0], reply));
        }
        var handed = handedOver.deliver(new DeliveryRequest("a@shop.example", address, Optional.of("Q1"),
                Optional.empty()), new ByteArrayInputStream(MESSAGE.getBytes(UTF_8)));
        answers.add(new Answer("serve deliver", address, "exit " + handed.exitStatus(), handed.statusLine()));
        ToolRun deliver = tool(config, MESSAGE, "deliver", "--sender", "a@shop.example", "--recipient", address,
                "--queue-id", "Q1");
        answers.add(new Answer("deliver process", address, "exit " + deliver.status(), deliver.out().strip()));
        ToolRun check = tool(config, "", "check", address);
        answers.add(new Answer("check", address, "exit " + check.status(), (check.out() + check.err()).strip()));
    }

    List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** How many answers of each outcome, e.g. {TEMP=8, exit 75=4, exit 2=2}. */
    Map<String, Integer> tally() {
        Map<String, Integer> counts = new TreeMap<>();
        answers.forEach(a -> counts.merge(a.outcome(), 1, Integer::sum));
        return counts;
    }

    @Override
    public void close() {
        server.close();
    }
}
