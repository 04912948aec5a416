package io.jingnei.core.pii;

/** What the gateway does with personal information in a request ({@code JINGNEI_PII}). */
public enum PiiMode {
    /** Replace it with placeholders before the request goes upstream, restore them in the answer. */
    MASK,
    /** Refuse a request that contains it; {@link PiiPolicy#find} says what was found. */
    BLOCK,
    /** Leave text alone: sessions pass text through and {@link PiiPolicy#find} finds nothing. */
    OFF
}
