package dev.delega.api;

/**
 * The body of {@code POST /tasks/{id}/links}: {@code kind} is one of {@code branch, commit, pr,
 * url}; {@code repo} and {@code url} may be null (and are then sent as null, as the official
 * clients do).
 */
public record NewLink(String kind, String repo, String ref, String url) {}
