package io.verigate.server.system;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Switches the process's log lines to the configured {@link Config.LogFormat}. {@code logback.xml} writes text; for
 * {@code json} each appender of the root logger that writes to a stream gets logback's own JSON encoder instead, so
 * every line is one JSON object a log shipper reads without a pattern. Messages are written as formatted (codes
 * already masked by whoever logs them); the raw arguments are left out, so nothing a message leaves out of its text
 * reaches the log.
 */
public final class Logging {
  private Logging() {}

  /** Applies {@code format} to the logging of this process; the text of {@code logback.xml} needs nothing. */
  public static void use(Config.LogFormat format) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (format == Config.LogFormat.JSON && factory instanceof LoggerContext context) {
      useJson(context);
    }
  }

  static void useJson(LoggerContext context) {
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
      if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> stream) {
        JsonEncoder json = new JsonEncoder();
        json.setContext(context);
        json.setWithContext(false);
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithMessage(false);
        json.setWithArguments(false);
        json.setWithFormattedMessage(true);
        json.start();
        // Swapped on the running appender: stopping it would close its stream, which only a console appender reopens.
        Encoder<ILoggingEvent> text = stream.getEncoder();
        stream.setEncoder(json);
        text.stop();
      }
    }
  }
}
