package dev.delega.client;

import dev.delega.api.Chain;
import dev.delega.api.ClaimRequest;
import dev.delega.api.ClaimResult;
import dev.delega.api.Comment;
import dev.delega.api.ContextHistory;
import dev.delega.api.ContextState;
import dev.delega.api.DedupResult;
import dev.delega.api.Event;
import dev.delega.api.Evidence;
import dev.delega.api.Json;
import dev.delega.api.NewLink;
import dev.delega.api.NewTask;
import dev.delega.api.Page;
import dev.delega.api.Subtask;
import dev.delega.api.Task;
import dev.delega.api.TaskLink;
import dev.delega.api.TaskUpdate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * The task endpoints: CRUD, completion, delegation, subtasks, comments, context, links, dedup,
 * claims and leases, and per-task events. Obtain it from {@link DelegaClient#tasks()}.
 */
public final class Tasks {
  private static final TypeReference<List<Task>> TASKS = new TypeReference<>() {};
  private static final TypeReference<Page<Task>> TASK_PAGE = new TypeReference<>() {};
  private static final TypeReference<List<Subtask>> SUBTASKS = new TypeReference<>() {};
  private static final TypeReference<List<Comment>> COMMENTS = new TypeReference<>() {};
  private static final TypeReference<List<TaskLink>> LINKS = new TypeReference<>() {};
  private static final TypeReference<List<Event>> EVENTS = new TypeReference<>() {};

  private final HttpTransport transport;

  Tasks(HttpTransport transport) {
    this.transport = transport;
  }

  // ---- list, CRUD ----

  /** {@code GET /tasks} with the server's defaults. */
  public List<Task> list() {
    return list(TaskQuery.create());
  }

  /** {@code GET /tasks} with filters, as a bare list. */
  public List<Task> list(TaskQuery query) {
    return transport.call("GET", query.appendTo("/tasks", Map.of()), null, TASKS);
  }

  /** {@code GET /tasks?include=pagination} with filters: one page with its total. */
  public Page<Task> page(TaskQuery query) {
    return transport.call(
        "GET", query.appendTo("/tasks", Map.of("include", "pagination")), null, TASK_PAGE);
  }

  /** {@code GET /tasks/ready}: open tasks with no open blocker. */
  public List<Task> ready() {
    return ready(TaskQuery.create());
  }

  /** {@code GET /tasks/ready} with filters. */
  public List<Task> ready(TaskQuery query) {
    return transport.call("GET", query.appendTo("/tasks/ready", Map.of()), null, TASKS);
  }

  /** {@code POST /tasks} with only content. */
  public Task create(String content) {
    return create(NewTask.of(content));
  }

  /**
   * {@code POST /tasks}.
   *
   * @throws ConflictException code {@code duplicate_task}, with {@link
   *     ConflictException#matches()}, when a dedup check was asked for and found matches
   */
  public Task create(NewTask task) {
    return create(task, RequestOptions.none());
  }

  /**
   * {@code POST /tasks} with per-call headers (for example {@link
   * RequestOptions#withDedupCheck()}).
   */
  public Task create(NewTask task, RequestOptions options) {
    return transport.call("POST", "/tasks", task, Task.class, options);
  }

  /** {@code GET /tasks/{id}}. */
  public Task get(long id) {
    return transport.call("GET", "/tasks/" + id, null, Task.class);
  }

  /** {@code PUT /tasks/{id}}: a partial update; answers the full task. */
  public Task update(long id, TaskUpdate update) {
    return update(id, update, RequestOptions.none());
  }

  /** {@code PUT /tasks/{id}} with per-call headers (lease token, {@code If-Match}). */
  public Task update(long id, TaskUpdate update, RequestOptions options) {
    return transport.call("PUT", "/tasks/" + id, update, Task.class, options);
  }

  /** {@code PATCH /tasks/{id}}: the same partial update as {@link #update(long, TaskUpdate)}. */
  public Task patch(long id, TaskUpdate update) {
    return patch(id, update, RequestOptions.none());
  }

  /** {@code PATCH /tasks/{id}} with per-call headers. */
  public Task patch(long id, TaskUpdate update, RequestOptions options) {
    return transport.call("PATCH", "/tasks/" + id, update, Task.class, options);
  }

  /**
   * {@code DELETE /tasks/{id}}.
   *
   * @throws ConflictException when the task has delegated children (use {@link #delete(long,
   *     boolean)} with {@code cascade})
   */
  public void delete(long id) {
    delete(id, false, RequestOptions.none());
  }

  /**
   * {@code DELETE /tasks/{id}?cascade=true} when {@code cascade}: also deletes the delegated
   * subtree.
   */
  public void delete(long id, boolean cascade) {
    delete(id, cascade, RequestOptions.none());
  }

  /** {@code DELETE /tasks/{id}} with per-call headers. */
  public void delete(long id, boolean cascade, RequestOptions options) {
    String path = Query.create().add("cascade", cascade ? "true" : null).appendTo("/tasks/" + id);
    transport.run("DELETE", path, null, options);
  }

  // ---- lifecycle, delegation ----

  /** {@code POST /tasks/{id}/complete} with no body. */
  public Task complete(long id) {
    return complete(id, List.of(), RequestOptions.none());
  }

  /**
   * {@code POST /tasks/{id}/complete} with evidence ({@code {evidence:[…]}}; no body when empty).
   *
   * @throws ValidationException when the task's evidence policy is not met
   */
  public Task complete(long id, List<Evidence> evidence) {
    return complete(id, evidence, RequestOptions.none());
  }

  /** {@code POST /tasks/{id}/complete} with evidence and per-call headers (lease token). */
  public Task complete(long id, List<Evidence> evidence, RequestOptions options) {
    Object body = evidence == null || evidence.isEmpty() ? null : Map.of("evidence", evidence);
    return transport.call("POST", "/tasks/" + id + "/complete", body, Task.class, options);
  }

  /** {@code POST /tasks/{id}/uncomplete}. */
  public Task uncomplete(long id) {
    return transport.call("POST", "/tasks/" + id + "/uncomplete", null, Task.class);
  }

  /** {@code POST /tasks/{id}/delegate}: creates a child task; answers the child. */
  public Task delegate(long parentId, NewTask child) {
    return delegate(parentId, child, RequestOptions.none());
  }

  /** {@code POST /tasks/{id}/delegate} with per-call headers. */
  public Task delegate(long parentId, NewTask child, RequestOptions options) {
    return transport.call("POST", "/tasks/" + parentId + "/delegate", child, Task.class, options);
  }

  /** {@code GET /tasks/{id}/chain}: the whole delegation tree the task belongs to. */
  public Chain chain(long id) {
    return transport.call("GET", "/tasks/" + id + "/chain", null, Chain.class);
  }

  /** {@code GET /tasks/{id}/children}: direct delegated children. */
  public List<Task> children(long id) {
    return transport.call("GET", "/tasks/" + id + "/children", null, TASKS);
  }

  /** {@code GET /tasks/{id}/events}: the task's audit trail, oldest first. */
  public List<Event> events(long id) {
    return transport.call("GET", "/tasks/" + id + "/events", null, EVENTS);
  }

  // ---- subtasks ----

  /** {@code GET /tasks/{id}/subtasks}. */
  public List<Subtask> subtasks(long taskId) {
    return transport.call("GET", "/tasks/" + taskId + "/subtasks", null, SUBTASKS);
  }

  /** {@code POST /tasks/{id}/subtasks}. */
  public Subtask addSubtask(long taskId, String content) {
    return transport.call(
        "POST", "/tasks/" + taskId + "/subtasks", Map.of("content", content), Subtask.class);
  }

  /** {@code PUT /tasks/{id}/subtasks/{subtaskId}}; null arguments are left unchanged. */
  public Subtask updateSubtask(
      long taskId, long subtaskId, String content, Boolean completed, Integer sortOrder) {
    Map<String, Object> body = new LinkedHashMap<>();
    putIfNotNull(body, "content", content);
    putIfNotNull(body, "completed", completed);
    putIfNotNull(body, "sort_order", sortOrder);
    return transport.call(
        "PUT", "/tasks/" + taskId + "/subtasks/" + subtaskId, body, Subtask.class);
  }

  /** {@code DELETE /tasks/{id}/subtasks/{subtaskId}}. */
  public void deleteSubtask(long taskId, long subtaskId) {
    transport.run(
        "DELETE", "/tasks/" + taskId + "/subtasks/" + subtaskId, null, RequestOptions.none());
  }

  /** {@code POST /tasks/{id}/subtasks/{subtaskId}/toggle}: flips its completion. */
  public Subtask toggleSubtask(long taskId, long subtaskId) {
    return transport.call(
        "POST", "/tasks/" + taskId + "/subtasks/" + subtaskId + "/toggle", null, Subtask.class);
  }

  // ---- comments ----

  /** {@code GET /tasks/{id}/comments}, oldest first. */
  public List<Comment> comments(long taskId) {
    return transport.call("GET", "/tasks/" + taskId + "/comments", null, COMMENTS);
  }

  /** {@code POST /tasks/{id}/comments}. */
  public Comment addComment(long taskId, String content) {
    return addComment(taskId, content, null);
  }

  /** {@code POST /tasks/{id}/comments} with a free-text author hint (null for none). */
  public Comment addComment(long taskId, String content, String author) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("content", Objects.requireNonNull(content, "content"));
    putIfNotNull(body, "author", author);
    return transport.call("POST", "/tasks/" + taskId + "/comments", body, Comment.class);
  }

  /** {@code DELETE /tasks/{id}/comments/{commentId}}. */
  public void deleteComment(long taskId, long commentId) {
    transport.run(
        "DELETE", "/tasks/" + taskId + "/comments/" + commentId, null, RequestOptions.none());
  }

  // ---- context ----

  /**
   * {@code GET /tasks/{id}/context?include=provenance}: the context, its version and provenance.
   */
  public ContextState context(long taskId) {
    JsonNode node =
        transport.call(
            "GET", "/tasks/" + taskId + "/context?include=provenance", null, JsonNode.class);
    return contextState(node);
  }

  /** {@code PATCH /tasks/{id}/context}: shallow merge; a null value deletes its key. */
  public ContextState patchContext(long taskId, Map<String, ?> changes) {
    return patchContext(taskId, changes, ContextWrite.none());
  }

  /**
   * {@code PATCH /tasks/{id}/context?expected_version=&source=} with the lease token as {@code
   * X-Lease-Token}.
   *
   * @throws ConflictException code {@code version_conflict}, carrying the current {@link
   *     ConflictException#context()} and {@link ConflictException#version()}
   */
  public ContextState patchContext(long taskId, Map<String, ?> changes, ContextWrite write) {
    String path =
        Query.create()
            .add("expected_version", write.expectedVersion())
            .add("source", write.source())
            .appendTo("/tasks/" + taskId + "/context");
    RequestOptions options =
        write.leaseToken() == null
            ? RequestOptions.none()
            : RequestOptions.lease(write.leaseToken());
    JsonNode node =
        transport.call(
            "PATCH", path, changes == null ? Map.of() : changes, JsonNode.class, options);
    return contextState(node);
  }

  /** {@code GET /tasks/{id}/context/history}, newest first. */
  public ContextHistory contextHistory(long taskId) {
    return contextHistory(taskId, null, null, null);
  }

  /** {@code GET /tasks/{id}/context/history?key=&cursor=&limit=}; null arguments are not sent. */
  public ContextHistory contextHistory(long taskId, String key, String cursor, Integer limit) {
    String path =
        Query.create()
            .add("key", key)
            .add("cursor", cursor)
            .add("limit", limit)
            .appendTo("/tasks/" + taskId + "/context/history");
    return transport.call("GET", path, null, ContextHistory.class);
  }

  // ---- links, dedup ----

  /** {@code GET /tasks/{id}/links}. */
  public List<TaskLink> links(long taskId) {
    return transport.call("GET", "/tasks/" + taskId + "/links", null, LINKS);
  }

  /** {@code POST /tasks/{id}/links}. */
  public TaskLink addLink(long taskId, NewLink link) {
    return transport.call("POST", "/tasks/" + taskId + "/links", link, TaskLink.class);
  }

  /** {@code POST /tasks/dedup}: open tasks that look like this text. */
  public DedupResult dedup(String content) {
    return dedup(content, null, null);
  }

  /**
   * {@code POST /tasks/dedup} with a threshold (0 to 1) and project; null arguments are not sent.
   */
  public DedupResult dedup(String content, Double threshold, Long projectId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("content", Objects.requireNonNull(content, "content"));
    putIfNotNull(body, "threshold", threshold);
    putIfNotNull(body, "project_id", projectId);
    return transport.call("POST", "/tasks/dedup", body, DedupResult.class);
  }

  // ---- claims and leases ----

  /** {@code POST /tasks/claim}: the next ready task from the queue, with the default lease. */
  public ClaimResult claimNext() {
    return claimNext(ClaimRequest.defaults());
  }

  /** {@code POST /tasks/claim} with a lease length and queue filters. */
  public ClaimResult claimNext(ClaimRequest request) {
    JsonNode node = transport.call("POST", "/tasks/claim", request, JsonNode.class);
    return claimResult(node);
  }

  /**
   * {@code POST /tasks/{id}/claim} with the default lease.
   *
   * @throws ConflictException when another agent holds the claim
   */
  public ClaimResult claim(long taskId) {
    return claim(taskId, ClaimRequest.defaults());
  }

  /** {@code POST /tasks/{id}/claim} with a lease length (30 to 3600 s). */
  public ClaimResult claim(long taskId, ClaimRequest request) {
    JsonNode node = transport.call("POST", "/tasks/" + taskId + "/claim", request, JsonNode.class);
    return claimResult(node);
  }

  /** {@code POST /tasks/{id}/heartbeat}: extends the lease by the default length. */
  public Task heartbeat(long taskId, Long leaseToken) {
    return heartbeat(taskId, leaseToken, null, null, null);
  }

  /**
   * {@code POST /tasks/{id}/heartbeat {lease_seconds?, state?, detail?}}: extends the lease and
   * optionally reports a state ({@code working, waiting_input, errored}).
   *
   * @throws ConflictException code {@code lease_superseded} when the token is no longer current
   */
  public Task heartbeat(
      long taskId, Long leaseToken, Integer leaseSeconds, String state, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    putIfNotNull(body, "lease_seconds", leaseSeconds);
    putIfNotNull(body, "state", state);
    putIfNotNull(body, "detail", detail);
    return transport.call(
        "POST", "/tasks/" + taskId + "/heartbeat", body, Task.class, lease(leaseToken));
  }

  /**
   * {@code POST /tasks/{id}/state {state, detail?}}: reports a state without extending the lease.
   */
  public Task setState(long taskId, Long leaseToken, String state, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("state", Objects.requireNonNull(state, "state"));
    putIfNotNull(body, "detail", detail);
    return transport.call(
        "POST", "/tasks/" + taskId + "/state", body, Task.class, lease(leaseToken));
  }

  /**
   * {@code POST /tasks/{id}/release {handoff?}}: gives the task back to the queue with an optional
   * note.
   */
  public Task release(long taskId, Long leaseToken, String handoff) {
    Map<String, Object> body = new LinkedHashMap<>();
    putIfNotNull(body, "handoff", handoff);
    return transport.call(
        "POST", "/tasks/" + taskId + "/release", body, Task.class, lease(leaseToken));
  }

  // ---- helpers ----

  private static RequestOptions lease(Long leaseToken) {
    return leaseToken == null ? RequestOptions.none() : RequestOptions.lease(leaseToken);
  }

  private static void putIfNotNull(Map<String, Object> body, String key, Object value) {
    if (value != null) {
      body.put(key, value);
    }
  }

  /** Accepts {@code {task}} (the API's shape) and, leniently, a bare task. */
  static ClaimResult claimResult(JsonNode node) {
    if (node == null || node.isNull()) {
      return new ClaimResult(null);
    }
    if (node.has("task") || !node.has("id")) {
      return Json.mapper().treeToValue(node, ClaimResult.class);
    }
    return new ClaimResult(Json.mapper().treeToValue(node, Task.class));
  }

  /** Accepts {@code {context, version, provenance?}} and, leniently, a bare context object. */
  static ContextState contextState(JsonNode node) {
    if (node == null || node.isNull()) {
      return new ContextState(Map.of(), null, null);
    }
    if (node.isObject() && node.has("context") && node.has("version")) {
      return Json.mapper().treeToValue(node, ContextState.class);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> bare = Json.mapper().treeToValue(node, Map.class);
    return new ContextState(bare, null, null);
  }
}
