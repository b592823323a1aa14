package io.spillway.status;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Columns padded to their widest cell; numbers (right-aligned columns) line up on the right. */
final class TextTable {
    private final List<String> header;
    private final boolean[] right;
    private final List<List<String>> rows = new ArrayList<>();

    /** Column names; a name starting with '>' is right-aligned (the '>' is not printed). */
    TextTable(String... columns) {
        header = new ArrayList<>();
        right = new boolean[columns.length];
        for (int i = 0; i < columns.length; i++) {
            right[i] = columns[i].startsWith(">");
            header.add(right[i] ? columns[i].substring(1) : columns[i]);
        }
    }

    TextTable row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(c == null ? "-" : c.toString().replace('\n', ' '));
        }
        rows.add(row);
        return this;
    }

    void print(PrintWriter out, String indent) {
        int[] width = new int[header.size()];
        for (List<String> r : concat()) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        for (List<String> r : concat()) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                boolean last = i == r.size() - 1;
                String pad = " ".repeat(width[i] - cell.length());
                line.append(right[i] ? pad + cell : last ? cell : cell + pad);
                if (!last) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private List<List<String>> concat() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
