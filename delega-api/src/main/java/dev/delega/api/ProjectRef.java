package dev.delega.api;

/** A project as nested inside a task. */
public record ProjectRef(long id, String name) {}
