package io.jingnei.core.rag;

import io.jingnei.core.error.ErrorKind;
import io.jingnei.core.error.JingneiException;

/** This instance was deployed without RAG (JINGNEI_RAG_ENABLED=false): a setting, not an outage. */
public final class RagDisabledException extends JingneiException {
    public RagDisabledException() {
        super(ErrorKind.INDEX_UNAVAILABLE, "RAG is disabled on this function (JINGNEI_RAG_ENABLED=false)");
    }
}
