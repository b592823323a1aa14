package io.spillway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Headless Chromium (Debian's {@code chromium}) loading a local page, for tests of the HTML report. */
public final class Chromium {
    private static final long TIMEOUT_SECONDS = 90;

    /** What the browser made of a page: the DOM after its scripts ran, and its log (console messages included). */
    public record Page(String dom, String log) {}

    private Chromium() {}

    /** The browser's path, or empty when it is not installed (tests then skip, saying so). */
    public static Optional<Path> find() {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Loads {@code html} without network and returns its DOM once its scripts ran. */
    public static Page dumpDom(Path browser, Path html, Path work) throws IOException, InterruptedException {
        Path out = work.resolve("dom.html");
        Path log = work.resolve("chromium.log");
        List<String> command = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--no-first-run", "--enable-logging=stderr",
                "--v=0", "--user-data-dir=" + work.resolve("profile"), "--dump-dom", html.toUri().toString()));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("chromium did not finish in " + TIMEOUT_SECONDS + " s");
        }
        return new Page(Files.readString(out, StandardCharsets.UTF_8), Files.readString(log, StandardCharsets.UTF_8));
    }
}
