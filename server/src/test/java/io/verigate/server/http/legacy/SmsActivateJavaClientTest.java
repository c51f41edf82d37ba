package io.verigate.server.http.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verigate.server.testing.MutableClock;
import io.verigate.server.testing.TestApp;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ru.sms_activate.SMSActivateApi;
import ru.sms_activate.client_enums.SMSActivateClientStatus;
import ru.sms_activate.error.SMSActivateUnknownException;
import ru.sms_activate.error.base.SMSActivateBaseException;
import ru.sms_activate.error.base.SMSActivateBaseTypeError;
import ru.sms_activate.error.wrong_parameter.SMSActivateWrongParameter;
import ru.sms_activate.error.wrong_parameter.SMSActivateWrongParameterException;
import ru.sms_activate.response.api_activation.SMSActivateActivation;
import ru.sms_activate.response.api_activation.SMSActivateGetStatusResponse;
import ru.sms_activate.response.api_activation.enums.SMSActivateGetStatusActivation;
import ru.sms_activate.response.api_activation.enums.SMSActivateServerStatus;
import ru.sms_activate.response.api_activation.enums.SMSActivateStatusNumber;

/**
 * The official sms-activate Java client ({@code ru.sms-activate:SMSActivateApi} 1.5.9 from Maven Central),
 * unchanged, against a real node in the sandbox: its host is fixed in the library, so {@link SmsActivateHost}
 * routes it here. It parses ids as int and phones as long, splits answers on ':' and reads anything but HTTP 200
 * as gzip, so this passing shows those quirks are met.
 */
class SmsActivateJavaClientTest {
  private static final int USA = 187;
  private static final int POLLS = 200;

  private static MutableClock clock;
  private static TestApp app;
  private static Shop shop;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.now());
    app = TestApp.start(false, Map.of(), clock);
    shop = new Shop(app, clock);
    SmsActivateHost.routeTo(app.baseUrl());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void buysWaitsForTheCodeAsksForAnotherAndFinishes() throws Exception {
    SMSActivateApi client = new SMSActivateApi(shop.sandboxKey());

    SMSActivateActivation activation = client.getNumber(USA, "wa");
    assertThat(activation.getId()).isPositive();
    assertThat(String.valueOf(activation.getNumber())).matches("1\\d{10}");
    BigDecimal afterPurchase = client.getBalance();

    SMSActivateGetStatusResponse first = awaitCode(client, activation.getId());
    assertThat(first.getCodeFromSMS()).matches("\\d{6}");
    assertThat(client.setStatus(activation, SMSActivateClientStatus.MESSAGE_WAS_SENT).getSMSActivateAccessStatus())
        .isEqualTo(SMSActivateServerStatus.READY);
    assertThat(client.setStatus(activation, SMSActivateClientStatus.REQUEST_ONE_MORE_CODE).getSMSActivateAccessStatus())
        .isEqualTo(SMSActivateServerStatus.RETRY_GET);
    assertThat(client.getStatus(activation).getSMSActivateGetStatus())
        .isIn(SMSActivateGetStatusActivation.WAIT_RETRY, SMSActivateGetStatusActivation.OK);
    assertThat(awaitCode(client, activation.getId()).getCodeFromSMS()).matches("\\d{6}");
    var fullSms = client.getFullSms(activation);
    assertThat(fullSms.getSmsActivateGetFullTypeResponse()).isEqualTo(SMSActivateStatusNumber.FULL_SMS);
    assertThat(fullSms.getText()).startsWith("Your WhatsApp code:");

    assertThat(client.setStatus(activation, SMSActivateClientStatus.FINISH).getSMSActivateAccessStatus())
        .isEqualTo(SMSActivateServerStatus.FINISH);
    assertThat(client.getBalance()).isEqualByComparingTo(afterPurchase);
    assertThat(client.getBalanceAndCashBack().getCashBack()).isEqualByComparingTo("0");
  }

  @Test
  void cancelsAfterTheEarlyCancelGuardAndGetsTheMoneyBack() throws Exception {
    SMSActivateApi client = new SMSActivateApi(shop.sandboxKey());
    // The first purchase tops the sandbox wallet up; the one measured comes after it.
    client.getNumber(USA, "tg");
    BigDecimal before = client.getBalance();

    SMSActivateActivation quiet = client.getNumber(USA, "wa", false, new HashSet<>(Set.of("nocode")), null);
    assertThat(client.getBalance()).isEqualByComparingTo(before.subtract(new BigDecimal("0.50")));
    assertThatThrownBy(() -> client.setStatus(quiet, SMSActivateClientStatus.CANCEL))
        .isInstanceOfSatisfying(SMSActivateUnknownException.class,
            e -> assertThat(e.getMessageUnknownError()).contains("EARLY_CANCEL_DENIED"));

    clock.advance(Duration.ofMinutes(3));

    assertThat(client.setStatus(quiet, SMSActivateClientStatus.CANCEL).getSMSActivateAccessStatus())
        .isEqualTo(SMSActivateServerStatus.CANCEL);
    assertThat(client.getStatus(quiet).getSMSActivateGetStatus()).isEqualTo(SMSActivateGetStatusActivation.CANCEL);
    assertThat(client.getFullSms(quiet).getSmsActivateGetFullTypeResponse()).isEqualTo(SMSActivateStatusNumber.CANCEL);
    assertThat(client.getBalance()).isEqualByComparingTo(before);
  }

  @Test
  void reportsABadKeyAnUnknownServiceAndNoNumbersAsTheLibrarysOwnErrors() {
    assertThatThrownBy(() -> new SMSActivateApi("not-a-key").getBalance())
        .isInstanceOfSatisfying(SMSActivateWrongParameterException.class,
            e -> assertThat(e.getWrongParameter()).isEqualTo(SMSActivateWrongParameter.BAD_KEY));

    SMSActivateApi client = new SMSActivateApi(app.sandboxKey());
    assertThatThrownBy(() -> client.getNumber(USA, "zz"))
        .isInstanceOfSatisfying(SMSActivateWrongParameterException.class,
            e -> assertThat(e.getWrongParameter()).isEqualTo(SMSActivateWrongParameter.BAD_SERVICE));
    assertThatThrownBy(() -> client.getNumber(USA, "wa", false, new HashSet<>(Set.of("nonumbers")), null))
        .isInstanceOfSatisfying(SMSActivateBaseException.class,
            e -> assertThat(e.getTypeError()).isEqualTo(SMSActivateBaseTypeError.NO_NUMBERS));
    assertThatThrownBy(() -> client.getNumber(9999, "wa"))
        .isInstanceOfSatisfying(SMSActivateWrongParameterException.class,
            e -> assertThat(e.getWrongParameter()).isEqualTo(SMSActivateWrongParameter.BAD_COUNTRY));
  }

  @Test
  void readsCountriesPricesAndStockThroughTheLibrary() throws Exception {
    SMSActivateApi client = new SMSActivateApi(app.sandboxKey());

    assertThat(client.getCountries().get(USA).getEnglishName()).isEqualTo("United States");
    var price = client.getPricesByCountryIdAndServiceShortName(USA, "wa").getPriceInfo(USA, "wa");
    assertThat(price.getCost()).isEqualByComparingTo("0.50");
    assertThat(price.getCountPhoneNumbers()).isPositive();
    assertThat(client.getNumbersStatus(USA, null).getSMSActivateServiceInfoByShortName("wa").getCountPhoneNumber())
        .isPositive();
  }

  private static SMSActivateGetStatusResponse awaitCode(SMSActivateApi client, int id) throws Exception {
    SMSActivateGetStatusResponse status = client.getStatus(id);
    for (int i = 0; i < POLLS && status.getSMSActivateGetStatus() != SMSActivateGetStatusActivation.OK; i++) {
      Thread.sleep(50);
      status = client.getStatus(id);
    }
    assertThat(status.getSMSActivateGetStatus()).as("activation %s", id).isEqualTo(SMSActivateGetStatusActivation.OK);
    return status;
  }
}
