package io.jingnei.core.batch;

/** One input line: a question, or the reason the line could not be read. */
final class Question {
    final int line;
    final String id;
    final String text;
    final String userId;
    final String problem;

    Question(int line, String id, String text, String userId, String problem) {
        this.line = line;
        this.id = id;
        this.text = text;
        this.userId = userId;
        this.problem = problem;
    }
}
