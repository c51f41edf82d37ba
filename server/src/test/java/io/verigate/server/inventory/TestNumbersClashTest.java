package io.verigate.server.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.verigate.server.testing.TestApp;
import io.verigate.server.testing.TestNumbers;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sandbox number drawn by two purchases: the one that comes second learns the number is taken and its transaction
 * goes on, so it can draw again instead of failing.
 */
class TestNumbersClashTest {
  private static TestApp app;

  @BeforeAll
  static void startNode() {
    app = TestApp.start();
  }

  @AfterAll
  static void stopNode() {
    app.close();
  }

  @Test
  void aTestNumberAlreadyHeldIsRefusedAndTheTransactionGoesOn() {
    TestApp.Source source = app.createSource();
    String taken = app.stock(source.name(), "GB", null, 1).get(0);
    String fresh = TestNumbers.freshMobile("GB");
    Inventory inventory = app.app().inventory();

    List<Optional<ReservedNumber>> added = app.app().database().inTransaction(h -> List.of(
        inventory.addTestNumber(h, taken, "GB", "any", source.id()),
        inventory.addTestNumber(h, fresh, "GB", "any", source.id())));

    assertThat(added.get(0)).isEmpty();
    assertThat(added.get(1)).hasValueSatisfying(number -> assertThat(number.e164()).isEqualTo(fresh));
    Optional<Long> committed = app.app().database().withHandle(h -> inventory.numberId(h, fresh));
    assertThat(committed).as("committed").isPresent();
  }
}
