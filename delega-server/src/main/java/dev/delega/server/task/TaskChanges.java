package dev.delega.server.task;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Column values to write to one task row, and the before/after of each changed wire field for the event log. */
public final class TaskChanges {
  public final Map<String, Object> columns = new LinkedHashMap<>();
  public final Map<String, Object> diff = new LinkedHashMap<>();

  /** Sets a column; records the change under {@code field} when the value differs. */
  public void set(String column, String field, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      columns.put(column, after);
      if (field != null) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("before", before);
        change.put("after", after);
        diff.put(field, change);
      }
    }
  }

  /** Sets a column without recording it in the diff (derived values such as timestamps). */
  public void setQuietly(String column, Object value) {
    columns.put(column, value);
  }

  public boolean changed(String field) {
    return diff.containsKey(field);
  }

  public boolean isEmpty() {
    return columns.isEmpty();
  }
}
