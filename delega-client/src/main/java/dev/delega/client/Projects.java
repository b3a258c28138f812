package dev.delega.client;

import dev.delega.api.NewProject;
import dev.delega.api.Project;
import dev.delega.api.ProjectUpdate;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/** The project endpoints. Obtain it from {@link DelegaClient#projects()}. */
public final class Projects {
  private static final TypeReference<List<Project>> PROJECTS = new TypeReference<>() {};

  private final HttpTransport transport;

  Projects(HttpTransport transport) {
    this.transport = transport;
  }

  /** {@code GET /projects}. */
  public List<Project> list() {
    return transport.call("GET", "/projects", null, PROJECTS);
  }

  /** {@code POST /projects} with only a name. */
  public Project create(String name) {
    return create(NewProject.of(name));
  }

  /** {@code POST /projects}. */
  public Project create(NewProject project) {
    return transport.call("POST", "/projects", project, Project.class);
  }

  /** {@code GET /projects/{id}}. */
  public Project get(long id) {
    return transport.call("GET", "/projects/" + id, null, Project.class);
  }

  /** {@code PUT /projects/{id}}: a partial update. */
  public Project update(long id, ProjectUpdate update) {
    return transport.call("PUT", "/projects/" + id, update, Project.class);
  }

  /** {@code DELETE /projects/{id}}: its tasks are detached, not deleted. */
  public void delete(long id) {
    transport.run("DELETE", "/projects/" + id, null, RequestOptions.none());
  }
}
