package org.tempmail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.tempmail.cli.Main;

/** Data flows one way through the packages: the compiled classes, as the JDK's jdeps reads them, have no cycle. */
class PackageCyclesTest {
    private static final Pattern EDGE =
            Pattern.compile("^\\s+(org\\.tempmail[\\w.]*)\\s+->\\s+(org\\.tempmail[\\w.]*)\\s");

    @Test
    void noPackageDependsOnItselfThroughOthers() throws Exception {
        Map<String, Set<String>> uses = dependencies();
        assertTrue(uses.getOrDefault("org.tempmail.cli", Set.of()).contains("org.tempmail.config"),
                "jdeps saw the packages: " + uses.keySet());
        List<List<String>> cycles = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String start : new TreeSet<>(uses.keySet())) {
            findCycle(start, uses, new ArrayList<>(), done, cycles);
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    private static Map<String, Set<String>> dependencies() throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in "
                + "this JDK"));
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                classes.toString());
        assertEquals(0, status, out.toString());
        Map<String, Set<String>> uses = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher edge = EDGE.matcher(line);
            if (edge.find() && !edge.group(1).equals(edge.group(2))) {
                uses.computeIfAbsent(edge.group(1), p -> new HashSet<>()).add(edge.group(2));
            }
        }
        return uses;
    }

    /** Depth first from {@code at}; records each cycle found as the path that closes it. */
    private static void findCycle(String at, Map<String, Set<String>> uses, List<String> path, Set<String> done,
            List<List<String>> cycles) {
        int seen = path.indexOf(at);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(at);
            cycles.add(cycle);
            return;
        }
        if (done.contains(at)) {
            return;
        }
        path.add(at);
        for (String next : new TreeSet<>(uses.getOrDefault(at, Set.of()))) {
            findCycle(next, uses, path, done, cycles);
        }
        path.remove(path.size() - 1);
        done.add(at);
    }
}
