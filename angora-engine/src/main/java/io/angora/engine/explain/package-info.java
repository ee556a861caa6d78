/**
 * Explain: what a message would do (the tasks it triggers, what would hold them back now, the
 * messages they would send), worked out without running or recording anything.
 * {@link io.angora.engine.explain.Explanation} is the answer, {@link
 * io.angora.engine.explain.Explainer} works it out.
 */
@NullMarked
package io.angora.engine.explain;

import org.jspecify.annotations.NullMarked;
