package io.jingnei.core.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jingnei.core.config.Env;
import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.storage.CredentialsProvider;
import io.jingnei.core.storage.S3ObjectStore;
import io.jingnei.core.storage.S3Settings;
import io.jingnei.core.util.TimeSource;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A knowledge base in S3Proxy for the packaged index-build handlers' tests, written through the
 * core's own signed S3 client as a user's upload would be: text files, and DOCX files written by
 * POI itself (a real tool, not hand-made bytes).
 */
public final class KnowledgeBaseFiles implements AutoCloseable {
    private final SharedHttpClient http = new SharedHttpClient(2, Duration.ofSeconds(2), Duration.ofSeconds(10));
    private final S3ObjectStore store;
    private final String base;

    /** {@code base} like {@code oss://bucket/}: keys are relative to it. */
    public KnowledgeBaseFiles(S3ProxyServer s3, String base) {
        Env env = Env.of(s3.env());
        this.store = new S3ObjectStore(http, S3Settings.from(env), CredentialsProvider.chain(env, Optional::empty), TimeSource.system());
        this.base = base;
    }

    public void putText(String key, String text) throws Exception {
        store.put(URI.create(base + key), text.getBytes(StandardCharsets.UTF_8), "text/plain").get(10, TimeUnit.SECONDS);
    }

    /** A DOCX with one heading (Word's Heading 1 style) and one paragraph under it. */
    public void putDocx(String key, String heading, String text) throws Exception {
        try (XWPFDocument docx = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            var title = docx.createParagraph();
            title.setStyle("Heading1");
            title.createRun().setText(heading);
            docx.createParagraph().createRun().setText(text);
            docx.write(out);
            store.put(URI.create(base + key), out.toByteArray(),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document").get(10, TimeUnit.SECONDS);
        }
    }

    /** The version the index pointer at {@code key} serves. */
    public long pointerVersion(String key) throws Exception {
        byte[] pointer = store.get(URI.create(base + key)).get(10, TimeUnit.SECONDS).bytes;
        return new ObjectMapper().readTree(pointer).path("version").asLong();
    }

    @Override
    public void close() {
        http.close();
    }
}
