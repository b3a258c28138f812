package dev.delega.api;

/**
 * One "if" of an automation: {@code field} (label, priority, project_id, assigned_to_agent_id,
 * created_by_agent_id, source), {@code op} (has, not_has, eq, neq, gte, lte, is_null, not_null) and
 * a string or number {@code value}.
 */
public record AutomationCondition(String field, String op, Object value) {}
