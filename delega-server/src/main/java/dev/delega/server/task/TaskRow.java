package dev.delega.server.task;

import dev.delega.server.store.Sql;
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

  /** Every column, in the order {@link #map} reads them. */
  public static final String COLUMNS =
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

  /** Maps a row selected with {@link #COLUMNS}. */
  public static TaskRow map(ResultSet rs) throws SQLException {
    return new TaskRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        Sql.getLong(rs, 4),
        rs.getString(5),
        rs.getString(6),
        rs.getInt(7),
        rs.getString(8),
        rs.getString(9),
        rs.getBoolean(10),
        Sql.getLong(rs, 11),
        rs.getLong(12),
        rs.getLong(13),
        Sql.getLong(rs, 14),
        Sql.getLong(rs, 15),
        Sql.getLong(rs, 16),
        Sql.getLong(rs, 17),
        Sql.getLong(rs, 18),
        Sql.getLong(rs, 19),
        Sql.getLong(rs, 20),
        rs.getInt(21),
        rs.getString(22),
        rs.getLong(23),
        rs.getString(24),
        Sql.getInt(rs, 25),
        rs.getString(26),
        rs.getBoolean(27),
        Sql.getLong(rs, 28),
        rs.getBoolean(29),
        rs.getString(30),
        rs.getString(31),
        Sql.getLong(rs, 32),
        Sql.getLong(rs, 33),
        Sql.getLong(rs, 34),
        rs.getLong(35),
        Sql.getLong(rs, 36),
        rs.getString(37),
        rs.getString(38),
        rs.getString(39),
        rs.getString(40),
        Sql.getLong(rs, 41),
        rs.getInt(42),
        Sql.getLong(rs, 43),
        rs.getString(44),
        rs.getLong(45));
  }

  /** True when the task is held under a lease that has not expired at {@code nowMillis}. */
  public boolean claimedAt(long nowMillis) {
    return claimedBy != null && leaseExpiresAt != null && leaseExpiresAt > nowMillis;
  }
}
