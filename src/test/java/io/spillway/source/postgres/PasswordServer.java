package io.spillway.source.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster of this machine's server binaries that checks passwords (SCRAM)
 * on loopback, which the shared local server does not: started as the {@code postgres} user,
 * so it needs root and the server binaries; {@link #available()} says whether it can run here.
 */
final class PasswordServer implements AutoCloseable {
    static final String PASSWORD = "s3cret-pw";
    private static final Path BIN = findBin();

    final int port;
    private final Path dir;

    private PasswordServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    static boolean available() {
        return BIN != null && "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/runuser"));
    }

    static PasswordServer start() throws Exception {
        Path dir = Files.createTempDirectory("spillway-pg-");
        UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, postgres);
        Path pw = Files.writeString(dir.resolve("pw"), PASSWORD);
        Files.setOwner(pw, postgres);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        as("initdb", "-D", dir.resolve("data").toString(), "-U", "postgres", "--pwfile=" + pw,
                "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync");
        as("pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-l", dir.resolve("log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        return new PasswordServer(port, dir);
    }

    String uri(String password) {
        return "postgresql://postgres:" + password + "@127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() throws Exception {
        try {
            as("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void as(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", "postgres", "--", BIN.resolve(tool).toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(tool + " failed: " + new String(out));
        }
    }

    private static Path findBin() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
