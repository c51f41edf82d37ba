package io.verigate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The settings of a number source, as {@code sources create} sets them and {@code sources configure} changes them.
 * Each applies to one type of source; the node refuses the others. A new setting is one option here and one line in
 * {@link #given}.
 */
final class SourceSettingsOptions {
  /** Any argument {@code @FILE} is the lines of FILE (see {@link Main#commandLine}): how a secret stays out of ps. */
  static final String FROM_FILE = "@FILE reads it from a file";

  @Option(names = "--signing-key", paramLabel = "KEY",
      description = "android: the app's webhook signing key (generated on create when absent); " + FROM_FILE)
  String signingKey;

  @Option(names = "--auth-token", paramLabel = "TOKEN", description = "twilio: the account's auth token; " + FROM_FILE)
  String authToken;

  @Option(names = "--webhook-url", paramLabel = "URL", description = "twilio: the public URL Twilio posts to and signs")
  String webhookUrl;

  @Option(names = "--signature-secret", paramLabel = "SECRET",
      description = "vonage: the account's signature secret, when Vonage signs its webhooks; " + FROM_FILE)
  String signatureSecret;

  @Option(names = "--signature-method", paramLabel = "METHOD",
      description = "vonage: md5hash (default), md5, sha1, sha256 or sha512, as set for the account")
  String signatureMethod;

  @Option(names = "--allow-unsigned", paramLabel = "true|false", arity = "1",
      description = "vonage: take unsigned webhooks while the source has no signature secret (default false)")
  Boolean allowUnsigned;

  @Option(names = "--sim", paramLabel = "SLOT=NUMBER",
      description = "android: which number each SIM slot holds (repeatable; on configure it replaces the whole map)")
  Map<String, String> sims;

  @Option(names = "--agent-url", paramLabel = "URL", description = "smshub: the agent's protocol endpoint")
  String agentUrl;

  @Option(names = "--agent-key", paramLabel = "KEY",
      description = "smshub: the agent's protocol key (generated on create when absent); " + FROM_FILE)
  String agentKey;

  @Option(names = "--host", paramLabel = "HOST", description = "smpp: the SMSC's host")
  String host;

  @Option(names = "--port", paramLabel = "PORT", description = "smpp: the SMSC's port")
  Integer port;

  @Option(names = "--system-id", paramLabel = "ID", description = "smpp: the account's system id")
  String systemId;

  @Option(names = "--password", paramLabel = "PASSWORD", description = "smpp: the account's password; " + FROM_FILE)
  String password;

  @Option(names = "--system-type", paramLabel = "TYPE", description = "smpp: the system type, if the SMSC asks for one")
  String systemType;

  @Option(names = "--bind-type", paramLabel = "TYPE", description = "smpp: receiver (default) or transceiver")
  String bindType;

  @Option(names = "--enquire-link-seconds", paramLabel = "SECONDS",
      description = "smpp: how often an idle link is probed (default 30)")
  Integer enquireLinkSeconds;

  @Option(names = "--reassembly-seconds", paramLabel = "SECONDS",
      description = "smpp: how long the missing parts of a long SMS are waited for (default 60)")
  Integer reassemblySeconds;

  /** The settings given, as the admin API names them; those not given are left out, so the node keeps them. */
  ObjectNode given() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("signingKey", signingKey);
    fields.put("authToken", authToken);
    fields.put("webhookUrl", webhookUrl);
    fields.put("signatureSecret", signatureSecret);
    fields.put("signatureMethod", signatureMethod);
    fields.put("allowUnsigned", allowUnsigned);
    fields.put("sims", sims);
    fields.put("agentUrl", agentUrl);
    fields.put("agentKey", agentKey);
    fields.put("host", host);
    fields.put("port", port);
    fields.put("systemId", systemId);
    fields.put("password", password);
    fields.put("systemType", systemType);
    fields.put("bindType", bindType);
    fields.put("enquireLinkSeconds", enquireLinkSeconds);
    fields.put("reassemblySeconds", reassemblySeconds);
    return AdminClient.body(fields);
  }
}
