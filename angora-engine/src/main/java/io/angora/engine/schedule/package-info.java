/**
 * Schedules: messages sent on a clock, by the coordinator only. A {@link
 * io.angora.engine.schedule.Schedule} sends its message on a cron expression or a fixed
 * interval ({@link io.angora.engine.schedule.Timing}); a {@link
 * io.angora.engine.schedule.ScheduleSource} such as {@link
 * io.angora.engine.schedule.YamlScheduleSource} (the {@code schedules.yml} file) provides them;
 * {@link io.angora.engine.schedule.ScheduleCheck} describes them for {@code angora check}.
 */
@NullMarked
package io.angora.engine.schedule;

import org.jspecify.annotations.NullMarked;
