package io.verigate.server.email.smtp;

import io.verigate.server.system.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The TLS context STARTTLS uses, from the certificate and key the operator keeps in a PKCS#12 keystore. */
public final class TlsContexts {
  private TlsContexts() {}

  /** Empty when {@code keystore} is blank (no STARTTLS); a {@link ConfigException} when it cannot be used. */
  public static Optional<SSLContext> fromKeystore(String keystore, String password) {
    if (keystore == null || keystore.isBlank()) {
      return Optional.empty();
    }
    char[] secret = password == null ? new char[0] : password.toCharArray();
    try (InputStream in = Files.newInputStream(Path.of(keystore))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, secret);
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, secret);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return Optional.of(context);
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("smtp-tls-keystore: cannot use " + keystore + " (a PKCS#12 file, with "
          + "smtp-tls-password): " + e.getMessage());
    }
  }
}
