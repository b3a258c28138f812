package dev.delega.client;

import java.time.Duration;

/** Waits between retries; tests swap in one that records the waits instead of sleeping. */
@FunctionalInterface
interface Sleeper {
  Sleeper REAL = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
