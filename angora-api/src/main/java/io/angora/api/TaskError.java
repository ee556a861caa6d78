package io.angora.api;

/**
 * One problem found while loading tasks.
 *
 * @param file the file concerned, as given to the task source (may be a description such as
 *     {@code "<code>"} for tasks not read from a file)
 * @param line the 1-based line of the problem, or 0 when no line applies
 * @param field the field concerned ({@code command}, {@code triggers[1]}, ...), or the empty
 *     string when the problem is with the file or task as a whole
 * @param message what is wrong
 */
public record TaskError(String file, int line, String field, String message) {

  /** Formats as {@code file:line: field: message}, the form tools and editors understand. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (!field.isEmpty()) {
      sb.append(field).append(": ");
    }
    return sb.append(message).toString();
  }
}
