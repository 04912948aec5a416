package io.jingnei.core.rag;

import io.jingnei.core.index.Chunk;
import io.jingnei.core.index.IndexFormat;
import io.jingnei.core.log.CallLog;
import io.jingnei.core.storage.FileObjectStore;
import io.jingnei.core.testing.FakeTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An instance whose index is missing at start: failed with the cause, tried again with backoff
 * (never before the retry is due), served as soon as it appears. Time is the holder's own clock.
 */
class IndexRecoveryTest {
    private static final String MODEL = "test-model";

    @TempDir
    Path dir;

    @Test
    void a_missing_index_is_failed_with_its_cause_then_loaded_once_it_appears_with_backoff_between_tries() throws Exception {
        Path file = dir.resolve("late.jnix");
        FakeTime time = new FakeTime();
        List<String> log = new ArrayList<>();
        IndexHolder holder = new IndexHolder(new FileObjectStore(), file.toUri(), file.toUri(), MODEL, Duration.ofSeconds(60),
                time, Runnable::run, new CallLog(log::add));

        holder.load().join();
        assertThat(holder.state().status).isEqualTo(IndexHolder.Status.FAILED);
        assertThat(holder.state().cause).contains("late.jnix");
        assertThatThrownBy(holder::require).isInstanceOf(IndexUnavailableException.class).hasMessageContaining("late.jnix");
        assertThat(log).anySatisfy(line -> assertThat(line).contains("index load failed").contains("loaded again in 1 s"));

        // Not due yet: no new try even though the index is there now.
        Files.write(file, index());
        time.advance(Duration.ofMillis(900));
        holder.refreshIfDue().join();
        assertThat(holder.state().status).isEqualTo(IndexHolder.Status.FAILED);

        time.advance(Duration.ofMillis(100));
        holder.refreshIfDue().join();
        assertThat(holder.state().status).isEqualTo(IndexHolder.Status.READY);
        assertThat(holder.require().size()).isEqualTo(2);
        assertThat(log).anySatisfy(line -> assertThat(line).contains("index loaded after failed loads").contains("\"failed_loads_before\":1"));
    }

    @Test
    void the_wait_between_tries_doubles_up_to_its_bound() throws Exception {
        Path file = dir.resolve("never.jnix");
        FakeTime time = new FakeTime();
        List<String> log = new ArrayList<>();
        IndexHolder holder = new IndexHolder(new FileObjectStore(), file.toUri(), file.toUri(), MODEL, Duration.ofSeconds(60),
                time, Runnable::run, new CallLog(log::add));
        holder.load().join();
        List<Long> waits = new ArrayList<>();
        for (int failed = 1; failed <= 8; failed++) {
            long before = count(log);
            long waited = 0;
            while (count(log) == before) {
                time.advance(Duration.ofMillis(500));
                waited += 500;
                holder.refreshIfDue().join();
            }
            waits.add(waited / 1000);
        }
        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    private static long count(List<String> log) {
        return log.stream().filter(line -> line.contains("index load failed")).count();
    }

    private static byte[] index() {
        float[] vectors = {1, 0, 0, 1};
        List<Chunk> chunks = List.of(new Chunk("a", 0, "退货七天内。", "{}"), new Chunk("b", 0, "运费商家出。", "{}"));
        return IndexFormat.write(vectors, 2, new ArrayList<>(chunks), MODEL, false);
    }
}
