package io.verigate.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.verigate.server.http.rest.ApiDocsRoutes;
import io.verigate.server.http.support.Json;
import io.verigate.server.testing.TestApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The documents of the compatibility dialects describe what the node serves: 5sim's document every {@code /v1} route
 * and no other, sms-activate's every action {@code handler_api.php} takes and no other. Their answers are the
 * dialects' own tests' business; here the 5sim document's schemas must accept the node's successful answers.
 */
class DialectDocumentsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final String DOCUMENT_IRI = "https://verigate.test/5sim.json";
  /** Top-level OpenAPI fields: not JSON Schema keywords, so the validator must not warn about them. */
  private static final List<String> OPENAPI_FIELDS =
      List.of("openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security", "tags", "externalDocs");

  private static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void bothAreValidOpenApi31DocumentsWhoseReferencesResolve() {
    for (String resource : List.of(ApiDocsRoutes.SMS_ACTIVATE_RESOURCE, ApiDocsRoutes.FIVESIM_RESOURCE)) {
      ParseOptions options = new ParseOptions();
      options.setResolve(true);
      SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(resource(resource), null, options);

      assertThat(parsed.getMessages()).as(resource).isEmpty();
      assertThat(parsed.getOpenAPI().getOpenapi()).as(resource).isEqualTo("3.1.0");
    }
  }

  @Test
  void theFiveSimDocumentDescribesExactlyTheFiveSimRoutes() {
    JsonNode document = json(get("/api/docs/5sim.json"));
    Set<String> documented = new TreeSet<>();
    document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation ->
        documented.add(operation.getKey().toUpperCase() + " " + path.getKey())));

    assertThat(documented).isEqualTo(app.app().routes().stream().filter(route -> route.contains(" /v1/"))
        .collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void theFiveSimDocumentsSchemasAcceptTheNodesAnswers() {
    String text = get("/api/docs/5sim.json");
    String key = app.sandboxKey();
    assertAnswers(text, "/v1/guest/countries", "/v1/guest/countries", null);
    assertAnswers(text, "/v1/guest/products/{country}/{operator}", "/v1/guest/products/usa/any", key);
    assertAnswers(text, "/v1/guest/prices", "/v1/guest/prices?country=usa&product=whatsapp", null);
    assertAnswers(text, "/v1/user/profile", "/v1/user/profile", key);
    JsonNode order = assertAnswers(text, "/v1/user/buy/activation/{country}/{operator}/{product}",
        "/v1/user/buy/activation/usa/nocode/whatsapp", key);
    String id = order.get("id").asText();
    send("POST", "/api/v1/sandbox/activations/" + id + "/sms", key, "{\"from\":\"WhatsApp\",\"text\":\"Your code: 771-204\"}");
    assertThat(assertAnswers(text, "/v1/user/check/{id}", "/v1/user/check/" + id, key).get("sms")).hasSize(1);
    assertAnswers(text, "/v1/user/sms/inbox/{id}", "/v1/user/sms/inbox/" + id, key);
    assertAnswers(text, "/v1/user/orders", "/v1/user/orders?limit=5&reverse=true", key);
    assertAnswers(text, "/v1/user/finish/{id}", "/v1/user/finish/" + id, key);
  }

  @Test
  void theSmsActivateDocumentListsExactlyTheActionsTheNodeTakes() {
    JsonNode document = json(get("/api/docs/sms-activate.json"));
    JsonNode path = document.at("/paths/~1stubs~1handler_api.php");
    assertThat(texts(path.at("/get/parameters/0/schema/enum")))
        .isEqualTo(texts(path.at("/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/action/enum")));

    List<String> notTaken = new ArrayList<>();
    for (String action : texts(path.at("/get/parameters/0/schema/enum"))) {
      if (handlerApi(action).equals("BAD_ACTION")) {
        notTaken.add(action);
      }
    }
    assertThat(notTaken).as("documented actions the node answers BAD_ACTION").isEmpty();
    // An action sms-activate has and Verigate does not: the document must not list it, and the node refuses it.
    assertThat(texts(path.at("/get/parameters/0/schema/enum"))).doesNotContain("getRentServicesAndCountries");
    assertThat(handlerApi("getRentServicesAndCountries")).isEqualTo("BAD_ACTION");
  }

  @Test
  void theirPurchasesDocumentTheResellersHeaderAsTheRestDocumentDoes() {
    JsonNode rest = viaParameter(json(get("/api/docs")), "/paths/~1api~1v1~1activations/post");
    JsonNode smsActivate = json(get("/api/docs/sms-activate.json"));
    JsonNode fiveSim = json(get("/api/docs/5sim.json"));

    for (JsonNode via : List.of(viaParameter(smsActivate, "/paths/~1stubs~1handler_api.php/get"),
        viaParameter(smsActivate, "/paths/~1stubs~1handler_api.php/post"),
        viaParameter(fiveSim, "/paths/~1v1~1user~1buy~1activation~1{country}~1{operator}~1{product}/get"))) {
      assertThat(via.get("in").asText()).isEqualTo("header");
      assertThat(via.get("schema")).as("the same values as REST takes").isEqualTo(rest.get("schema"));
    }
  }

  /** The operation's {@code Verigate-Via} parameter, its reference to the document's components followed. */
  private static JsonNode viaParameter(JsonNode document, String operation) {
    for (JsonNode parameter : document.at(operation + "/parameters")) {
      JsonNode resolved = parameter.has("$ref") ? document.at(parameter.get("$ref").asText().substring(1)) : parameter;
      if (resolved.path("name").asText().equals("Verigate-Via")) {
        return resolved;
      }
    }
    throw new AssertionError(operation + " does not document Verigate-Via");
  }

  /** A successful answer of the route, checked against the schema the 5sim document gives its 200 answer. */
  private static JsonNode assertAnswers(String document, String template, String pathAndQuery, String key) {
    JsonNode answer = json(send("GET", pathAndQuery, key, null));
    String pointer = "/paths/" + template.replace("/", "~1") + "/get/responses/200/content/application~1json/schema";
    Dialect openApi = Dialect.builder(Dialects.getOpenApi31())
        .keywords(OPENAPI_FIELDS.stream().map(NonValidationKeyword::new).toList())
        .build();
    Schema schema = SchemaRegistry.withDefaultDialect(openApi, registry -> registry
            .schemas(Map.of(DOCUMENT_IRI, document))
            .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
        .getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + pointer.replace("{", "%7B").replace("}", "%7D")));
    assertThat(schema.validate(answer)).as("GET %s against %s: %s", pathAndQuery, pointer, answer).isEmpty();
    return answer;
  }

  private static String handlerApi(String action) {
    return get("/stubs/handler_api.php?api_key=" + URLEncoder.encode(app.sandboxKey(), StandardCharsets.UTF_8)
        + "&action=" + action);
  }

  private static Set<String> texts(JsonNode array) {
    assertThat(array.isArray()).as("a list of actions").isTrue();
    Set<String> out = new TreeSet<>();
    array.forEach(node -> out.add(node.asText()));
    return out;
  }

  private static String get(String pathAndQuery) {
    return send("GET", pathAndQuery, null, null);
  }

  /** A request that must succeed; {@code key} as Bearer and {@code json} as the body when not null. */
  private static String send(String method, String pathAndQuery, String key, String json) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(app.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(10))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      builder.header("Authorization", "Bearer " + key);
    }
    HttpRequest request = builder.build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode() / 100).as("%s %s: %d %s", method, pathAndQuery, response.statusCode(), response.body()).isEqualTo(2);
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = DialectDocumentsTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
