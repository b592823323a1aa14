package io.spillway.source.jdbc;

import io.spillway.source.Sources;
import io.spillway.spi.JobException;
import io.spillway.spi.UriParts;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A server database's address as users write it: {@code scheme://[USER[:PASS]@]HOST[:PORT]/DB[?k=v&...]},
 * or its {@code jdbc:} form, where the user and password may also come as {@code user=} and
 * {@code password=} options. User, password, database and option values are percent-decoded.
 * {@link #toString()} never shows the password.
 */
public record JdbcUrl(String scheme, String user, String password, String host, int port, String database,
        Map<String, String> options) {

    public JdbcUrl {
        Objects.requireNonNull(scheme, "scheme is null");
        Objects.requireNonNull(host, "host is null");
        Objects.requireNonNull(database, "database is null");
        options = Map.copyOf(options);
    }

    /**
     * Parses {@code uri}; {@code defaultPort} applies when it names none. The user-info is cut out
     * as {@link UriParts} cuts it, so a password may hold '/', '@', ':' and '%XX'.
     */
    public static JdbcUrl parse(String uri, int defaultPort) {
        String u = uri.trim();
        if (u.regionMatches(true, 0, "jdbc:", 0, 5)) {
            u = u.substring(5);
        }
        UriParts parts = UriParts.parse(u);
        if (parts.prefix().isEmpty()) {
            throw bad(uri, "it has no '://'");
        }
        String scheme = parts.prefix().substring(0, parts.prefix().length() - 3).toLowerCase(Locale.ROOT);
        String rest = parts.address();
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
        String user = parts.user() == null ? null : decode(parts.user());
        String password = parts.password() == null ? null : decode(parts.password());
        String host = authority;
        int port = defaultPort;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && colon > authority.lastIndexOf(']')) {
            host = authority.substring(0, colon);
            String digits = authority.substring(colon + 1);
            try {
                port = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw bad(uri, "the port '" + digits + "' is not a number");
            }
            if (port < 1 || port > 65535) {
                throw bad(uri, "the port " + digits + " is not between 1 and 65535");
            }
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String kv : parts.options()) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            String key = decode(eq < 0 ? kv : kv.substring(0, eq));
            String value = eq < 0 ? "" : decode(kv.substring(eq + 1));
            switch (key) {
                case "user" -> user = value;
                case "password" -> password = value;
                default -> options.put(key, value);
            }
        }
        return new JdbcUrl(scheme, user, password, host, port, database, options);
    }

    private static JobException bad(String uri, String why) {
        return new JobException("'" + Sources.redact(uri) + "' is not a database address (" + why
                + "): write it like postgresql://USER:PASSWORD@HOST:5432/DATABASE");
    }

    /** Percent-decoding as in URIs: '+' stays a plus, so passwords keep theirs. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    /** The options without Spillway's own ones: what is passed on to the driver. */
    public Map<String, String> driverOptions(String... own) {
        Map<String, String> m = new LinkedHashMap<>(options);
        for (String k : own) {
            m.remove(k);
        }
        return m;
    }

    /** The host and port, for messages. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return scheme + "://" + (user == null ? "" : user + "@") + address() + "/" + database;
    }
}
