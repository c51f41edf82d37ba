package io.verigate.server.http.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code X-Twilio-Signature} against the example Twilio publishes with its SDKs' request validators. */
class TwilioSignatureTest {
  private static final String TOKEN = "12345";
  private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  private static final String PUBLISHED_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

  private static Map<String, List<String>> publishedParams() {
    Map<String, List<String>> params = new LinkedHashMap<>();
    params.put("Digits", List.of("1234"));
    params.put("CallSid", List.of("CA1234567890ABCDE"));
    params.put("To", List.of("+18005551212"));
    params.put("Caller", List.of("+14158675309"));
    params.put("From", List.of("+14158675309"));
    return params;
  }

  @Test
  void signsTwiliosPublishedExampleRequestAsTwilioDoes() {
    assertThat(TwilioSignature.sign(TOKEN, URL, publishedParams())).isEqualTo(PUBLISHED_SIGNATURE);
    assertThat(TwilioSignature.matches(TOKEN, URL, publishedParams(), PUBLISHED_SIGNATURE)).isTrue();
  }

  @Test
  void acceptsTheSignatureOfTheSameUrlWithTheDefaultPortShown() {
    assertThat(TwilioSignature.matches(TOKEN, URL, publishedParams(), "kvajT1Ptam85bY51eRf/AJRuM3w=")).isTrue();
  }

  @Test
  void acceptsTheSignatureOfTheUrlWithoutThePortAProxyAdded() {
    String withPort = URL.replace(".com", ".com:1234");

    assertThat(TwilioSignature.matches(TOKEN, withPort, publishedParams(), PUBLISHED_SIGNATURE)).isTrue();
  }

  @Test
  void refusesAnotherTokenAChangedOrAddedParameterAndAMissingHeader() {
    Map<String, List<String>> changed = publishedParams();
    changed.put("Digits", List.of("4321"));
    Map<String, List<String>> added = publishedParams();
    added.put("Body", List.of("hello"));

    assertThat(TwilioSignature.matches("54321", URL, publishedParams(), PUBLISHED_SIGNATURE)).isFalse();
    assertThat(TwilioSignature.matches(TOKEN, URL, changed, PUBLISHED_SIGNATURE)).isFalse();
    assertThat(TwilioSignature.matches(TOKEN, URL, added, PUBLISHED_SIGNATURE)).isFalse();
    assertThat(TwilioSignature.matches(TOKEN, URL.replace("foo=1", "foo=2"), publishedParams(), PUBLISHED_SIGNATURE)).isFalse();
    assertThat(TwilioSignature.matches(TOKEN, URL, publishedParams(), null)).isFalse();
    assertThat(TwilioSignature.matches(null, URL, publishedParams(), PUBLISHED_SIGNATURE)).as("a source without a token")
        .isFalse();
  }
}
