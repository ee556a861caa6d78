package io.angora.engine.schedule;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One message a schedule sent.
 *
 * @param fireTime the fire time it was sent for (its placeholders show this time)
 * @param messageId the id of the message; it ends with {@code -<schedule name>}
 * @param text the message text
 * @param sentAt when it was handed to the transport
 * @param catchUp whether it was the catch-up firing of {@link Misfire#FIRE_ONCE} for missed
 *     fire times
 * @param error why the transport did not accept it, or null when it did
 */
public record Firing(Instant fireTime, String messageId, String text, Instant sentAt,
    boolean catchUp, @Nullable String error) {}
