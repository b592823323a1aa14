package io.spillway.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spillway.layout.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile read for what the rendered definitions rely on (e2e/run builds and runs the image
 * itself, with podman): a build stage and a JRE runtime stage, a numeric non-root user (Kubernetes' runAsNonRoot),
 * {@code spillway task} as the default command, and a build context without the build output.
 */
class DockerfileTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));

    private record Instruction(String keyword, String args) {}

    private static List<Instruction> instructions() throws Exception {
        List<Instruction> all = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.isEmpty())) {
                continue;
            }
            current.append(t.endsWith("\\") ? t.substring(0, t.length() - 1) + " " : t);
            if (!t.endsWith("\\")) {
                String text = current.toString().strip();
                int space = text.indexOf(' ');
                all.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
                current.setLength(0);
            }
        }
        return all;
    }

    /** The instructions of the last stage: what the image is. */
    private static List<Instruction> runtimeStage() throws Exception {
        List<Instruction> all = instructions();
        int last = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return all.subList(last, all.size());
    }

    private static List<String> exec(Instruction i) throws Exception {
        JsonNode array = Json.MAPPER.readTree(i.args());
        assertThat(array.isArray()).as(i.keyword() + " in exec form, so java is PID 1 and gets SIGTERM").isTrue();
        List<String> words = new ArrayList<>();
        array.forEach(w -> words.add(w.asText()));
        return words;
    }

    /** The FROM lines with the build arguments' defaults put in: what {@code docker build} uses. */
    private static List<String> defaultFroms() throws Exception {
        java.util.Map<String, String> defaults = new java.util.HashMap<>();
        List<String> froms = new ArrayList<>();
        for (Instruction i : instructions()) {
            if (i.keyword().equals("ARG") && i.args().contains("=")) {
                defaults.putIfAbsent(i.args().substring(0, i.args().indexOf('=')), i.args().substring(i.args().indexOf('=') + 1));
            } else if (i.keyword().equals("FROM")) {
                Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(i.args());
                froms.add(m.replaceAll(r -> Matcher.quoteReplacement(defaults.getOrDefault(r.group(1), r.group()))));
            }
        }
        return froms;
    }

    @Test
    void buildsInOneStageAndRunsOnAJre() throws Exception {
        List<String> froms = defaultFroms();
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).startsWith("maven:").contains("17").endsWith(" AS build");
        assertThat(froms.get(1)).matches("eclipse-temurin:17-jre\\S*");
        assertThat(runtimeStage()).filteredOn(i -> i.keyword().equals("COPY"))
                .allMatch(i -> i.args().startsWith("--from=build "));
    }

    @Test
    void runsAsANumericNonRootUser() throws Exception {
        List<Instruction> users = runtimeStage().stream().filter(i -> i.keyword().equals("USER")).toList();
        assertThat(users).hasSize(1);
        Matcher m = Pattern.compile("(\\d+)(?::(\\d+))?").matcher(users.get(0).args());
        assertThat(m.matches()).as("numeric, so Kubernetes can check runAsNonRoot").isTrue();
        assertThat(Long.parseLong(m.group(1))).as("the user the Kubernetes definition runs as").isEqualTo(KubernetesJob.RUN_AS);
        String run = runtimeStage().stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::args)
                .findFirst().orElseThrow();
        assertThat(run).contains("useradd").contains("--uid " + m.group(1));
    }

    @Test
    void runsSpillwayTaskByDefault() throws Exception {
        Instruction entrypoint = runtimeStage().stream().filter(i -> i.keyword().equals("ENTRYPOINT")).findFirst().orElseThrow();
        Instruction cmd = runtimeStage().stream().filter(i -> i.keyword().equals("CMD")).findFirst().orElseThrow();
        List<String> command = new ArrayList<>(exec(entrypoint));
        command.addAll(exec(cmd));
        assertThat(command.get(0)).isEqualTo("java");
        assertThat(command).containsSubsequence("-cp", "/opt/spillway/spillway.jar", "io.spillway.cli.Main", "task");
        assertThat(exec(cmd)).as("engines replace CMD with their args: render sets them to [task] too")
                .containsExactly("task");
        List<String> launcherFlags = Pattern.compile("-XX:Tier[34]\\w+=\\d+")
                .matcher(Files.readString(Path.of("spillway"))).results().map(r -> r.group()).toList();
        assertThat(launcherFlags).as("the launcher's compiler thresholds").hasSize(8);
        assertThat(command).as("the image compiles as the launcher does").containsAll(launcherFlags);
        String archive = command.stream().filter(a -> a.startsWith("-XX:SharedArchiveFile=")).findFirst()
                .orElseThrow(() -> new AssertionError("tasks map a class data sharing archive")).split("=", 2)[1];
        assertThat(runtimeStage()).as("the archive is made in the image")
                .filteredOn(i -> i.keyword().equals("RUN") && i.args().contains("-Xshare:dump")
                        && i.args().contains("-XX:SharedArchiveFile=" + archive))
                .hasSize(1);
        assertThat(command).as("JVM warnings leave stdout to the JSON logs").contains("-Xlog:all=warning:stderr");
    }

    @Test
    void copiesWhatTheBuildNeedsAndIgnoresTheRest() throws Exception {
        List<String> copied = instructions().stream().filter(i -> i.keyword().equals("COPY"))
                .filter(i -> !i.args().startsWith("--from")).map(i -> i.args().split("\\s+")[0]).toList();
        assertThat(copied).as("prebuilt/ only for JAR=prebuilt, by a pattern that may match nothing")
                .containsExactly("pom.xml", "src", "pom.xml");
        assertThat(instructions()).filteredOn(i -> i.keyword().equals("COPY"))
                .anyMatch(i -> i.args().equals("pom.xml prebuil[t] /src/prebuilt/"));
        copied.forEach(c -> assertThat(ROOT.resolve(c)).exists());
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignored).contains("target/", ".git", "demo/").doesNotContain("src", "src/", "pom.xml");
    }
}
