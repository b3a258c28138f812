package dev.delega.server.event;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A wake-up for readers of the event log: take {@link #next()} before reading, and wait on it only
 * when the read found nothing new; any {@link #fire()} after the {@code next()} ends the wait, so
 * no append is ever slept through.
 */
public final class EventSignal {
  private final AtomicReference<CompletableFuture<Void>> next =
      new AtomicReference<>(new CompletableFuture<>());

  /** The wake-up of the next {@link #fire()}. */
  public CompletableFuture<Void> next() {
    return next.get();
  }

  /** Wakes everyone waiting on the current {@link #next()}. */
  public void fire() {
    next.getAndSet(new CompletableFuture<>()).complete(null);
  }

  /**
   * Waits for {@code wakeUp} at most {@code millis}; returns true when it fired, false on timeout.
   *
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public static boolean await(CompletableFuture<Void> wakeUp, long millis)
      throws InterruptedException {
    if (millis <= 0) {
      return wakeUp.isDone();
    }
    try {
      wakeUp.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }
}
