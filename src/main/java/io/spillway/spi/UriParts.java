package io.spillway.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A source or destination URI cut where Spillway's parsers cut it:
 * {@code PREFIX[USERINFO@]ADDRESS[?QUERY]}, where {@code PREFIX} is everything up to and with
 * {@code ://} (empty for {@code duckdb:PATH} and other URIs without it).
 *
 * <p>The user-info runs to the last '@' before the query and may hold any character: '/', '@',
 * ':', '%XX', and '?' too unless options follow it. The query starts at the first '?' that is
 * followed by options ({@code KEY=VALUE} or {@code KEY}) joined by '&amp;'. An '@' in the database
 * name must be written {@code %40}.
 *
 * <p>This is the one place that knows where a password sits, so it is also the one redaction:
 * {@link #redacted(Set)}, given the options a source names secret, is what every message, log
 * line and rendered file shows of a URI.
 */
public record UriParts(String prefix, String userInfo, String address, String query) {
    private static final String OPTION = "[A-Za-z][A-Za-z0-9_.-]*(=[^&]*)?";
    private static final Pattern QUERY = Pattern.compile(OPTION + "(&" + OPTION + ")*&?");
    private static final Pattern SECRET_KEY = Pattern.compile(".*(pass|pwd|secret|token|credential).*");
    private static final Pattern PLAIN_USER = Pattern.compile("[^/?&=#:@]*");
    private static final String MASK = "***";

    public static UriParts parse(String uri) {
        String u = uri.trim();
        int sep = u.indexOf("://");
        String prefix = sep < 0 ? "" : u.substring(0, sep + 3);
        String rest = sep < 0 ? u : u.substring(sep + 3);
        int q = queryStart(rest);
        String query = q < 0 ? null : rest.substring(q + 1);
        String beforeQuery = q < 0 ? rest : rest.substring(0, q);
        int at = sep < 0 ? -1 : beforeQuery.lastIndexOf('@');
        String userInfo = at < 0 ? null : beforeQuery.substring(0, at);
        return new UriParts(prefix, userInfo, beforeQuery.substring(at + 1), query);
    }

    private static int queryStart(String rest) {
        for (int q = rest.indexOf('?'); q >= 0; q = rest.indexOf('?', q + 1)) {
            String after = rest.substring(q + 1);
            if (after.isEmpty() || QUERY.matcher(after).matches()) {
                return q;
            }
        }
        return -1;
    }

    /** The user as written (not decoded): the user-info up to its first ':'. */
    public String user() {
        if (userInfo == null) {
            return null;
        }
        int colon = userInfo.indexOf(':');
        return colon < 0 ? userInfo : userInfo.substring(0, colon);
    }

    /** The password as written (not decoded): the user-info after its first ':'. */
    public String password() {
        int colon = userInfo == null ? -1 : userInfo.indexOf(':');
        return colon < 0 ? null : userInfo.substring(colon + 1);
    }

    /** The query's {@code KEY=VALUE} pairs as written; empty when there is no query. */
    public List<String> options() {
        return query == null || query.isEmpty() ? List.of() : List.of(query.split("&"));
    }

    /** Whether the URI holds a password, in its user-info or as an option such as {@code password=}. */
    public boolean hasSecret() {
        return hasSecret(Set.of());
    }

    /** Whether the URI holds a password, an option named in {@code secretOptions} (lower case), or one that looks secret. */
    public boolean hasSecret(Set<String> secretOptions) {
        return password() != null
                || options().stream().anyMatch(kv -> secretOption(kv, secretOptions) || nestedSecret(kv));
    }

    /** The URI with every password and secret-looking option replaced by '***'; a user that looks odd is hidden too. */
    public String redacted() {
        return redacted(Set.of());
    }

    /**
     * The URI with every password, every option named in {@code secretOptions} (lower case, as its
     * source names them) and every option that looks secret replaced by '***'.
     */
    public String redacted(Set<String> secretOptions) {
        StringBuilder sb = new StringBuilder(prefix);
        if (userInfo != null) {
            String user = user();
            sb.append(PLAIN_USER.matcher(user).matches() ? user : MASK);
            sb.append(password() == null ? "" : ":" + MASK).append('@');
        }
        sb.append(address);
        if (query != null) {
            List<String> shown = new ArrayList<>();
            for (String kv : options()) {
                int eq = kv.indexOf('=');
                if (secretOption(kv, secretOptions)) {
                    shown.add(kv.substring(0, eq + 1) + MASK);
                } else if (nestedSecret(kv)) {
                    shown.add(kv.substring(0, eq + 1) + parse(kv.substring(eq + 1)).redacted());
                } else {
                    shown.add(kv);
                }
            }
            sb.append('?').append(String.join("&", shown));
        }
        return sb.toString();
    }

    private static boolean secretOption(String kv, Set<String> secretOptions) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            return false;
        }
        String key = kv.substring(0, eq).toLowerCase(Locale.ROOT);
        return secretOptions.contains(key) || SECRET_KEY.matcher(key).matches();
    }

    /** An option whose value is itself a URI with a password, such as {@code endpoint=https://u:p@host}. */
    private static boolean nestedSecret(String kv) {
        int eq = kv.indexOf('=');
        return eq > 0 && kv.indexOf("://", eq) > 0 && parse(kv.substring(eq + 1)).hasSecret(Set.of());
    }

    @Override
    public String toString() {
        return redacted();
    }
}
