package io.angora.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The adapters (RabbitMQ transport, HTTP server, JDBC store) depend on the API and the engine's
 * public types, never on {@code io.angora.engine.internal}: read from their main bytecode, so a
 * fully qualified use without an import is caught too. Lives here because this module is the one
 * that has all three on its class path.
 */
class AdapterBoundaryTest {
  private static final JavaClasses ADAPTERS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.angora.amqp", "io.angora.http", "io.angora.jdbc");

  @Test
  void everyAdapterIsRead() {
    // Without this, a class path missing an adapter would pass the rule vacuously.
    assertThat(ADAPTERS.containPackage("io.angora.amqp.internal")).isTrue();
    assertThat(ADAPTERS.containPackage("io.angora.http.internal")).isTrue();
    assertThat(ADAPTERS.containPackage("io.angora.jdbc.internal")).isTrue();
  }

  @Test
  void adaptersDoNotReachIntoEngineInternals() {
    noClasses().that().resideInAnyPackage("io.angora.amqp..", "io.angora.http..",
            "io.angora.jdbc..")
        .should().dependOnClassesThat().resideInAPackage("io.angora.engine.internal..")
        .because("adapters depend on the API and the engine's public types (STYLE.md, rule 1)")
        .check(ADAPTERS);
  }
}
