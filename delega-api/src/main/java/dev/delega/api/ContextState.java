package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A task's context with its integer {@code version}: the answer of {@code GET /tasks/{id}/context}
 * and of {@code PATCH /tasks/{id}/context}. {@code provenance} (who wrote each key, from which
 * source, at which version) is present only when asked for with {@code include=provenance}.
 */
public record ContextState(
    Map<String, Object> context,
    Long version,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, ContextProvenance> provenance) {}
