package dev.delega.server.http;

import dev.delega.server.agent.Caller;
import dev.delega.server.internal.Fields;

/** How the create route asks for duplicates before inserting a task. */
@FunctionalInterface
public interface DuplicateCheck {
  /** Throws 409 {@code duplicate_task} with the matches when the body's content duplicates an open task. */
  void refuseDuplicates(Caller caller, Fields body);
}
