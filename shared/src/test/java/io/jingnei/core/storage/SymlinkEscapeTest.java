package io.jingnei.core.storage;

import io.jingnei.core.config.Env;
import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Symbolic links inside an allowed {@code file://} folder that lead outside it: real links on a real
 * file system, through the guarded file store as request bodies use it. Each attack is refused and
 * leaves the outside untouched; the legitimate files next to them still work.
 */
class SymlinkEscapeTest {
    @TempDir
    Path temp;
    private Path allowed;
    private Path outside;
    private GuardedStore store;

    @BeforeEach
    void links() throws Exception {
        Path root = temp.toRealPath();
        allowed = Files.createDirectories(root.resolve("kb"));
        outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "LLM key: sk-outside", StandardCharsets.UTF_8);
        Files.writeString(allowed.resolve("faq.md"), "退款24小时内发起。", StandardCharsets.UTF_8);
        Files.createSymbolicLink(allowed.resolve("secret-link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(allowed.resolve("escape"), outside);
        Files.createSymbolicLink(allowed.resolve("dangling.jsonl"), outside.resolve("not-yet.jsonl"));
        store = new GuardedStore(new FileObjectStore(), StorageAllowList.from(Env.of(Map.of("JINGNEI_STORAGE_ALLOW", allowed.toUri().toString()))));
    }

    private static URI uri(Path path) {
        return StorageUris.parse(path.toUri().toString());
    }

    private static void assertForbidden(CompletableFuture<?> call) {
        assertThatThrownBy(call::get).isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(((JingneiException) e.getCause()).kind()).isEqualTo(ErrorKind.FORBIDDEN))
                .satisfies(e -> assertThat(e.getCause().getMessage()).contains("symbolic links").doesNotContain("sk-outside"));
    }

    @Test
    void a_link_to_a_file_outside_is_refused_for_reads_of_every_kind() {
        URI link = uri(allowed.resolve("secret-link.txt"));

        assertForbidden(store.get(link));
        assertForbidden(store.open(link));
        assertForbidden(store.getRange(link, 0, 8));
        assertForbidden(store.etag(link));
        assertForbidden(store.get(uri(allowed.resolve("escape/secret.txt"))));
    }

    @Test
    void writes_through_a_linked_folder_a_linked_file_or_a_dangling_link_are_refused_and_write_nothing_outside() throws Exception {
        byte[] evil = "overwritten".getBytes(StandardCharsets.UTF_8);

        assertForbidden(store.put(uri(allowed.resolve("escape/new.jsonl")), evil, "text/plain"));
        assertForbidden(store.put(uri(allowed.resolve("escape/deeper/new.jsonl")), evil, "text/plain"));
        assertForbidden(store.put(uri(allowed.resolve("secret-link.txt")), evil, "text/plain"));
        assertForbidden(store.put(uri(allowed.resolve("dangling.jsonl")), evil, "text/plain"));

        try (var left = Files.list(outside)) {
            assertThat(left).containsExactly(outside.resolve("secret.txt"));
        }
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("LLM key: sk-outside");
    }

    @Test
    void a_listing_leaves_out_what_links_lead_to() throws Exception {
        List<URI> listed = store.list(uri(allowed)).get();

        assertThat(listed).extracting(URI::getPath).containsExactly(allowed.resolve("faq.md").toString());
    }

    @Test
    void files_inside_read_and_write_as_before_also_in_new_folders() throws Exception {
        assertThat(new String(store.get(uri(allowed.resolve("faq.md"))).get().bytes, StandardCharsets.UTF_8)).isEqualTo("退款24小时内发起。");

        store.put(uri(allowed.resolve("out/new/index.jnix")), new byte[] {1, 2, 3}, "application/octet-stream").get();

        assertThat(Files.readAllBytes(allowed.resolve("out/new/index.jnix"))).containsExactly(1, 2, 3);
    }

    @Test
    void an_allowed_folder_that_is_itself_a_link_keeps_working() throws Exception {
        Path linkedFolder = Files.createSymbolicLink(temp.toRealPath().resolve("kb-link"), allowed);
        GuardedStore viaLink = new GuardedStore(new FileObjectStore(),
                StorageAllowList.from(Env.of(Map.of("JINGNEI_STORAGE_ALLOW", linkedFolder.toUri().toString()))));

        assertThat(viaLink.get(uri(linkedFolder.resolve("faq.md"))).get().bytes).isNotEmpty();
        assertForbidden(viaLink.get(uri(linkedFolder.resolve("secret-link.txt"))));
    }
}
