package dev.delega.api;

import java.util.List;

/** One page of a list, returned instead of a bare array when the caller asks for {@code include=pagination}. */
public record Page<T>(
    List<T> items, long total, int limit, int offset, boolean hasMore, Integer nextOffset) {}
