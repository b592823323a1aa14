package io.spillway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seams of docs/architecture.md, read off the imports of the main sources: the contracts
 * import only the JDK, packages form no cycle, every import points down the layers, and the
 * implementations of sources and stores are reached only through their factories.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/io/spillway");
    private static final Pattern PACKAGE = Pattern.compile("^package io\\.spillway\\.([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.\\w+;", Pattern.MULTILINE);

    /** Each top-level package's layer: a package may import only from lower layers (and its own subpackages). */
    private static final Map<String, Integer> LAYER = Map.ofEntries(Map.entry("spi", 0), Map.entry("config", 1),
            Map.entry("layout", 1), Map.entry("retry", 1), Map.entry("log", 1), Map.entry("format", 1),
            Map.entry("source", 2), Map.entry("store", 2), Map.entry("plan", 3), Map.entry("publish", 4),
            Map.entry("engine", 5), Map.entry("verify", 5), Map.entry("status", 6), Map.entry("render", 6),
            Map.entry("cli", 7));

    /** Package (after io.spillway.) to the io.spillway packages it imports, and to every import. */
    private static final Map<String, Set<String>> INTERNAL = new TreeMap<>();
    private static final Map<String, Set<String>> IMPORTS = new TreeMap<>();

    @BeforeAll
    static void readImports() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                Matcher p = PACKAGE.matcher(text);
                assertThat(p.find()).as("package of %s", f).isTrue();
                String pkg = p.group(1);
                INTERNAL.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(text);
                while (m.find()) {
                    String imported = m.group(1).replaceAll("\\.[A-Z]\\w*$", ""); // a nested type's package
                    IMPORTS.computeIfAbsent(pkg, k -> new TreeSet<>()).add(imported);
                    if (imported.startsWith("io.spillway.") && !imported.equals("io.spillway." + pkg)) {
                        INTERNAL.get(pkg).add(imported.substring("io.spillway.".length()));
                    }
                }
            }
        }
        assertThat(INTERNAL).containsKeys("spi", "cli", "source.postgres", "store.s3");
    }

    @Test
    void theContractsImportOnlyTheJdk() {
        assertThat(IMPORTS.getOrDefault("spi", Set.of())).allMatch(i -> i.startsWith("java.") || i.equals("io.spillway.spi"));
    }

    @Test
    void everyPackageHasALayer() {
        assertThat(INTERNAL.keySet()).allSatisfy(p -> assertThat(LAYER).containsKey(top(p)));
    }

    @Test
    void importsPointDownTheLayers() {
        List<String> upward = new ArrayList<>();
        INTERNAL.forEach((from, tos) -> tos.stream()
                .filter(to -> !top(to).equals(top(from)) && LAYER.get(top(to)) >= LAYER.get(top(from)))
                .forEach(to -> upward.add(from + " -> " + to)));
        assertThat(upward).isEmpty();
    }

    @Test
    void packagesFormNoCycle() {
        List<String> cycles = new ArrayList<>();
        for (String start : INTERNAL.keySet()) {
            findCycle(start, start, new ArrayList<>(List.of(start)), new TreeSet<>(), cycles);
        }
        assertThat(cycles).isEmpty();
    }

    @Test
    void sourcesAndStoresAreReachedOnlyThroughTheirFactories() {
        List<String> direct = new ArrayList<>();
        INTERNAL.forEach((from, tos) -> tos.stream()
                .filter(to -> (to.startsWith("source.") || to.startsWith("store.")) && !top(to).equals(top(from)))
                .forEach(to -> direct.add(from + " -> " + to)));
        assertThat(direct).isEmpty();
        assertThat(INTERNAL.get("source")).isSubsetOf(Set.of("spi"));
        assertThat(INTERNAL.get("store")).isSubsetOf(Set.of("spi"));
    }

    @Test
    void onlyTheCliKnowsPicocli() {
        IMPORTS.forEach((pkg, imports) -> {
            if (!pkg.equals("cli")) {
                assertThat(imports).as("imports of %s", pkg).noneMatch(i -> i.startsWith("picocli"));
            }
        });
    }

    private static void findCycle(String start, String at, List<String> path, Set<String> seen, List<String> cycles) {
        for (String next : INTERNAL.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (seen.add(next)) {
                path.add(next);
                findCycle(start, next, path, seen, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    private static String top(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }
}
