/**
 * Contract tests for Angora's SPIs: abstract JUnit 5 classes that every implementation extends,
 * so the in-memory and the real implementations pass the same cases.
 */
@NullMarked
package io.angora.tck;

import org.jspecify.annotations.NullMarked;
