package dev.delega.api;

/** The public face of an agent nested inside other resources: never its permissions or admin flag. */
public record AgentRef(long id, String name, String displayName) {}
