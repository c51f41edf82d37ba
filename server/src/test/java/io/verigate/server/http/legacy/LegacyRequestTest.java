package io.verigate.server.http.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.http.servlet.JavalinServletContextKt;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A query string that needs no decoding is read as Javalin reads it, pair for pair. */
class LegacyRequestTest {
  private static final List<String> NAMES = List.of("api_key", "action", "id", "a", "");

  @Test
  void aPlainQueryStringAnswersWhatJavalinAnswers() {
    for (String query : List.of("", "api_key=k&action=getStatus&id=12", "id=1&id=2", "id", "id=", "=id", "id==1",
        "&&id=3&", "action=getStatus&api_key", "a=1&ab=2&b=3", "xid=4&id=5", "id=6&", "api_key=a=b")) {
      for (String name : NAMES) {
        assertThat(LegacyRequest.plainParam(query, name)).as("%s in '%s'", name, query)
            .isEqualTo(javalin(query, name));
      }
    }
  }

  @Test
  void randomPlainQueryStringsAnswerWhatJavalinAnswers() {
    Random random = new Random(8);
    String alphabet = "ai=d&=&k_";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder query = new StringBuilder();
      for (int n = random.nextInt(14); n > 0; n--) {
        query.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      for (String name : NAMES) {
        assertThat(LegacyRequest.plainParam(query.toString(), name)).as("%s in '%s'", name, query)
            .isEqualTo(javalin(query.toString(), name));
      }
    }
  }

  private static String javalin(String query, String name) {
    Map<String, List<String>> parsed = JavalinServletContextKt.splitKeyValueStringAndGroupByKey(query, "UTF-8");
    List<String> values = parsed.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
