package dev.delega.server.task;

import dev.delega.server.store.Dialect;
import dev.delega.server.store.PackedRow;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One row of the {@code tasks} table, as stored. */
public record TaskRow(
    long id,
    String content,
    String description,
    Long projectId,
    String dueDate,
    String dueTime,
    int priority,
    String labels,
    String status,
    boolean completed,
    Long completedAt,
    long createdAt,
    long updatedAt,
    Long createdBy,
    Long assignedTo,
    Long completedBy,
    Long accountable,
    Long delegatedBy,
    Long parentTaskId,
    Long rootTaskId,
    int delegationDepth,
    String context,
    long contextVersion,
    String recurringType,
    Integer recurringInterval,
    String recurringString,
    boolean isRecurring,
    Long reminderTime,
    boolean reminderSent,
    String evidencePolicy,
    String completionEvidence,
    Long claimedBy,
    Long claimedAt,
    Long leaseExpiresAt,
    long leaseToken,
    Long lastHeartbeatAt,
    String sessionState,
    String sessionStateDetail,
    String handoffNote,
    String handoffState,
    Long handoffBy,
    int attempts,
    Long sourceIngressId,
    String nextOccurrence,
    long version) {

  /** Every column, in the order {@link #unpack} reads them. */
  private static final String COLUMNS =
      "t.id, t.content, t.description, t.project_id, t.due_date, t.due_time, t.priority, t.labels,"
          + " t.status, t.completed, t.completed_at, t.created_at, t.updated_at,"
          + " t.created_by_agent_id, t.assigned_to_agent_id, t.completed_by_agent_id,"
          + " t.accountable_agent_id, t.delegated_by_agent_id, t.parent_task_id, t.root_task_id,"
          + " t.delegation_depth, t.context, t.context_version, t.recurring_type,"
          + " t.recurring_interval, t.recurring_string, t.is_recurring, t.reminder_time,"
          + " t.reminder_sent, t.evidence_policy, t.completion_evidence, t.claimed_by_agent_id,"
          + " t.claimed_at, t.lease_expires_at, t.lease_token, t.last_heartbeat_at,"
          + " t.session_state, t.session_state_detail, t.handoff_note, t.handoff_state,"
          + " t.handoff_by_agent_id, t.attempts, t.source_ingress_id, t.next_occurrence, t.version";

  /**
   * The columns of {@link #COLUMNS} as one JSON array per row ({@link PackedRow}), for a query on
   * {@code tasks t}: {@code "SELECT " + TaskRow.packed(dialect) + " FROM tasks t WHERE ..."}.
   */
  public static String packed(Dialect dialect) {
    return dialect == Dialect.POSTGRES ? PACKED_POSTGRES : PACKED_SQLITE;
  }

  private static final String PACKED_SQLITE = Dialect.SQLITE.jsonArray(COLUMNS);
  private static final String PACKED_POSTGRES = Dialect.POSTGRES.jsonArray(COLUMNS);

  /** Maps a row whose first column is {@link #packed}. */
  public static TaskRow map(ResultSet rs) throws SQLException {
    return unpack(rs.getString(1));
  }

  static TaskRow unpack(String packed) {
    try (PackedRow r = PackedRow.of(packed)) {
      return new TaskRow(
          r.longValue(),
          r.string(),
          r.string(),
          r.nullableLong(),
          r.string(),
          r.string(),
          r.intValue(),
          r.string(),
          r.string(),
          r.bool(),
          r.nullableLong(),
          r.longValue(),
          r.longValue(),
          r.nullableLong(),
          r.nullableLong(),
          r.nullableLong(),
          r.nullableLong(),
          r.nullableLong(),
          r.nullableLong(),
          r.nullableLong(),
          r.intValue(),
          r.string(),
          r.longValue(),
          r.string(),
          r.nullableInt(),
          r.string(),
          r.bool(),
          r.nullableLong(),
          r.bool(),
          r.string(),
          r.string(),
          r.nullableLong(),
          r.nullableLong(),
          r.nullableLong(),
          r.longValue(),
          r.nullableLong(),
          r.string(),
          r.string(),
          r.string(),
          r.string(),
          r.nullableLong(),
          r.intValue(),
          r.nullableLong(),
          r.string(),
          r.longValue());
    }
  }

  /** True when the task is held under a lease that has not expired at {@code nowMillis}. */
  public boolean claimedAt(long nowMillis) {
    return claimedBy != null && leaseExpiresAt != null && leaseExpiresAt > nowMillis;
  }
}
