package dev.delega.api;

import java.util.List;

/** The answer of {@code POST /tasks/dedup}: best match first. */
public record DedupResult(boolean hasDuplicates, List<DedupMatch> matches) {}
