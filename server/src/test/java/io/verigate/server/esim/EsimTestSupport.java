package io.verigate.server.esim;

import io.verigate.server.testing.TestApp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Plans and stock for eSIM tests, set up through the operator's admin API as an operator would. */
public final class EsimTestSupport {
  public static final String SMDP = "smdp.example-carrier.test";
  private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 1_000_000_000L);

  private EsimTestSupport() {}

  /** A plan id no other test uses. */
  public static String planId(String name) {
    return name + "-" + NEXT.incrementAndGet();
  }

  /** The admin body of a live plan for one country; {@code dataMb} null for unlimited. */
  public static Map<String, Object> plan(String name, String country, Long dataMb, int days, String price) {
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("name", name);
    plan.put("countries", List.of(country));
    plan.put("dataMb", dataMb);
    plan.put("validityDays", days);
    plan.put("price", price);
    return plan;
  }

  /** Saves the plan and imports {@code stock} fresh profiles for it; returns their ICCIDs. */
  public static List<String> planWithStock(TestApp app, String planId, Map<String, Object> plan, int stock) {
    app.admin("PUT", "/admin/v1/esims/plans/" + planId, plan);
    List<String> iccids = new ArrayList<>();
    if (stock > 0) {
      List<Map<String, Object>> profiles = new ArrayList<>();
      for (int i = 0; i < stock; i++) {
        String iccid = freshIccid();
        iccids.add(iccid);
        profiles.add(Map.of("iccid", iccid, "smdpAddress", SMDP, "matchingId", "MID-" + iccid.substring(8)));
      }
      app.admin("POST", "/admin/v1/esims/plans/" + planId + "/profiles", Map.of("profiles", profiles));
    }
    return iccids;
  }

  /** A Luhn-valid 20-digit ICCID never used before in this JVM. */
  public static String freshIccid() {
    String payload = String.format("8988%015d", NEXT.incrementAndGet());
    return payload + Iccid.checkDigit(payload);
  }
}
