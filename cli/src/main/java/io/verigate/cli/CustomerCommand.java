package io.verigate.cli;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.verigate.client.VerigateClient;
import io.verigate.client.VerigateException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The shape of every customer command: calls through the Java SDK with the customer's API key, then prints for a
 * person or, with {@code --json}, one JSON document per line in the REST API's own format (amounts as decimal
 * strings, ISO-8601 timestamps). Refusals and transport failures become {@link OperatorFailure}s with their sysexits
 * code (see {@link ApiRefusal}).
 */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
abstract class CustomerCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = jsonWriter();

  @Mixin
  CustomerConnection connection;

  @Option(names = "--json", order = CustomerConnection.HELP_ORDER + 3,
      description = "print JSON, one document per line, instead of text")
  boolean json;

  @Spec
  CommandSpec spec;

  /** Does the command's work through the SDK; returns the exit code. */
  abstract int run(VerigateClient client) throws InterruptedException;

  @Override
  public final Integer call() throws InterruptedException {
    CustomerSettings settings = connection.settings();
    String node = settings.url().toString();
    VerigateClient client = VerigateClient.create(node, settings.apiKey());
    try {
      return run(client);
    } catch (VerigateException e) {
      throw ApiRefusal.failure(e, settings);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof JsonProcessingException) {
        throw new OperatorFailure(Main.INTERNAL, node + " did not answer as a Verigate node: " + e.getMessage());
      }
      if (e.getCause() instanceof InterruptedIOException) {
        throw new OperatorFailure(Main.INTERNAL, "interrupted while waiting for " + node);
      }
      throw Unreachable.failure(node, e.getCause());
    } finally {
      out().flush();
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** {@code value} as one line of JSON with {@code --json}, otherwise as {@code text} writes it. */
  <T> void show(T value, BiConsumer<T, PrintWriter> text) {
    if (json) {
      out().println(tree(value));
    } else {
      text.accept(value, out());
    }
    out().flush();
  }

  /** {@code value} as one line of JSON with {@code --json}; nothing otherwise (the text said it already). */
  void showJson(Object value) {
    show(value, (ignored, out) -> {});
  }

  /** An SDK record as the JSON the REST API sent. */
  static JsonNode tree(Object value) {
    return JSON.valueToTree(value);
  }

  private static ObjectMapper jsonWriter() {
    ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        // the records' convenience methods (Activation.isWaiting) are not fields of the API's JSON
        .setVisibility(PropertyAccessor.IS_GETTER, Visibility.NONE);
    mapper.configOverride(BigDecimal.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
    return mapper;
  }
}
