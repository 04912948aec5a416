package io.jingnei.core.llm;

/** What happened during one logical call, for the result and the log line. Written by the retry loop. */
public final class CallTrace {
    private volatile int attempts;

    public int attempts() {
        return attempts;
    }

    void attempt(int number) {
        this.attempts = number;
    }
}
