package io.jingnei.bench;

import java.util.Map;

/** Something OpenAI clients can be pointed at: the upstream itself, Jingnei, or Portkey. */
final class Gateway {
    final String name;
    final String baseUrl;
    final Map<String, String> headers;
    final Process process;

    Gateway(String name, String baseUrl, Map<String, String> headers, Process process) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.headers = headers;
        this.process = process;
    }
}
