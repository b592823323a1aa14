package io.spillway.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scratch files a killed task left in the temporary folder are deleted by a later process, and only those. */
class ScratchFilesTest {
    @TempDir
    Path tmp;

    @Test
    void theFolderOfAKilledProcessGoesWhenTheNextOneMakesAScratchFile() throws Exception {
        Process killed = new ProcessBuilder("sleep", "600").start();
        Path left = scratchOf(ScratchFiles.HOST, killed.pid());
        killed.destroyForcibly();
        assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Path file = ScratchFiles.create(tmp, "native.csv");

        assertThat(left).doesNotExist();
        assertThat(file).exists().hasParent(tmp.resolve(ScratchFiles.folder(ScratchFiles.HOST, ProcessHandle.current().pid())));
        assertThat(file.getFileName().toString()).startsWith("spillway-").endsWith("-native.csv");
    }

    @Test
    void aRunningProcessKeepsItsFiles() throws Exception {
        Process running = new ProcessBuilder("sleep", "600").start();
        try {
            Path kept = scratchOf(ScratchFiles.HOST, running.pid());
            ScratchFiles.sweep(tmp);
            assertThat(kept).exists();
        } finally {
            running.destroyForcibly().waitFor();
        }
    }

    /** A container sharing the folder has process ids of its own: from here its running tasks may look ended. */
    @Test
    void anotherHostsFoldersAreLeftToIt() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Path theirs = scratchOf("another_container", ended.pid());
        ScratchFiles.sweep(tmp);
        assertThat(theirs).exists();
    }

    @Test
    void nothingElseInTheFolderIsTouched() throws Exception {
        Path notAPid = Files.createDirectories(tmp.resolve(ScratchFiles.folder(ScratchFiles.HOST, 1).replace("-1", "-abc")));
        Path other = Files.writeString(tmp.resolve("spillway-123-native.csv"), "someone else's");
        Path target = Files.createDirectories(tmp.resolve("elsewhere"));
        Path precious = Files.writeString(target.resolve("keep.txt"), "keep");
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path link = tmp.resolve(ScratchFiles.folder(ScratchFiles.HOST, ended.pid()));
        Files.createSymbolicLink(link, target); // a link in its place: the link goes, not what it points to

        ScratchFiles.sweep(tmp);

        assertThat(notAPid).exists();
        assertThat(other).exists();
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).as("the link").isFalse();
        assertThat(precious).exists().hasContent("keep");
    }

    /** A scratch folder of process {@code pid} on {@code host} holding a 1 MB file. */
    private Path scratchOf(String host, long pid) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(ScratchFiles.folder(host, pid)));
        Files.write(dir.resolve("spillway-1-native.csv"), new byte[1 << 20]);
        return dir;
    }
}
