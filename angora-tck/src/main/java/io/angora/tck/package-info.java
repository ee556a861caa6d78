/**
 * Contract tests (a technology compatibility kit) for Angora's SPIs: abstract JUnit 5 classes
 * that every implementation extends, so the in-memory parts and the real ones pass the same
 * cases.
 */
@NullMarked
package io.angora.tck;

import org.jspecify.annotations.NullMarked;
