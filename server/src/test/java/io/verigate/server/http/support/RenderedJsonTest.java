package io.verigate.server.http.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.json.JavalinJackson;
import io.verigate.server.account.Mode;
import io.verigate.server.activation.Activation;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.wallet.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RenderedJsonTest {
  private static final Instant CREATED = Instant.parse("2026-12-07T10:00:00Z");

  private final AtomicInteger rendered = new AtomicInteger();
  private final RenderedJson<Void> json = RenderedJson.of(activation -> {
    rendered.incrementAndGet();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", activation.status().name());
    body.put("code", activation.code());
    return body;
  });
  private final JavalinJackson mapper = new JavalinJackson();

  private static Activation waiting(int id) {
    return new Activation(id, 7, Mode.LIVE, "wa", "US", "any", 1, "+14155550101", Money.parse("0.50"), 9,
        ActivationStatus.WAITING, null, null, null, null, CREATED, CREATED.plus(Duration.ofMinutes(20)), null, 0, null);
  }

  @Test
  void anUnchangedActivationIsWrittenOnce() {
    Activation waiting = waiting(1);

    assertThat(json.json(waiting, null, mapper)).isEqualTo("{\"status\":\"WAITING\",\"code\":null}");
    assertThat(json.json(waiting, null, mapper)).isEqualTo("{\"status\":\"WAITING\",\"code\":null}");
    assertThat(rendered).hasValue(1);
  }

  @Test
  void aChangeIsShownAtOnce() {
    Activation waiting = waiting(1);
    json.json(waiting, null, mapper);

    Activation received = waiting.receive("123456", "Your code is 123456", "WhatsApp", CREATED.plusSeconds(30));

    assertThat(json.json(received, null, mapper)).isEqualTo("{\"status\":\"RECEIVED\",\"code\":\"123456\"}");
    assertThat(rendered).hasValue(2);
  }

  @Test
  void aStaleReadDoesNotShowItsOlderJsonAsNewer() {
    Activation waiting = waiting(1);
    Activation received = waiting.receive("123456", "Your code is 123456", "WhatsApp", CREATED.plusSeconds(30));
    json.json(received, null, mapper);

    assertThat(json.json(waiting, null, mapper)).contains("WAITING");
    assertThat(json.json(received, null, mapper)).contains("RECEIVED");
  }

  @Test
  void activationsAreKeptApart() {
    assertThat(json.json(waiting(1), null, mapper)).isEqualTo(json.json(waiting(2), null, mapper));
    assertThat(json.json(waiting(2).receive("654321", "654321", "WhatsApp", CREATED.plusSeconds(5)), null, mapper))
        .contains("654321");
    assertThat(json.json(waiting(1), null, mapper)).doesNotContain("654321");
  }

  @Test
  void whatIsShownWithTheActivationIsWrittenAgainWhenAnotherCopyOfItComes() {
    AtomicInteger renderedWith = new AtomicInteger();
    RenderedJson<List<String>> withMessages = new RenderedJson<>((activation, messages) -> {
      renderedWith.incrementAndGet();
      return Map.of("status", activation.status().name(), "messages", messages);
    });
    Activation waiting = waiting(1);
    List<String> none = new ArrayList<>();
    List<String> one = List.of("Your code is 123456");

    assertThat(withMessages.json(waiting, none, mapper)).contains("\"messages\":[]");
    assertThat(withMessages.json(waiting, none, mapper)).contains("\"messages\":[]");
    assertThat(renderedWith).as("the same copy of the messages").hasValue(1);
    assertThat(withMessages.json(waiting, one, mapper)).contains("123456");
    assertThat(withMessages.json(waiting, new ArrayList<>(), mapper)).as("a copy read afresh")
        .contains("\"messages\":[]");
    assertThat(renderedWith).hasValue(3);
  }
}
