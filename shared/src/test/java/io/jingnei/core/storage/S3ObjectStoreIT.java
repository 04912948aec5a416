package io.jingnei.core.storage;

import io.jingnei.core.config.Env;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.testing.S3ProxyServer;
import io.jingnei.core.util.TimeSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Against S3Proxy, a real S3-compatible server, through the shared HTTP client and the SigV4 signer. */
class S3ObjectStoreIT {
    private static S3ProxyServer server;
    private static SharedHttpClient http;
    private static ObjectStore store;

    @BeforeAll
    static void start() {
        server = S3ProxyServer.start("jingnei-kb");
        http = new SharedHttpClient(8, Duration.ofSeconds(2), Duration.ofSeconds(10));
        store = storeWith(CredentialsProvider.chain(Env.of(server.env()), Optional::empty));
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
    }

    private static ObjectStore storeWith(CredentialsProvider credentials) {
        return new ObjectStores(new FileObjectStore(),
                new S3ObjectStore(http, S3Settings.from(Env.of(server.env())), credentials, TimeSource.system()));
    }

    @Test
    void writes_reads_ranges_and_lists_objects_with_chinese_keys() throws Exception {
        URI uri = URI.create("s3://jingnei-kb/docs/退货%20政策.md");
        byte[] text = "七天无理由退货。".getBytes(StandardCharsets.UTF_8);

        await(store.put(uri, text, "text/markdown; charset=utf-8"));
        await(store.put(URI.create("s3://jingnei-kb/docs/b.md"), "b".getBytes(StandardCharsets.UTF_8), "text/markdown"));
        await(store.put(URI.create("s3://jingnei-kb/other/c.md"), "c".getBytes(StandardCharsets.UTF_8), "text/markdown"));

        StoredObject read = await(store.get(uri));
        assertThat(new String(read.bytes, StandardCharsets.UTF_8)).isEqualTo("七天无理由退货。");
        assertThat(read.etag).isNotBlank().isEqualTo(await(store.etag(uri)));
        assertThat(new String(await(store.getRange(uri, 3, 6)), StandardCharsets.UTF_8)).isEqualTo("天无");
        List<URI> listed = await(store.list(URI.create("s3://jingnei-kb/docs/")));
        assertThat(listed).hasSize(2);
        assertThat(new String(await(store.get(listed.get(1))).bytes, StandardCharsets.UTF_8)).isEqualTo("七天无理由退货。");
    }

    @Test
    void a_create_only_write_is_refused_once_the_object_exists_and_leaves_the_first_writers_bytes() throws Exception {
        URI uri = URI.create("s3://jingnei-kb/claims/run.json");

        assertThat(await(store.putIfAbsent(uri, "first".getBytes(StandardCharsets.UTF_8), "application/json"))).isTrue();
        assertThat(await(store.putIfAbsent(uri, "second".getBytes(StandardCharsets.UTF_8), "application/json"))).isFalse();

        assertThat(new String(await(store.get(uri)).bytes, StandardCharsets.UTF_8)).isEqualTo("first");
    }

    @Test
    void a_create_only_write_on_the_file_system_is_refused_once_the_file_exists() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("claims-");
        URI uri = dir.resolve("run.json").toUri();

        assertThat(await(store.putIfAbsent(uri, "first".getBytes(StandardCharsets.UTF_8), "application/json"))).isTrue();
        assertThat(await(store.putIfAbsent(uri, "second".getBytes(StandardCharsets.UTF_8), "application/json"))).isFalse();

        assertThat(new String(await(store.get(uri)).bytes, StandardCharsets.UTF_8)).isEqualTo("first");
        try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(dir)) {
            assertThat(left).as("no temporary file left behind").hasSize(1);
        }
    }

    @Test
    void a_new_version_has_a_new_etag() throws Exception {
        URI uri = URI.create("s3://jingnei-kb/index.bin");
        await(store.put(uri, new byte[] {1, 2, 3}, "application/octet-stream"));
        String first = await(store.etag(uri));
        await(store.put(uri, new byte[] {4, 5, 6, 7}, "application/octet-stream"));

        assertThat(await(store.etag(uri))).isNotEqualTo(first);
    }

    @Test
    void a_missing_object_is_not_found_and_named() {
        ObjectStoreException error = failure(store.get(URI.create("s3://jingnei-kb/nope/missing.bin")));

        assertThat(error.reason()).isEqualTo(ObjectStoreException.Reason.NOT_FOUND);
        assertThat(error.getMessage()).contains("s3://jingnei-kb/nope/missing.bin").contains("404");
    }

    @Test
    void wrong_credentials_are_access_denied_and_the_secret_is_not_shown() {
        ObjectStore wrong = storeWith(() -> Optional.of(new Credentials(S3ProxyServer.ACCESS_KEY, "not-the-secret-xyz", null)));

        ObjectStoreException error = failure(wrong.get(URI.create("s3://jingnei-kb/index.bin")));

        assertThat(error.reason()).isEqualTo(ObjectStoreException.Reason.ACCESS_DENIED);
        assertThat(error.getMessage()).contains("s3://jingnei-kb/index.bin").contains("403").doesNotContain("not-the-secret-xyz");
    }

    @Test
    void an_unknown_scheme_and_a_missing_endpoint_are_clear_errors() {
        assertThat(failure(store.get(URI.create("ftp://kb/x"))).getMessage()).contains("unsupported scheme 'ftp'");
        ObjectStore noEndpoint = new S3ObjectStore(http, S3Settings.from(Env.of(java.util.Map.of())), Optional::empty, TimeSource.system());
        Throwable error = failureOf(noEndpoint.get(URI.create("s3://jingnei-kb/x")));
        assertThat(error).hasMessageContaining("JINGNEI_S3_ENDPOINT");
    }

    @Test
    void credentials_follow_the_documented_order() {
        Env env = Env.of(java.util.Map.of("AWS_ACCESS_KEY_ID", "aws", "AWS_SECRET_ACCESS_KEY", "s1",
                "ALIBABA_CLOUD_ACCESS_KEY_ID", "ali", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s2", "ALIBABA_CLOUD_SECURITY_TOKEN", "t2",
                "TENCENTCLOUD_SECRETID", "tc", "TENCENTCLOUD_SECRETKEY", "s3"));
        assertThat(CredentialsProvider.chain(env, Optional::empty).get().get().accessKeyId).isEqualTo("aws");
        Env aliyun = Env.of(java.util.Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", "ali", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s2",
                "ALIBABA_CLOUD_SECURITY_TOKEN", "t2"));
        Credentials fromAliyun = CredentialsProvider.chain(aliyun, Optional::empty).get().get();
        assertThat(fromAliyun.accessKeyId).isEqualTo("ali");
        assertThat(fromAliyun.sessionToken).isEqualTo("t2");
        Credentials platform = new Credentials("fc-role", "x", "tok");
        assertThat(CredentialsProvider.chain(Env.of(java.util.Map.of()), () -> Optional.of(platform)).get()).contains(platform);
    }

    @Test
    void oss_and_cos_endpoints_are_derived_from_the_region() {
        S3Settings hangzhou = S3Settings.from(Env.of(java.util.Map.of("JINGNEI_S3_REGION", "cn-hangzhou")));
        URI any = URI.create("oss://kb/a/b.bin");
        assertThat(hangzhou.objectUrl(any, "oss", "kb", "a/b.bin", "").toString()).isEqualTo("https://kb.s3.oss-cn-hangzhou.aliyuncs.com/a/b.bin");
        S3Settings inFc = S3Settings.from(Env.of(java.util.Map.of("FC_REGION", "cn-shanghai", "FC_FUNCTION_NAME", "rag")));
        assertThat(inFc.endpointFor("oss", any)).isEqualTo("https://s3.oss-cn-shanghai-internal.aliyuncs.com");
        S3Settings guangzhou = S3Settings.from(Env.of(java.util.Map.of("TENCENTCLOUD_REGION", "ap-guangzhou")));
        assertThat(guangzhou.objectUrl(any, "cos", "kb-1250000000", "x", "").toString()).isEqualTo("https://kb-1250000000.cos.ap-guangzhou.myqcloud.com/x");
    }

    @Test
    void file_uris_work_the_same_way(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        URI uri = dir.resolve("sub/index.bin").toUri();
        await(store.put(uri, new byte[] {9, 8, 7}, "application/octet-stream"));
        assertThat(await(store.get(uri)).bytes).containsExactly(9, 8, 7);
        assertThat(await(store.list(dir.toUri()))).containsExactly(uri);
        assertThat(failure(store.get(dir.resolve("none").toUri())).reason()).isEqualTo(ObjectStoreException.Reason.NOT_FOUND);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    private static ObjectStoreException failure(CompletableFuture<?> future) {
        Throwable error = failureOf(future);
        assertThat(error).isInstanceOf(ObjectStoreException.class);
        return (ObjectStoreException) error;
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return fail("expected a failure");
    }
}
