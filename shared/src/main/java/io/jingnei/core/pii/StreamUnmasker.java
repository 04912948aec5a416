package io.jingnei.core.pii;

/**
 * Unmasks one streamed answer whose deltas may cut a placeholder in two ({@code [手机} + {@code 号1]}).
 * Holds back only a trailing piece that could still become a placeholder of its session, at most a
 * bracket, the longest label and a few characters; anything else is emitted at once. Not thread-safe:
 * feed it from one thread at a time, in stream order.
 */
public final class StreamUnmasker {
    private final PiiSession session;
    private String held = "";

    StreamUnmasker(PiiSession session) {
        this.session = session;
    }

    /** Returns the restored text that can be emitted now; may be empty while a placeholder is pending. */
    public String push(String delta) {
        String fresh = delta == null ? "" : delta;
        if (held.isEmpty() && !session.masked()) {
            return fresh;
        }
        String text = held.isEmpty() ? fresh : held + fresh;
        int cut = session.unfinishedPlaceholderStart(text);
        held = text.substring(cut);
        return session.unmask(text.substring(0, cut));
    }

    /** The held-back rest at the end of the stream: an unfinished placeholder, as it was written. */
    public String finish() {
        String rest = held;
        held = "";
        return session.unmask(rest);
    }
}
