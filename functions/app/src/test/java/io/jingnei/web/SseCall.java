package io.jingnei.web;

import io.restassured.RestAssured;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A raw SSE call: the status, headers, and each {@code data:} payload with the time it arrived. */
final class SseCall {
    final HttpResponse<InputStream> response;
    final List<String> events = new ArrayList<>();
    final List<Long> arrivalsNanos = new ArrayList<>();
    final String body;
    /** The body ended without its last chunk (the connection was reset or closed mid-way). */
    final boolean endedAbruptly;

    private SseCall(HttpResponse<InputStream> response, int stopAfter) throws Exception {
        this.response = response;
        StringBuilder all = new StringBuilder();
        boolean abrupt = false;
        try (InputStream in = response.body();
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                all.append(line).append('\n');
                if (line.startsWith("data: ")) {
                    events.add(line.substring(6));
                    arrivalsNanos.add(System.nanoTime());
                    if (events.size() == stopAfter) {
                        break; // closing the stream drops the connection: the client went away
                    }
                }
            }
        } catch (java.io.IOException cut) {
            abrupt = true;
        }
        this.endedAbruptly = abrupt;
        this.body = all.toString();
    }

    static SseCall post(String path, String json, String clientKey) throws Exception {
        return post(path, json, clientKey, Integer.MAX_VALUE);
    }

    static SseCall post(String path, String json, String clientKey, int stopAfter) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (clientKey != null) {
            request.header("Authorization", "Bearer " + clientKey);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return new SseCall(client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()), stopAfter);
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
