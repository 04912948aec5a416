package io.jingnei.core.storage;

import io.jingnei.core.http.SharedHttpClient;
import io.jingnei.core.util.TimeSource;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;

import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * S3-compatible object storage (S3Proxy, MinIO, OSS, COS) over the instance's shared HTTP client,
 * signed with SigV4. Credentials are asked of the provider on every request.
 */
public final class S3ObjectStore implements ObjectStore {
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");
    private static final Pattern NEXT = Pattern.compile("<NextContinuationToken>([^<]*)</NextContinuationToken>");
    private static final Pattern TRUNCATED = Pattern.compile("<IsTruncated>true</IsTruncated>");

    private final SharedHttpClient http;
    private final S3Settings settings;
    private final CredentialsProvider credentials;
    private final TimeSource time;
    private final StorageRetries retries;

    public S3ObjectStore(SharedHttpClient http, S3Settings settings, CredentialsProvider credentials, TimeSource time) {
        this.http = http;
        this.settings = settings;
        this.credentials = credentials;
        this.time = time;
        this.retries = new StorageRetries(settings.maxRetries);
    }

    @Override
    public CompletableFuture<StoredObject> get(URI uri) {
        return send(uri, "GET", List.of(), Map.of(), null).thenApply(r -> new StoredObject(body(r), etag(r)));
    }

    @Override
    public CompletableFuture<byte[]> getRange(URI uri, long offset, long length) {
        return send(uri, "GET", List.of(), Map.of("Range", "bytes=" + offset + "-" + (offset + length - 1)), null)
                .thenApply(S3ObjectStore::body);
    }

    @Override
    public CompletableFuture<String> etag(URI uri) {
        return send(uri, "HEAD", List.of(), Map.of(), null).thenApply(S3ObjectStore::etag);
    }

    @Override
    public CompletableFuture<Void> put(URI uri, byte[] bytes, String contentType) {
        return send(uri, "PUT", List.of(), Map.of("Content-Type", contentType), bytes).thenApply(r -> null);
    }

    /**
     * Sends every dialect's create-only header: OSS and COS honour their own and ignore the other,
     * S3 and S3-compatible servers honour {@code If-None-Match}. Refused with 409 (OSS, COS) or 412
     * (S3) when the object exists. A retried attempt that finds its own first write counts as taken.
     */
    @Override
    public CompletableFuture<Boolean> putIfAbsent(URI uri, byte[] bytes, String contentType) {
        Map<String, String> headers = Map.of("Content-Type", contentType, "If-None-Match", "*",
                "x-oss-forbid-overwrite", "true", "x-cos-forbid-overwrite", "true");
        return send(uri, "PUT", List.of(), headers, bytes).handle((response, error) -> {
            if (error == null) {
                return true;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof ObjectStoreException && ((ObjectStoreException) cause).reason() == ObjectStoreException.Reason.EXISTS) {
                return false;
            }
            throw cause instanceof RuntimeException ? (RuntimeException) cause : new java.util.concurrent.CompletionException(cause);
        });
    }

    @Override
    public CompletableFuture<Void> delete(URI uri) {
        return send(uri, "DELETE", List.of(), Map.of(), new byte[0]).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<List<URI>> list(URI prefix) {
        return listFrom(prefix, null, new ArrayList<>());
    }

    private CompletableFuture<List<URI>> listFrom(URI prefix, String token, List<URI> found) {
        List<Map.Entry<String, String>> query = new ArrayList<>();
        query.add(new AbstractMap.SimpleEntry<>("list-type", "2"));
        query.add(new AbstractMap.SimpleEntry<>("prefix", key(prefix)));
        if (token != null) {
            query.add(new AbstractMap.SimpleEntry<>("continuation-token", token));
        }
        URI bucketUri = URI.create(prefix.getScheme() + "://" + prefix.getHost() + "/");
        return send(bucketUri, "GET", query, Map.of(), null).thenCompose(response -> {
            String xml = new String(body(response), StandardCharsets.UTF_8);
            Matcher keys = KEY.matcher(xml);
            while (keys.find()) {
                found.add(URI.create(prefix.getScheme() + "://" + prefix.getHost() + "/" + SigV4Signer.encode(unescape(keys.group(1)), false)));
            }
            Matcher next = NEXT.matcher(xml);
            if (TRUNCATED.matcher(xml).find() && next.find()) {
                return listFrom(prefix, unescape(next.group(1)), found);
            }
            return CompletableFuture.completedFuture(found);
        });
    }

    /** One request, retried with backoff on 5xx, resets and timeouts; every request is idempotent here. */
    private CompletableFuture<SimpleHttpResponse> send(URI uri, String method, List<Map.Entry<String, String>> query,
                                                       Map<String, String> extraHeaders, byte[] body) {
        return retries.run(uri, () -> sendOnce(uri, method, query, extraHeaders, body));
    }

    private CompletableFuture<SimpleHttpResponse> sendOnce(URI uri, String method, List<Map.Entry<String, String>> query,
                                                           Map<String, String> extraHeaders, byte[] body) {
        CompletableFuture<SimpleHttpResponse> result = new CompletableFuture<>();
        try {
            final SimpleHttpRequest request = signed(uri, method, query, extraHeaders, body);
            http.execute(SimpleRequestProducer.create(request), SimpleResponseConsumer.create(),
                    new FutureCallback<SimpleHttpResponse>() {
                        @Override
                        public void completed(SimpleHttpResponse response) {
                            if (response.getCode() / 100 == 2) {
                                result.complete(response);
                            } else {
                                result.completeExceptionally(httpError(uri, response.getCode(), response.getBodyText()));
                            }
                        }

                        @Override
                        public void failed(Exception e) {
                            result.completeExceptionally(transportError(uri, e));
                        }

                        @Override
                        public void cancelled() {
                            result.cancel(false);
                        }
                    });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    @Override
    public CompletableFuture<StoredStream> open(URI uri) {
        return retries.run(uri, (List<String> retried) -> {
            CompletableFuture<StoredStream> opened = new CompletableFuture<>();
            try {
                SimpleHttpRequest request = signed(uri, "GET", List.of(), Map.of(), null);
                StreamingBodyConsumer consumer = new StreamingBodyConsumer(uri, opened, retried);
                java.util.concurrent.Future<Void> inFlight = http.execute(SimpleRequestProducer.create(request), consumer,
                        consumer.callback());
                consumer.onAbort(() -> inFlight.cancel(true));
            } catch (RuntimeException e) {
                opened.completeExceptionally(e);
            }
            return opened;
        });
    }

    static ObjectStoreException transportError(URI uri, Exception e) {
        boolean timeout = e instanceof InterruptedIOException;
        return new ObjectStoreException(timeout ? ObjectStoreException.Reason.TIMEOUT : ObjectStoreException.Reason.UNAVAILABLE,
                uri, (timeout ? "timed out: " : "cannot reach the object store: ") + e.getClass().getSimpleName(), true, e);
    }

    private SimpleHttpRequest signed(URI uri, String method, List<Map.Entry<String, String>> query,
                                     Map<String, String> extraHeaders, byte[] body) {
        String scheme = uri.getScheme();
        String bucket = uri.getHost();
        String key = key(uri);
        String rawQuery = query.stream()
                .map(e -> SigV4Signer.encode(e.getKey(), true) + "=" + SigV4Signer.encode(e.getValue(), true))
                .collect(Collectors.joining("&"));
        URI url = settings.objectUrl(uri, scheme, bucket, key, rawQuery);
        String payloadHash = body == null ? SigV4Signer.EMPTY_SHA256 : io.jingnei.core.util.Hashing.sha256Hex(body);
        java.time.Instant now = time.now();

        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of(url.getRawAuthority()));
        headers.put("x-amz-date", List.of(SigV4Signer.amzDate(now)));
        headers.put("x-amz-content-sha256", List.of(payloadHash));
        extraHeaders.forEach((name, value) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), List.of(value)));
        Optional<Credentials> creds = credentials.get();
        if (creds.isPresent() && creds.get().sessionToken != null) {
            headers.put("x-amz-security-token", List.of(creds.get().sessionToken));
        }
        http.timeoutsFor(url.getHost(), settings.connectTimeout, settings.readTimeout);
        SimpleRequestBuilder builder = SimpleRequestBuilder.create(method).setUri(url)
                // Storage has its own timeouts: a large index streams for a while, an LLM answer is
                // a different kind of wait.
                .setRequestConfig(settings.requestConfig());
        headers.forEach((name, values) -> {
            if (!name.equals("host")) {
                builder.addHeader(name, values.get(0));
            }
        });
        if (creds.isPresent()) {
            String path = settings.pathStyle ? "/" + bucket + "/" + key : "/" + key;
            SigV4Signer.Request toSign = new SigV4Signer.Request(method, path, query, headers, payloadHash);
            builder.addHeader("Authorization", SigV4Signer.authorization(toSign, creds.get(), settings.signingRegion(scheme, uri), "s3", now));
        }
        if (body != null) {
            builder.setBody(body, ContentType.parse(extraHeaders.getOrDefault("Content-Type", "application/octet-stream")));
        }
        return builder.build();
    }

    /** The status and S3 error code only: an error body may quote the request, signature included. */
    static ObjectStoreException httpError(URI uri, int status, String body) {
        String text = body == null ? "" : body;
        Matcher code = CODE.matcher(text);
        String detail = "HTTP " + status + (code.find() && code.group(1).matches("[A-Za-z0-9.]{1,64}") ? " " + code.group(1) : "");
        switch (status) {
            case 404:
                return new ObjectStoreException(ObjectStoreException.Reason.NOT_FOUND, uri, "not found (" + detail + ")");
            case 409:
            case 412:
                return new ObjectStoreException(ObjectStoreException.Reason.EXISTS, uri, "already exists (" + detail + ")");
            case 401:
            case 403:
                return new ObjectStoreException(ObjectStoreException.Reason.ACCESS_DENIED, uri,
                        "access denied (" + detail + "); check the credentials and the bucket policy");
            default:
                return new ObjectStoreException(ObjectStoreException.Reason.UNAVAILABLE, uri, "object store answered " + detail,
                        status >= 500 || status == 429, null);
        }
    }

    /** The object key: the URI path without its leading slash, decoded. */
    static String key(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static byte[] body(SimpleHttpResponse response) {
        return response.getBodyBytes() == null ? new byte[0] : response.getBodyBytes();
    }

    private static String etag(SimpleHttpResponse response) {
        return response.getFirstHeader("ETag") == null ? "" : response.getFirstHeader("ETag").getValue().replace("\"", "");
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }
}
