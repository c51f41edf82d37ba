package io.verigate.server.email;

/**
 * What a received message says, once its MIME structure, transfer encodings and charsets are undone.
 *
 * @param messageId the {@code Message-ID} header without its angle brackets, or null when the message has none
 * @param subject the decoded subject, or "" when it has none
 * @param from the decoded {@code From} header, or "" when it has none
 * @param text the body as plain text: the {@code text/plain} part, or the HTML part made text when there is none
 * @param html the {@code text/html} part, or null when there is none
 */
public record ParsedMail(String messageId, String subject, String from, String text, String html) {}
