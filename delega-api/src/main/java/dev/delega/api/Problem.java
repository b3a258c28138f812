package dev.delega.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error body of every failed request: a message, a stable machine-readable {@code code}, the
 * HTTP status, and {@code detail} (the same message, for FastAPI-style callers). Some codes carry
 * more fields, for example the current {@code context} and {@code version} of a version conflict.
 */
public final class Problem {
  private String error;
  private String code;
  private int status;
  private String detail;
  private final Map<String, Object> extra = new LinkedHashMap<>();

  public Problem() {}

  public Problem(String error, String code, int status) {
    this.error = error;
    this.code = code;
    this.status = status;
    this.detail = error;
  }

  public String getError() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public int getStatus() {
    return status;
  }

  public void setStatus(int status) {
    this.status = status;
  }

  public String getDetail() {
    return detail;
  }

  public void setDetail(String detail) {
    this.detail = detail;
  }

  /** Fields beyond the four standard ones. */
  @JsonAnyGetter
  public Map<String, Object> getExtra() {
    return extra;
  }

  @JsonAnySetter
  public void putExtra(String key, Object value) {
    extra.put(key, value);
  }

  @Override
  public String toString() {
    return status + " " + code + ": " + error;
  }
}
