package io.verigate.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The map in the README's Design section, enforced: the core features know nothing of transports, the dialects
 * translate without reaching past a feature's service into its storage, {@code system} is a leaf every package may
 * use, and no two top-level packages depend on each other in a circle. Only the composition root ({@code App}, in
 * the root package) sees everything.
 */
@AnalyzeClasses(packages = "io.verigate.server", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /** The feature packages; {@code inbound} itself is core, its adapter subpackages are not. */
  private static final String[] CORE = {
      "io.verigate.server.activation..",
      "io.verigate.server.wallet..",
      "io.verigate.server.inventory..",
      "io.verigate.server.catalog..",
      "io.verigate.server.account..",
      "io.verigate.server.sandbox..",
      "io.verigate.server.notify..",
      "io.verigate.server.inbound",
      "io.verigate.server.email"};

  private static final String[] TRANSPORTS = {"io.javalin..", "org.jsmpp..", "org.subethamail..", "org.eclipse.jetty.."};

  /** Every HTTP dialect: the customer-facing ones under {@code http} and the inbound gateway adapters. */
  private static final String DIALECTS = "..http..";

  @ArchTest
  static final ArchRule coreFeaturesNeverTouchATransport = noClasses()
      .that().resideInAnyPackage(CORE)
      .should().dependOnClassesThat().resideInAnyPackage(TRANSPORTS)
      .because("a core feature is plain Java; adapters translate transports into calls on it");

  @ArchTest
  static final ArchRule coreFeaturesNeverDependOnADialect = noClasses()
      .that().resideInAnyPackage(CORE)
      .should().dependOnClassesThat().resideInAPackage(DIALECTS)
      .because("dialects depend on the core, never the other way round");

  @ArchTest
  static final ArchRule dialectsNeverCallARepository = noClasses()
      .that().resideInAPackage(DIALECTS)
      .should().dependOnClassesThat().haveNameMatching(".*Repository(\\$.*)?")
      .because("a dialect calls the feature's service, which owns its transactions and rules");

  @ArchTest
  static final ArchRule dialectsNeverTouchTheDatabase = noClasses()
      .that().resideInAPackage(DIALECTS)
      .should().dependOnClassesThat().resideInAPackage("org.jdbi..")
      .because("storage is the feature's business; a dialect only translates");

  @ArchTest
  static final ArchRule systemIsALeaf = noClasses()
      .that().resideInAPackage("io.verigate.server.system..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.verigate.server", "io.verigate.server.account..", "io.verigate.server.activation..",
          "io.verigate.server.catalog..", "io.verigate.server.email..", "io.verigate.server.http..", "io.verigate.server.inbound..",
          "io.verigate.server.inventory..", "io.verigate.server.notify..", "io.verigate.server.sandbox..", "io.verigate.server.supply..",
          "io.verigate.server.wallet..")
      .because("every feature uses system (errors, the database, the clock's helpers), so it may use none of them");

  @ArchTest
  static final ArchRule topLevelPackagesFormNoCycle = slices()
      .matching("io.verigate.server.(*)..")
      .should().beFreeOfCycles()
      .because("a cycle makes two features one, which neither can be understood or changed without");
}
