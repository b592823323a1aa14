package io.spillway.source.jdbc;

import io.spillway.job.JobException;
import io.spillway.source.Sources;
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

    /** Parses {@code uri}; {@code defaultPort} applies when it names none. */
    public static JdbcUrl parse(String uri, int defaultPort) {
        String u = uri.trim();
        if (u.regionMatches(true, 0, "jdbc:", 0, 5)) {
            u = u.substring(5);
        }
        int sep = u.indexOf("://");
        if (sep < 0) {
            throw bad(uri, "it has no '://'");
        }
        String scheme = u.substring(0, sep).toLowerCase(Locale.ROOT);
        String rest = u.substring(sep + 3);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        String host = authority;
        int port = defaultPort;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && colon > authority.lastIndexOf(']')) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw bad(uri, "the port '" + authority.substring(colon + 1) + "' is not a number");
            }
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String kv : query.split("&")) {
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
