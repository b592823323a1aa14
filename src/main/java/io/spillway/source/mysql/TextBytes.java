package io.spillway.source.mysql;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What {@link TextRecords} asks of a field's bytes before it writes them unchanged: whether text needs
 * quoting or holds bytes past ASCII, whether it is UTF-8 as Java's decoder takes it, and whether a
 * date-time or a time is one that {@link MySqlColumns} reads as such.
 */
final class TextBytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final int[] DAYS_IN_MONTH = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /** 1 for February, the month that gains a day in a leap year. */
    private static final int[] LEAP_DAYS = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** 1 for each year of the 400-year Gregorian cycle that is a leap year. */
    private static final int[] LEAP_YEARS = new int[400];

    static {
        for (int y = 0; y < 400; y++) {
            LEAP_YEARS[y] = y % 4 == 0 && (y % 100 != 0 || y == 0) ? 1 : 0;
        }
    }

    private TextBytes() {}

    /** How many bytes the length-encoded integer whose first byte is {@code first} takes (not NULL, 0xfb). */
    static int lengthSize(int first) {
        return first < 0xfb ? 1 : first == 0xfc ? 3 : first == 0xfd ? 4 : 9;
    }

    /** The length-encoded integer at {@code p} (MySQL's protocol: one byte below 0xfb, else 0xfc, 0xfd or 0xfe and 2, 3 or 8 bytes). */
    static long length(byte[] b, int p) {
        int first = b[p] & 0xff;
        if (first < 0xfb) {
            return first;
        }
        if (first == 0xfc) {
            return (b[p + 1] & 0xff) | (b[p + 2] & 0xff) << 8;
        }
        if (first == 0xfd) {
            return (b[p + 1] & 0xff) | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff) << 16;
        }
        return (long) LONGS.get(b, p + 1);
    }

    /** Bit 1: a comma, double quote, CR or LF is in the range; bit 2: a byte above 127 is; eight bytes at a time. */
    static int scan(byte[] b, int from, int to) {
        int found = 0;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(b, i);
            if ((w & HIGHS) != 0) {
                found |= 2;
            }
            // all four are below '-': most words of text have no such byte, and need no closer look
            if (((w - '-' * ONES) & ~w & HIGHS) != 0
                    && (zero(w ^ (',' * ONES)) | zero(w ^ ('"' * ONES)) | zero(w ^ ('\n' * ONES)) | zero(w ^ ('\r' * ONES))) != 0) {
                found |= 1;
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                found |= 1;
            } else if (c < 0) {
                found |= 2;
            }
        }
        return found;
    }

    /** The high bit of each byte of {@code x} that is zero (and none for a word without one). */
    private static long zero(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** Whether the range is UTF-8 as Java's decoder takes it: no overlong forms, surrogates or code points past U+10FFFF. */
    static boolean validUtf8(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
            } else if (c < 0xc2) {
                return false;
            } else if (c < 0xe0) {
                if (i + 1 >= to || (b[i + 1] & 0xc0) != 0x80) {
                    return false;
                }
                i += 2;
            } else if (c < 0xf0) {
                if (i + 2 >= to) {
                    return false;
                }
                int c1 = b[i + 1] & 0xff;
                if ((c1 & 0xc0) != 0x80 || c == 0xe0 && c1 < 0xa0 || c == 0xed && c1 >= 0xa0 || (b[i + 2] & 0xc0) != 0x80) {
                    return false;
                }
                i += 3;
            } else if (c < 0xf5) {
                if (i + 3 >= to) {
                    return false;
                }
                int c1 = b[i + 1] & 0xff;
                if ((c1 & 0xc0) != 0x80 || c == 0xf0 && c1 < 0x90 || c == 0xf4 && c1 >= 0x90
                        || (b[i + 2] & 0xc0) != 0x80 || (b[i + 3] & 0xc0) != 0x80) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    /** What {@link MySqlColumns#dateTime} accepts: the same digits, and a date-time {@code LocalDateTime.of} takes. */
    static boolean validDateTime(byte[] b, int p, int size) {
        if (size < 19 || b[p + 10] != ' ') {
            return false;
        }
        int year = number(b, p, 4);
        int month = number(b, p + 5, 2);
        int day = number(b, p + 8, 2);
        int hour = number(b, p + 11, 2);
        int minute = number(b, p + 14, 2);
        int second = number(b, p + 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || size > 29) {
            return false;
        }
        for (int k = p + 20; k < p + size; k++) {
            if (b[k] < '0' || b[k] > '9') {
                return false;
            }
        }
        return month >= 1 && month <= 12 && day >= 1 && day <= days(year, month) && hour < 24 && minute < 60 && second < 60;
    }

    /**
     * The days of a month (1 to 12) of a year of 0 or more, from tables, without branches: date-times in a
     * table's order reach each kind of month (and leap years) one after another, and each first one would
     * otherwise throw the compiled row loop back to the interpreter (nine times on a table of timestamps).
     */
    static int days(int year, int month) {
        return DAYS_IN_MONTH[month] + (LEAP_YEARS[year % 400] & LEAP_DAYS[month]);
    }

    /** The decimal number of {@code n} digits at {@code p}, or -1 if one is not a digit. */
    private static int number(byte[] b, int p, int n) {
        int v = 0;
        for (int k = p; k < p + n; k++) {
            int d = b[k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** What {@link MySqlColumns#time} reads as a time of day: {@code HH:MM:SS[.f]} below 24 hours. */
    static boolean timeOfDay(byte[] b, int p, int size) {
        boolean fraction = size >= 10 && size <= 18 && b[p + 8] == '.';
        if (!((size == 8 || fraction) && b[p + 2] == ':' && b[p + 5] == ':')) {
            return false;
        }
        int hour = number(b, p, 2);
        int minute = number(b, p + 3, 2);
        int second = number(b, p + 6, 2);
        return hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60
                && (!fraction || number(b, p + 9, size - 9) >= 0);
    }
}
