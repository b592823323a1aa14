package io.spillway.format;

import io.spillway.spi.BucketFiles;
import io.spillway.spi.Column;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.LocalFiles;
import io.spillway.spi.RecordSink;
import io.spillway.spi.RowSink;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoreOutput;
import io.spillway.spi.TypeDialect;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Writes one unit's rows as numbered files under a staging prefix, rolling over to a new file on a
 * row boundary before a file would pass the size limit (a single row larger than the limit gets a
 * file of its own). CSV files each start with the header row, as BigQuery's shards do. Parquet
 * files are closed at a row group boundary (see {@link ParquetRows}), Avro files at a row boundary
 * (see {@link AvroRows}).
 *
 * <p>It is the {@link io.spillway.spi.UnitSink} sources see: rows of Java values ({@link #rows}), whole records
 * ({@link #records()}), finished local files of a native exporter ({@link #localFiles()}), or files a
 * server-side exporter wrote into the store itself ({@link #bucketFiles()}); the engine then calls
 * {@link #finish()} and {@link #rowCount()}. For
 * compressed files the limit is checked against the compressed bytes flushed so far, so a file may
 * pass it by what the compressor still holds (well under a MiB). Not thread safe; {@link #close()}
 * discards an unfinished file.
 */
public final class ShardWriter implements UnitWriter, RecordSink {
    private static final int BUFFER = 1 << 20;
    private static final Pattern FOLDER = Pattern.compile("[A-Za-z0-9_-]{1,1024}");

    private final Store store;
    private final String prefix;
    private final Format format;
    private final Compression compression;
    private final Compression fileCompression;
    private final long maxFileSize;
    private final List<ShardFile> files = new ArrayList<>();

    private byte[] header = new byte[0];
    private StoreOutput output;
    private CountingOutputStream counted;
    private OutputStream stream;
    private String path;
    private long plainBytes;
    private long rows;
    private long unitRows;
    private boolean unitRowsUnknown;
    private ParquetRows parquet;
    private AvroRows avro;

    public ShardWriter(Store store, String prefix, Format format, Compression compression, long maxFileSize) {
        this.store = store;
        this.prefix = prefix;
        this.format = format;
        this.compression = compression;
        this.fileCompression = format.lines() ? compression : Compression.NONE;
        this.maxFileSize = maxFileSize;
    }

    @Override
    public Format format() {
        return format;
    }

    @Override
    public Compression compression() {
        return compression;
    }

    @Override
    public long maxFileSize() {
        return maxFileSize;
    }

    /** Sets the record written at the top of every file (CSV's header row). */
    @Override
    public void header(byte[] record) {
        this.header = record.clone();
    }

    /** Writes one whole record (a row with its line end), starting a new file first if this one is full. */
    @Override
    public void record(byte[] buf, int off, int len) throws IOException {
        if (stream != null && rows > 0 && size() + (fileCompression == Compression.NONE ? len : 0) > maxFileSize) {
            finishFile();
        }
        if (stream == null) {
            openFile();
        }
        stream.write(buf, off, len);
        plainBytes += len;
        rows++;
    }

    /**
     * How many bytes of records the current file takes before it would pass the size limit (for a
     * writer with no file open, the next file after its header): what {@link #records} may be given.
     * For a compressed file it counts what the compressor has flushed, as {@link #record} does.
     */
    @Override
    public long room() {
        if (stream == null) {
            return maxFileSize - (fileCompression == Compression.NONE ? header.length : 0);
        }
        return maxFileSize - size();
    }

    /**
     * Writes {@code count} whole records gathered by the caller, which fit in {@link #room()}, to the
     * current file (opened first if need be) in one write: a source that formats many short rows
     * hands them over a batch at a time, and a large batch goes to the file without another copy.
     * A record that does not fit goes through {@link #record}, which starts the next file for it.
     */
    @Override
    public void records(byte[] buf, int off, int len, int count) throws IOException {
        if (count <= 0) {
            return;
        }
        if (len > room()) {
            throw new IllegalArgumentException(len + " bytes of records do not fit in the " + room()
                    + " bytes left in " + (path == null ? "the next file" : path));
        }
        if (stream == null) {
            openFile();
        }
        stream.write(buf, off, len);
        plainBytes += len;
        rows += count;
    }

    private long size() {
        return fileCompression == Compression.NONE ? plainBytes : counted.count();
    }

    private String nextPath() {
        return prefix + String.format(Locale.ROOT, "%06d", files.size()) + format.suffix(compression);
    }

    private void openFile() throws IOException {
        path = nextPath();
        output = store.create(path);
        counted = new CountingOutputStream(fileCompression == Compression.NONE
                ? output.stream() : new BufferedOutputStream(output.stream(), BUFFER));
        stream = fileCompression == Compression.NONE ? new RecordBuffer(counted, BUFFER)
                : Codecs.wrap(fileCompression, counted);
        stream.write(header);
        plainBytes = header.length;
        rows = 0;
    }

    private void finishFile() throws IOException {
        stream.close(); // flushes the compressor's trailer; the store's stream stays open until commit
        output.commit();
        output.close();
        files.add(new ShardFile(path, rows, counted.count(), counted.crc32c()));
        unitRows += rows;
        output = null;
        stream = null;
    }

    /** Starts the next file for a writer that lays out whole files itself (Parquet, Avro); {@link #endFile} ends it. */
    OutputStream beginFile() throws IOException {
        if (stream != null) {
            finishFile();
        }
        openFile();
        return stream;
    }

    /** Ends the file {@link #beginFile} started; the writer has flushed everything into its stream. */
    void endFile(long fileRows) throws IOException {
        rows = fileRows;
        finishFile();
    }

    @Override
    public RowSink rows(List<Column> columns, TypeDialect dialect) {
        return switch (format) {
            case CSV -> new CsvRows(this, columns);
            case JSONL -> new JsonlRows(this, columns);
            case PARQUET -> parquet = new ParquetRows(this, columns, dialect, compression);
            case AVRO -> avro = new AvroRows(this, columns, dialect, compression);
        };
    }

    @Override
    public RecordSink records() {
        if (!format.lines()) {
            throw new UnsupportedOperationException("a " + format + " unit is written through rows() or localFiles()");
        }
        return this;
    }

    @Override
    public Optional<LocalFiles> localFiles() {
        return Optional.of(new LocalFiles() {
            @Override
            public Path scratchFile() throws IOException {
                return store.scratchFile(prefix + "native" + format.suffix(compression));
            }

            @Override
            public void adopt(Path file, long rows) throws IOException {
                adoptFile(file, rows);
            }
        });
    }

    @Override
    public Optional<BucketFiles> bucketFiles() {
        if (store.nativeUri(prefix).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BucketFiles() {
            @Override
            public String uri(String name) {
                return store.nativeUri(sibling(name)).orElseThrow();
            }

            @Override
            public int adopt(String name, long rows) throws IOException {
                return adoptBucketFiles(name, rows);
            }
        });
    }

    /** Writes the records of {@code in} (after its header row, if {@code needHeader}) as files of this writer. */
    private void split(InputStream in, boolean csv, boolean needHeader) throws IOException {
        byte[] buf = new byte[BUFFER];
        int len = 0;
        int scan = 0;
        int start = 0;
        boolean quoted = false;
        while (true) {
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
            for (int i = scan; i < len; i++) {
                byte b = buf[i];
                if (b == '"' && csv) {
                    quoted = !quoted;
                } else if (b == '\n' && !quoted) {
                    if (needHeader) {
                        header(Arrays.copyOfRange(buf, start, i + 1));
                        needHeader = false;
                    } else {
                        record(buf, start, i + 1 - start);
                    }
                    start = i + 1;
                }
            }
            if (start == 0 && len == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2); // one record larger than the buffer
            } else {
                System.arraycopy(buf, start, buf, 0, len - start);
                len -= start;
                start = 0;
            }
            scan = len;
        }
        if (len > start) {
            if (needHeader) {
                header(Arrays.copyOfRange(buf, start, len));
            } else {
                record(buf, start, len - start);
            }
        }
    }

    /**
     * Takes a finished file from a native exporter: it becomes one file as it is if it fits the size
     * limit, and is split otherwise; a Parquet or Avro file is always taken whole (the exporter
     * splits such files itself). {@code rows} is the number of data rows in it.
     */
    private void adoptFile(Path file, long rows) throws IOException {
        long size = Files.size(file);
        if (size <= maxFileSize || !format.lines()) {
            if (stream != null) {
                finishFile();
            }
            String target = nextPath();
            String crc = crc32c(file);
            store.adopt(file, target);
            files.add(new ShardFile(target, rows, size, crc));
            unitRows += rows;
            return;
        }
        if (compression == Compression.NONE && cutHead(file)) {
            return;
        }
        try (InputStream in = Codecs.unwrap(compression, Files.newInputStream(file))) {
            split(in, format == Format.CSV, format == Format.CSV);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Splits an uncompressed file that passes the limit without rewriting its first part: the records that
     * fit stay where they are (the file is cut after them and becomes the first file), and only the rest
     * is written again, as the files after it. A native exporter whose table was larger than estimated
     * (DuckDB's text columns) thus writes its first gigabyte once, not twice. False, having changed nothing,
     * when the file has no record after its header.
     */
    private boolean cutHead(Path file) throws IOException {
        boolean csv = format == Format.CSV;
        long headerEnd = csv ? -1 : 0;
        long cut = -1;
        long headRows = 0;
        long size;
        try (FileChannel in = FileChannel.open(file)) {
            size = in.size();
            ByteBuffer buf = ByteBuffer.allocate(BUFFER);
            boolean quoted = false;
            long pos = 0;
            scan:
            while (in.read(buf.clear()) > 0) {
                byte[] b = buf.array();
                for (int i = 0, n = buf.position(); i < n; i++) {
                    if (b[i] == '"' && csv) {
                        quoted = !quoted;
                    } else if (b[i] == '\n' && !quoted) {
                        long end = pos + i + 1;
                        if (headerEnd < 0) {
                            headerEnd = end;
                        } else if (end <= maxFileSize || headRows == 0) { // a record larger than the limit: a file of its own
                            cut = end;
                            headRows++;
                        } else {
                            break scan;
                        }
                    }
                }
                pos += buf.position();
            }
        }
        if (cut < 0 || cut >= size) {
            return false;
        }
        if (stream != null) {
            finishFile();
        }
        int head = files.size();
        String target = nextPath();
        files.add(null); // the head's place: the rest is numbered after it
        try {
            if (csv) {
                header(readStart(file, headerEnd));
            }
            try (FileChannel in = FileChannel.open(file)) {
                split(Channels.newInputStream(in.position(cut)), csv, false);
            }
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                out.truncate(cut);
            }
            String crc = crc32c(file);
            store.adopt(file, target);
            files.set(head, new ShardFile(target, headRows, cut, crc));
            unitRows += headRows;
            return true;
        } finally {
            if (files.get(head) == null) {
                files.remove(head);
                Files.deleteIfExists(file);
            }
        }
    }

    /** The first {@code length} bytes of the file. */
    private static byte[] readStart(Path file, long length) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(Math.toIntExact(length));
        }
    }

    /** Read into a direct buffer, which the checksum reads in place: no copy into the heap (a third less time). */
    private static String crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        try (FileChannel in = FileChannel.open(file)) {
            while (in.read(buf.clear()) >= 0) {
                crc.update(buf.flip());
            }
        }
        return CountingOutputStream.hex(crc.getValue());
    }

    /**
     * Takes the files a server-side exporter wrote in the folder {@code name} (see {@link BucketFiles#uri}),
     * in name order, with their sizes and CRC32C from the store's metadata. {@code rows} is the number
     * of data rows in all of them, or -1 if unknown: a lone file gets it, several files get -1 each
     * (the exporter does not say how the rows fall into them) and {@link #rowCount()} keeps the total.
     * Returns how many files there were.
     */
    private int adoptBucketFiles(String name, long rows) throws IOException {
        if (stream != null) {
            finishFile();
        }
        List<Store.StoredObject> objects = store.list(sibling(name));
        for (Store.StoredObject o : objects) {
            String crc = store.crc32c(o.path()).orElseThrow(() -> new IOException(
                    "the store keeps no CRC32C for " + o.path() + ": a server-side export needs a bucket that does"));
            files.add(new ShardFile(o.path(), objects.size() == 1 ? rows : -1, o.size(), crc));
        }
        if (rows < 0) {
            unitRowsUnknown = true;
        } else {
            unitRows += rows;
        }
        return objects.size();
    }

    private String sibling(String name) {
        if (!FOLDER.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a folder name of letters, digits, '_' or '-'");
        }
        return prefix.substring(0, prefix.lastIndexOf('/', prefix.length() - 2) + 1) + name + "/";
    }

    /** The data rows of all files so far, or -1 when a server-side exporter did not say. */
    @Override
    public long rowCount() {
        return unitRowsUnknown ? -1 : unitRows;
    }

    /** Finishes the last file and returns every file written, in order. A unit always has at least one file. */
    @Override
    public List<ShardFile> finish() throws IOException {
        if (parquet != null) {
            parquet.finish();
        }
        if (avro != null) {
            avro.finish();
        }
        if (!format.lines() && files.isEmpty()) {
            throw new IllegalStateException("a " + format + " unit is written through rows() or adopt(), and nothing was");
        }
        if (stream == null && files.isEmpty()) {
            openFile(); // an empty unit still gets a file, with the header alone
        }
        if (stream != null) {
            finishFile();
        }
        return List.copyOf(files);
    }

    @Override
    public void close() throws IOException {
        if (output != null) {
            output.close();
            output = null;
            stream = null;
        }
    }
}
