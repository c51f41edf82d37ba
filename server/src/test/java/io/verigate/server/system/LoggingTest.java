package io.verigate.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code log-format=json}: every line one JSON object with the formatted (masked) message and nothing more of it. */
class LoggingTest {
  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();

  private void textAppenderOnRoot() {
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as logback's own set-up gives one
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n");
    text.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setName("STDERR");
    appender.setEncoder(text);
    appender.setOutputStream(written);
    appender.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
  }

  private List<String> lines() {
    return written.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void jsonWritesOneObjectPerLineWithTheFormattedMessageButNotItsArguments() throws Exception {
    textAppenderOnRoot();
    Logging.useJson(context);

    context.getLogger("io.verigate.server.inbound.InboundPipeline")
        .info("inbound message {} to {}: activation={} code={}", 7, "+14155550101", 100001, "******");
    context.getLogger("io.verigate.server.App").warn("a line with \"quotes\" and a\nnewline");

    List<String> lines = lines();
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertThat(first.get("level").asText()).isEqualTo("INFO");
    assertThat(first.get("loggerName").asText()).isEqualTo("io.verigate.server.inbound.InboundPipeline");
    assertThat(first.get("formattedMessage").asText())
        .isEqualTo("inbound message 7 to +14155550101: activation=100001 code=******");
    assertThat(first.get("timestamp").asLong()).isPositive();
    assertThat(first.has("arguments")).isFalse();
    assertThat(first.has("message")).as("the raw pattern").isFalse();
    assertThat(json.readTree(lines.get(1)).get("formattedMessage").asText())
        .isEqualTo("a line with \"quotes\" and a\nnewline");
  }

  @Test
  void theFormatIsAConfigurationKeyWithTextByDefault() {
    assertThat(Config.defaults(java.util.Map.of()).logFormat()).isEqualTo(Config.LogFormat.TEXT);
    assertThat(Config.defaults(java.util.Map.of("log-format", "JSON")).logFormat()).isEqualTo(Config.LogFormat.JSON);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Config.defaults(java.util.Map.of("log-format", "xml")))
        .isInstanceOf(ConfigException.class).hasMessage("log-format must be text or json, got 'xml'");
  }
}
