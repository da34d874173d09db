package org.tempmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.testsupport.PostgresServer;
import org.tempmail.testsupport.PostgresServerExtension;

/**
 * A PostgreSQL capability database that loses its tables, is dropped, is replaced by an empty one, or whose
 * server stops, under a running server and for new processes: every path that asks answers "try later" (TEMP,
 * exit 75, check exit 2), never "no such address" (NOTFOUND, 67), and no path recreates the tables.
 */
class MissingPostgresDatabaseTest {
    @RegisterExtension
    static final PostgresServerExtension POSTGRES = new PostgresServerExtension();

    private static final String KEPT = "keep1@" + EveryPath.DOMAIN;
    private static final String UNKNOWN = "nobody1@" + EveryPath.DOMAIN;

    private interface Loss {
        void inflict(String url) throws Exception;
    }

    @TempDir
    Path dir;

    private static void sql(String url, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement sql = connection.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }

    private static String name(String url) {
        return url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
    }

    private static String maintenance(String url) {
        return url.replace("/" + name(url) + "?", "/postgres?");
    }

    @Test
    void everyPathDefersForEveryWayTheDatabaseGoesMissing() throws Exception {
        Map<String, Loss> losses = new java.util.LinkedHashMap<>();
        losses.put("capability table dropped", url -> sql(url, "DROP TABLE counted_message",
                "DROP TABLE capability"));
        losses.put("all tables dropped", url -> sql(url, "DROP TABLE counted_message", "DROP TABLE capability",
                "DROP TABLE tempmail_schema"));
        losses.put("database dropped", url -> sql(maintenance(url), "DROP DATABASE " + name(url) + " WITH (FORCE)"));
        losses.put("database dropped and created again, empty", url -> sql(maintenance(url),
                "DROP DATABASE " + name(url) + " WITH (FORCE)", "CREATE DATABASE " + name(url)));
        Map<String, Integer> total = new TreeMap<>();
        List<EveryPath.Answer> wrong = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, Loss> loss : losses.entrySet()) {
            String url = POSTGRES.newDatabase();
            lose(loss.getKey(), url, () -> loss.getValue().inflict(url), dir.resolve("case" + n++), total, wrong);
        }
        try (PostgresServer own = PostgresServer.start()) {
            String url = own.newDatabase();
            lose("server stopped", url, own::close, dir.resolve("case" + n++), total, wrong);
        }
        System.out.println("MissingPostgresDatabaseTest: " + n + " losses, answers after the loss: " + total);
        assertEquals(List.of(), wrong, "answers that were not \"try later\"");
        assertEquals(n * 3 * 7, total.values().stream().mapToInt(Integer::intValue).sum());
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void lose(String what, String url, Step inflict, Path caseDir, Map<String, Integer> total,
            List<EveryPath.Answer> wrong) throws Exception {
        java.nio.file.Files.createDirectories(caseDir);
        Path config = EveryPath.writeConfig(caseDir, Optional.of("'" + url + "'"));
        assertEquals(0, EveryPath.tool(config, "", "init").status(), what);
        assertEquals(0, EveryPath.tool(config, "", "cap", "create", "--note", "kept", "--local-part", "keep1")
                .status(), what);
        try (EveryPath paths = EveryPath.open(config)) {
            paths.ask(KEPT);
            assertEquals("{OK=4, exit 0=3}", paths.tally().toString(), what + ": before the loss");
            inflict.run();
            paths.ask(KEPT);
            paths.ask(UNKNOWN);
            ToolRun create = EveryPath.tool(config, "", "cap", "create", "--note", "new", "--local-part", "new1");
            assertEquals(2, create.status(), what + ": " + create);
            paths.ask(UNKNOWN);
            for (EveryPath.Answer answer : paths.answers().subList(7, paths.answers().size())) {
                boolean deferred = answer.outcome().equals("TEMP") || answer.outcome().equals("exit 75")
                        || (answer.path().equals("check") && answer.outcome().equals("exit 2"));
                if (!deferred) {
                    wrong.add(answer);
                }
                if (answer.outcome().equals("exit 75")) {
                    assertTrue(!answer.detail().contains("127.0.0.1"), "deliver names no host: " + answer);
                }
                total.merge(answer.outcome(), 1, Integer::sum);
            }
        }
    }
}
