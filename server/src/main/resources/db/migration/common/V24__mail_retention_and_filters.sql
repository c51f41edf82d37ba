-- The daily mail-retention purge deletes the journal's letters by age; without this index it would read every letter.
CREATE INDEX mail_message_received ON mail_message (received_at);

-- What an email activation waits for, when its customer asked (Kopeechka's sender, subject and regex): only a letter
-- that passes reaches it. Most activations have none, so the filters live apart and cost them nothing.
CREATE TABLE email_filter (
  email_activation_id INTEGER       PRIMARY KEY,
  sender              VARCHAR(320),
  subject             VARCHAR(320),
  regex               VARCHAR(500)
);
