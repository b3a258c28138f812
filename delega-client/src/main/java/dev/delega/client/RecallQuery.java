package dev.delega.client;

import java.util.Objects;

/**
 * The filters of {@code GET /context/search}: a query plus optional project, source, key and limit.
 */
public final class RecallQuery {
  private final String q;
  private Long projectId;
  private String source;
  private String key;
  private Integer limit;
  private Boolean includeSuperseded;

  private RecallQuery(String q) {
    this.q = Objects.requireNonNull(q, "q");
  }

  /** A search for this text. */
  public static RecallQuery of(String q) {
    return new RecallQuery(q);
  }

  /** Only context of tasks in this project. */
  public RecallQuery projectId(long projectId) {
    this.projectId = projectId;
    return this;
  }

  /** Only values from this provenance source. */
  public RecallQuery source(String source) {
    this.source = source;
    return this;
  }

  /** Only this context key. */
  public RecallQuery key(String key) {
    this.key = key;
    return this;
  }

  /** At most this many results (1 to 100). */
  public RecallQuery limit(int limit) {
    this.limit = limit;
    return this;
  }

  /** Also values that later writes replaced. */
  public RecallQuery includeSuperseded(boolean includeSuperseded) {
    this.includeSuperseded = includeSuperseded;
    return this;
  }

  String appendTo(String path) {
    return Query.create()
        .add("q", q)
        .add("project_id", projectId)
        .add("source", source)
        .add("key", key)
        .add("limit", limit)
        .add("include_superseded", includeSuperseded)
        .appendTo(path);
  }

  @Override
  public String toString() {
    return appendTo("RecallQuery");
  }
}
