package io.angora.http;

import io.angora.api.TaskDefinition;
import java.util.List;

/**
 * A realistic task set for the browser test and the screenshots: a nightly report with a
 * fan-out and a join, a backup whose check fails and pages the on-call (on_failure), a long
 * import, and a feed poller whose two tasks form a cycle.
 */
final class DemoTasks {
  private DemoTasks() {}

  static List<TaskDefinition> all() {
    return List.of(
        task("fetch_orders", "shop.nightly", "echo fetched 1204 orders", "orders.fetched"),
        task("fetch_stock", "shop.nightly", "echo fetched stock of 311 items", "stock.fetched"),
        task("clean_orders", "orders.fetched", "echo removed 3 duplicate orders", "orders.clean"),
        task("price_stock", "stock.fetched", "echo priced 311 items", "stock.priced"),
        TaskDefinition.builder("merge_sales").triggers("orders.clean", "stock.priced")
            .command("echo merged orders and stock").messages("report.ready")
            .parentSuccess(true).replay(0).build(),
        task("render_pdf", "report.ready", "echo wrote report.pdf", "report.rendered"),
        task("render_csv", "report.ready", "echo wrote report.csv", "report.rendered"),
        TaskDefinition.builder("mail_report").triggers("report.rendered")
            .command("echo mailed the report to sales").messages("report.sent")
            .parentSuccess(true).replay(0).build(),
        task("archive_report", "report.sent", "echo archived", null),
        task("backup_db", "db.backup", "echo dumped 2.1 GB", "db.backed_up"),
        TaskDefinition.builder("verify_backup").triggers("db.backed_up")
            .command("sh -c 'echo checksum mismatch >&2; exit 3'").replay(0)
            .onFailure("db.backup.failed").build(),
        TaskDefinition.builder("page_oncall").triggers("db.backup.failed")
            .command("echo paged the on-call").replay(0).concurrency(1).priority(5).build(),
        // Stays RUNNING until the browser test cancels it, however loaded the machine.
        task("import_catalog", "catalog.import", "sleep 300", null),
        task("poll_feed", "feed.poll", "echo polled", "feed.check"),
        task("check_feed", "feed.check", "echo nothing new", "feed.poll"));
  }

  private static TaskDefinition task(String name, String trigger, String command,
      String message) {
    TaskDefinition.Builder b = TaskDefinition.builder(name).triggers(trigger).command(command)
        .replay(0);
    if (message != null) {
      b.messages(message);
    }
    return b.build();
  }
}
