package io.jingnei.core.pii;

/** Where one piece of personal information was found. Holds no value, so logging it leaks nothing. */
public final class PiiMatch {
    private final Detector detector;
    private final int start;
    private final int end;

    PiiMatch(Detector detector, int start, int end) {
        this.detector = detector;
        this.start = start;
        this.end = end;
    }

    /** The config name of the kind ({@code phone}, {@code id}, ...) or of the custom pattern. */
    public String kind() {
        return detector.kind();
    }

    /** Index of the first character in the searched text. */
    public int start() {
        return start;
    }

    /** Index after the last character in the searched text. */
    public int end() {
        return end;
    }

    Detector detector() {
        return detector;
    }

    @Override
    public String toString() {
        return kind() + "@" + start + ".." + end;
    }
}
