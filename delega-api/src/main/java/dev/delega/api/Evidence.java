package dev.delega.api;

/**
 * Proof attached to a completion: {@code kind} is one of {@code commit, pr, ci_check, deploy_sha,
 * artifact_url, command_output}.
 */
public record Evidence(String kind, String ref, String summary) {}
