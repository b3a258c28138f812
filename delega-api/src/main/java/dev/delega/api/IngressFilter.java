package dev.delega.api;

/**
 * A condition an ingress payload must meet to become a task: {@code path} into the payload, {@code
 * op} one of {@code eq, neq, exists, not_exists}, and a string, number or boolean {@code value}.
 */
public record IngressFilter(String path, String op, Object value) {}
