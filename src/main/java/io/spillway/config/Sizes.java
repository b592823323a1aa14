package io.spillway.config;

import io.spillway.spi.JobException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints byte sizes: {@code 1GiB}, {@code 512MB}, {@code 64k}, {@code 1000}. */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?)(b?)", Pattern.CASE_INSENSITIVE);

    private Sizes() {}

    /** K, M, G, T and KiB.. are powers of 1024; KB, MB, GB, TB powers of 1000. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new JobException("'" + text + "' is not a size: write it like 1GiB, 512MB, 64KiB or 1048576");
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        boolean decimal = m.group(3).isEmpty() && !m.group(4).isEmpty();
        long base = decimal ? 1000 : 1024;
        int power = unit.isEmpty() ? 0 : "kmgt".indexOf(unit) + 1;
        double value = Double.parseDouble(m.group(1)) * Math.pow(base, power);
        if (value >= Long.MAX_VALUE) {
            throw new JobException("'" + text + "' is too large a size");
        }
        return (long) value;
    }

    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int i = -1;
        while (value >= 1024 && i < units.length - 1) {
            value /= 1024;
            i++;
        }
        // the digits of "%.1f" (which rounds half up the shortest decimal of the double, as BigDecimal.valueOf
        // reads it) for a quarter of Formatter's cost: `spillway plan` prints one size a unit, 110,000 lines
        // for 100,000 tables, and at start-up Formatter took about 0.8 s of that
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).toPlainString() + " " + units[i];
    }
}
