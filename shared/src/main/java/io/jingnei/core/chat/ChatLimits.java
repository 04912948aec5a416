package io.jingnei.core.chat;

import io.jingnei.core.config.JingneiConfig;

/** Size limits on caller input. */
public final class ChatLimits {
    public final int maxQueryChars;
    public final int maxHistoryChars;
    public final int historyTurns;

    public ChatLimits(int maxQueryChars, int maxHistoryChars, int historyTurns) {
        this.maxQueryChars = maxQueryChars;
        this.maxHistoryChars = maxHistoryChars;
        this.historyTurns = historyTurns;
    }

    public static ChatLimits from(JingneiConfig config) {
        return new ChatLimits(config.maxQueryChars, config.maxHistoryChars, config.historyTurns);
    }
}
