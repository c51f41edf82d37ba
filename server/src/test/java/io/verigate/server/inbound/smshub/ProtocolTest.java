package io.verigate.server.inbound.smshub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.verigate.server.activation.ActivationStatus;
import io.verigate.server.http.support.Json;
import io.verigate.server.inbound.smshub.Protocol.FinishStatus;
import io.verigate.server.system.Failure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolTest {

  @Test
  void everyEndOfAnActivationTellsTheAgentWhetherItSoldAndMayOfferTheNumberAgain() {
    assertThat(FinishStatus.of(ActivationStatus.FINISHED).code).isEqualTo(3);
    assertThat(FinishStatus.of(ActivationStatus.CANCELED).code).isEqualTo(4);
    assertThat(FinishStatus.of(ActivationStatus.EXPIRED).code).isEqualTo(4);
    assertThat(FinishStatus.of(ActivationStatus.BANNED).code).isEqualTo(1);
    assertThatThrownBy(() -> FinishStatus.of(ActivationStatus.RECEIVED)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsStockAndRefusesACountThatIsNotAWholeNumber() {
    assertThat(Protocol.stock(json("{\"countryList\":[{\"country\":\"russia\",\"operatorMap\":{\"beeline\":{\"vk\":10,"
        + "\"wa\":0}}}],\"status\":\"SUCCESS\"}")))
        .containsExactly(new Protocol.StockLine("russia", "beeline", "vk", 10),
            new Protocol.StockLine("russia", "beeline", "wa", 0));
    assertThatThrownBy(() -> Protocol.stock(json("{\"countryList\":[{\"country\":\"russia\",\"operatorMap\":{\"mts\":"
        + "{\"vk\":\"10\"}}}],\"status\":\"SUCCESS\"}"))).isInstanceOf(Protocol.AgentException.class);
    assertThatThrownBy(() -> Protocol.stock(json("{\"status\":\"ERROR\",\"error\":\"maintenance\"}")))
        .hasMessageContaining("maintenance");
  }

  @Test
  void readsANumberOrNoNumbers() {
    assertThat(Protocol.number(json("{\"number\":79281234567,\"activationId\":355,\"status\":\"SUCCESS\"}")))
        .contains(new Protocol.Given("79281234567", 355));
    assertThat(Protocol.number(json("{\"status\":\"NO_NUMBERS\"}"))).isEmpty();
    assertThatThrownBy(() -> Protocol.number(json("{\"number\":-7,\"activationId\":355,\"status\":\"SUCCESS\"}")))
        .isInstanceOf(Protocol.AgentException.class);
  }

  @Test
  void takesAPushedSmsWithNumbersAsNumbersOrDigitsButNothingElse() {
    assertThat(Protocol.pushSms(json("{\"smsId\":1,\"phoneFrom\":\"Vk\",\"phone\":79281234567,\"text\":\"VK: 33708\","
        + "\"action\":\"PUSH_SMS\",\"key\":\"k\"}"))).isEqualTo(new Protocol.PushSms("1", "79281234567", "Vk", "VK: 33708"));
    assertThat(Protocol.pushSms(json("{\"smsId\":\"12\",\"phoneFrom\":900,\"phone\":\"79281234567\",\"text\":\"\","
        + "\"action\":\"PUSH_SMS\"}")).phoneFrom()).isEqualTo("900");
    assertThatThrownBy(() -> Protocol.pushSms(json("{\"smsId\":1.5,\"phoneFrom\":\"Vk\",\"phone\":79281234567,"
        + "\"text\":\"x\",\"action\":\"PUSH_SMS\"}"))).isInstanceOf(Failure.class).hasMessageContaining("smsId");
    assertThatThrownBy(() -> Protocol.pushSms(json("{\"smsId\":1,\"phoneFrom\":\"Vk\",\"phone\":79281234567,"
        + "\"text\":\"x\",\"action\":\"GET_NUMBER\"}"))).isInstanceOf(Failure.class).hasMessageContaining("action");
  }

  @Test
  void retriesAFailedFinishAfterTenSecondsThenLessOftenUpToTenMinutesForADay() {
    List<Duration> delays = FinishRelay.SCHEDULE.delays();
    assertThat(delays.subList(0, 3)).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20),
        Duration.ofSeconds(40));
    assertThat(delays).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(10)));
    assertThat(delays.get(delays.size() - 1)).isEqualTo(Duration.ofMinutes(10));
    Duration total = delays.stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(total).isBetween(Duration.ofDays(1), Duration.ofDays(1).plusMinutes(10));
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
