package io.verigate.server.email;

/**
 * What became of one letter for one mailbox: its row in the mail journal, the email activation it reached (null when
 * none was live: a late letter, kept all the same), whether it repeated a letter already stored, and what it held.
 */
public record MailReceipt(long messageId, Integer emailActivationId, boolean duplicate, MailFindings findings) {}
