package org.tempmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SQLite capability database that DATABASE names goes missing in each of the ways a file can, under a running
 * server and for new processes: every path that asks answers "try later" (TEMP, exit 75, check exit 2), never
 * "no such address" (NOTFOUND, 67); cap create creates nothing; and where the loss can be undone, the same
 * running server answers again without a restart.
 */
class MissingSqliteDatabaseTest {
    private static final String KEPT = "keep1@" + EveryPath.DOMAIN;
    private static final String UNKNOWN = "nobody1@" + EveryPath.DOMAIN;

    /** One way of losing the database; {@code undo} puts it back, or is empty where nothing can. */
    private record Loss(String name, Step inflict, Optional<Step> undo) {
    }

    private interface Step {
        void run(Path state) throws Exception;
    }

    @TempDir
    Path dir;

    private static final List<String> FILES = List.of("tempmail.db", "tempmail.db-wal", "tempmail.db-shm");

    private static void moveAll(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : FILES) {
            if (Files.exists(from.resolve(name))) {
                Files.move(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void moveDirectory(Path state, String away) throws IOException {
        Files.move(state, state.resolveSibling(away));
    }

    private static void moveDirectoryBack(Path state, String away) throws IOException {
        if (Files.exists(state)) {
            Files.delete(state);
        }
        Files.move(state.resolveSibling(away), state);
    }

    private static List<Loss> losses() {
        return List.of(
                new Loss("file deleted, with its -wal and -shm", state -> {
                    for (String name : FILES) {
                        Files.deleteIfExists(state.resolve(name));
                    }
                }, Optional.empty()),
                new Loss("file renamed", state -> Files.move(state.resolve("tempmail.db"),
                        state.resolve("tempmail.db.old")),
                        Optional.of(state -> Files.move(state.resolve("tempmail.db.old"), state.resolve("tempmail.db")))),
                new Loss("file and its -wal and -shm moved elsewhere", state -> moveAll(state,
                        state.resolveSibling("elsewhere")),
                        Optional.of(state -> moveAll(state.resolveSibling("elsewhere"), state))),
                new Loss("directory replaced by an empty one (volume unmounted)", state -> {
                    moveDirectory(state, "volume");
                    Files.createDirectory(state);
                }, Optional.of(state -> moveDirectoryBack(state, "volume"))),
                new Loss("directory gone", state -> moveDirectory(state, "gone"),
                        Optional.of(state -> moveDirectoryBack(state, "gone"))),
                new Loss("file replaced by an empty file", state -> {
                    moveAll(state, state.resolveSibling("saved"));
                    Files.createFile(state.resolve("tempmail.db"));
                }, Optional.of(state -> {
                    for (String name : FILES) {
                        Files.deleteIfExists(state.resolve(name));
                    }
                    moveAll(state.resolveSibling("saved"), state);
                })),
                new Loss("file replaced by another SQLite database", state -> {
                    moveAll(state, state.resolveSibling("saved"));
                    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + state.resolve("tempmail.db"));
                            Statement sql = other.createStatement()) {
                        sql.execute("CREATE TABLE unrelated (x INTEGER)");
                    }
                }, Optional.of(state -> {
                    for (String name : FILES) {
                        Files.deleteIfExists(state.resolve(name));
                    }
                    moveAll(state.resolveSibling("saved"), state);
                })));
    }

    @Test
    void everyPathDefersForEveryWayTheFileGoesMissingAndAnswersAgainOnceItIsBack() throws Exception {
        Map<String, Integer> total = new TreeMap<>();
        List<EveryPath.Answer> wrong = new ArrayList<>();
        int restored = 0;
        List<Loss> losses = losses();
        for (int i = 0; i < losses.size(); i++) {
            Loss loss = losses.get(i);
            Path caseDir = Files.createDirectory(dir.resolve("case" + i));
            Path state = Files.createDirectory(caseDir.resolve("state"));
            Path config = EveryPath.writeConfig(caseDir, Optional.of(state.resolve("tempmail.db").toString()));
            assertEquals(0, EveryPath.tool(config, "", "init").status());
            assertEquals(0, EveryPath.tool(config, "", "cap", "create", "--note", "kept", "--local-part", "keep1")
                    .status());
            try (EveryPath paths = EveryPath.open(config)) {
                paths.ask(KEPT);
                assertEquals("{OK=4, exit 0=3}", paths.tally().toString(), loss.name() + ": before the loss");
            }
            try (EveryPath paths = EveryPath.open(config)) {
                paths.ask(KEPT);
                loss.inflict().run(state);
                paths.ask(KEPT);
                paths.ask(UNKNOWN);
                ToolRun create = EveryPath.tool(config, "", "cap", "create", "--note", "new", "--local-part", "new1");
                assertEquals(2, create.status(), loss.name() + ": " + create);
                assertTrue(create.err().contains("tempmail init"), loss.name() + ": " + create.err());
                paths.ask(UNKNOWN);
                ToolRun check = EveryPath.tool(config, "", "check", UNKNOWN);
                assertTrue(check.err().contains("capability database missing: "), loss.name() + ": " + check.err());
                List<EveryPath.Answer> afterLoss = paths.answers().subList(7, paths.answers().size());
                for (EveryPath.Answer answer : afterLoss) {
                    boolean deferred = answer.outcome().equals("TEMP") || answer.outcome().equals("exit 75")
                            || (answer.path().equals("check") && answer.outcome().equals("exit 2"));
                    if (!deferred) {
                        wrong.add(answer);
                    }
                    if (answer.outcome().equals("exit 75")) {
                        assertFalse(answer.detail().contains(state.toString()), "deliver names no path: " + answer);
                    }
                    total.merge(answer.outcome(), 1, Integer::sum);
                }
                if (loss.undo().isPresent()) {
                    loss.undo().get().run(state);
                    int before = paths.answers().size();
                    paths.ask(KEPT);
                    paths.ask(UNKNOWN);
                    List<String> back = paths.answers().subList(before, paths.answers().size()).stream()
                            .map(EveryPath.Answer::outcome).toList();
                    assertEquals(List.of("OK", "OK", "OK", "OK", "exit 0", "exit 0", "exit 0",
                            "NOTFOUND", "NOTFOUND", "NOTFOUND", "NOTFOUND", "exit 67", "exit 67", "exit 1"), back,
                            loss.name() + ": the running server answers again once the file is back");
                    restored++;
                }
            }
        }
        System.out.println("MissingSqliteDatabaseTest: " + losses.size() + " losses, answers after the loss: "
                + total + ", restored and answering again: " + restored);
        assertEquals(List.of(), wrong, "answers that were not \"try later\"");
        assertEquals(losses.size() * 3 * 7, total.values().stream().mapToInt(Integer::intValue).sum());
    }

    /**
     * A directory the tempmail user may not enter. Permissions do not bite root, so as root the commands run as
     * nobody (setpriv, as tempmail.service runs them as tempmail), each a new process: check and deliver.
     */
    @Test
    void aDirectoryTheUserCannotEnterDefersToo() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = Files.createDirectory(dir.resolve("state"));
        Path config = EveryPath.writeConfig(dir, Optional.of(state.resolve("tempmail.db").toString()));
        Unprivileged user = Unprivileged.prepare(dir);
        user.own(state);
        assertEquals(0, user.run(config, "init").status());
        assertEquals(0, user.run(config, "cap", "create", "--note", "kept", "--local-part", "keep1").status());
        assertEquals(0, user.run(config, "check", KEPT).status());
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("---------"));
        try {
            for (String address : List.of(KEPT, UNKNOWN)) {
                ToolRun check = user.run(config, "check", address);
                assertEquals(2, check.status(), check.toString());
                assertTrue(check.err().contains("cannot look at the file (permission denied)"), check.err());
                ToolRun deliver = user.run(config, "deliver", "--sender", "a@shop.example", "--recipient", address);
                assertEquals(75, deliver.status(), deliver.toString());
                assertTrue(deliver.out().startsWith("4.3.0 cannot check <" + address + ">: capability addresses "
                        + "unavailable"), deliver.out());
            }
        } finally {
            Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwx---"));
        }
        assertEquals(0, user.run(config, "check", KEPT).status(), "back once the directory may be entered again");
    }

    /**
     * Never had one: with DATABASE set and no `tempmail init` yet, the database is expected and missing, so mail
     * waits (as for a lost one) and cap create points at init; once initialised, empty, an unknown address is
     * unknown on every path.
     */
    @Test
    void aDatabaseNotInitialisedYetDefersUntilInitThenUnknownAddressesAreUnknown() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Path config = EveryPath.writeConfig(dir, Optional.of(state.resolve("tempmail.db").toString()));
        try (EveryPath paths = EveryPath.open(config)) {
            paths.ask(UNKNOWN);
            assertEquals("{TEMP=4, exit 2=1, exit 75=2}", paths.tally().toString());
        }
        ToolRun create = EveryPath.tool(config, "", "cap", "create", "--note", "first");
        assertEquals(2, create.status());
        assertTrue(create.err().contains("`tempmail init` creates it"), create.err());
        assertFalse(Files.exists(state.resolve("tempmail.db")), "cap create made no empty database");

        ToolRun init = EveryPath.tool(config, "", "init");
        assertEquals("tempmail init: created the capability database " + state.resolve("tempmail.db") + " ("
                + config + ":6: DATABASE), schema version 3\n", init.out());
        try (EveryPath paths = EveryPath.open(config)) {
            paths.ask(UNKNOWN);
            assertEquals("{NOTFOUND=4, exit 1=1, exit 67=2}", paths.tally().toString());
        }
        assertTrue(EveryPath.tool(config, "", "init").out().contains("is initialised already"));
    }
}
