package dev.otto.core.engine;

import static java.util.Objects.requireNonNull;
import static org.apiguardian.api.API.Status.INTERNAL;

import dev.otto.core.model.LockMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * The line of runs for one lock, and what each request and release does to it: the one place
 * where the lock modes are decided, whichever driver keeps the line (the local engine in a file,
 * a Temporal workflow in its history). It is a plain value with no I/O; a driver tells the runs
 * the {@link Notice notices} it returns, as {@link RunMachine.LockGranted} and {@link
 * RunMachine.LockLost}.
 *
 * <p>Requests are kept in the order they came, one per stage of a run: the holder, those waiting,
 * and those superseded or asked to give way that their run has not heard of yet. The first
 * waiting request gets the lock once no one holds it. A request whose run is not running (as the
 * driver's {@code running} test says) is passed over: a holder that died gives its lock up, and a
 * dead run waiting at the head of the line leaves it, to ask again at the back when it is
 * resumed; a dead run further back keeps its place.
 */
@API(status = INTERNAL, since = "0.1")
public final class LockLine {
  /** Where a request stands. */
  public enum State {
    WAITING,
    HOLDING,
    /** Taken out of line by a newer run ({@code by}); kept until its run hears of it. */
    SUPERSEDED
  }

  /**
   * A stage's request; {@code by} is the newer run that superseded it, or that a holder must give
   * way to, or null.
   */
  public record Request(String run, String stage, LockMode mode, State state, String by) {
    public Request {
      requireNonNull(run, "run");
      requireNonNull(stage, "stage");
      requireNonNull(mode, "mode");
      requireNonNull(state, "state");
    }

    boolean is(String run, String stage) {
      return this.run.equals(run) && this.stage.equals(stage);
    }

    Request with(State state, String by) {
      return new Request(run, stage, mode, state, by);
    }
  }

  /** What a run hears: its stage got the lock, or lost it (or its place) to {@code byRun}, or while it was not running. */
  public record Notice(String run, String stage, boolean granted, Optional<String> byRun) {}

  private final List<Request> requests;

  /** A line holding {@code requests}, in the order they came. */
  public LockLine(List<Request> requests) {
    this.requests = new ArrayList<>(requests);
  }

  /** The requests, in the order they came. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /**
   * Asks for the lock for a stage, or asks again. A request in line keeps its place; a new one goes
   * at the back, and in {@link LockMode#NEWEST_WINS} or {@link LockMode#CANCEL_IN_PROGRESS}
   * supersedes the requests of other runs waiting before it (and, in the latter, asks the holder
   * to give way). {@code held} asks whether the stage still holds a lock it held before its host
   * stopped: if not, it is told it lost it, and is not put in line.
   */
  public List<Notice> request(LockMode mode, String run, String stage, boolean held, Predicate<String> running) {
    List<Notice> notices = new ArrayList<>();
    int mine = find(run, stage);
    Request request = mine < 0 ? null : requests.get(mine);
    if (request == null && held) {
      notices.add(new Notice(run, stage, false, Optional.empty()));
    } else if (request == null) {
      if (mode != LockMode.QUEUE) {
        supersede(mode, run, notices);
      }
      requests.add(new Request(run, stage, mode, State.WAITING, null));
    } else if (request.by() != null) {
      notices.add(new Notice(run, stage, false, Optional.of(request.by())));
    } else if (request.state() == State.HOLDING && !held) {
      notices.add(new Notice(run, stage, true, Optional.empty()));
    }
    grant(notices, running);
    return notices;
  }

  /** The stage no longer holds the lock nor waits for it: the next in line gets it. */
  public List<Notice> release(String run, String stage, Predicate<String> running) {
    requests.removeIf(r -> r.is(run, stage));
    List<Notice> notices = new ArrayList<>();
    grant(notices, running);
    return notices;
  }

  /** Takes every request of a run out of line, as for a run known to have ended, and gives the lock on. */
  public List<Notice> forget(String run, Predicate<String> running) {
    requests.removeIf(r -> r.run().equals(run));
    List<Notice> notices = new ArrayList<>();
    grant(notices, running);
    return notices;
  }

  /** Whether the stage holds the lock. */
  public boolean holds(String run, String stage) {
    int mine = find(run, stage);
    return mine >= 0 && requests.get(mine).state() == State.HOLDING;
  }

  private void supersede(LockMode mode, String run, List<Notice> notices) {
    for (int i = 0; i < requests.size(); i++) {
      Request other = requests.get(i);
      boolean waiting = other.state() == State.WAITING;
      if (!other.run().equals(run) && (waiting || other.state() == State.HOLDING
          && mode == LockMode.CANCEL_IN_PROGRESS)) {
        requests.set(i, other.with(waiting ? State.SUPERSEDED : State.HOLDING, run));
        notices.add(new Notice(other.run(), other.stage(), false, Optional.of(run)));
      }
    }
  }

  /** Gives the lock to the first waiting request once no running run holds it, passing over dead runs. */
  private void grant(List<Notice> notices, Predicate<String> running) {
    while (requests.stream().anyMatch(r -> r.state() == State.WAITING)) {
      int holder = first(State.HOLDING);
      if (holder >= 0 && running.test(requests.get(holder).run())) {
        return;
      }
      int next = holder >= 0 ? holder : first(State.WAITING);
      if (holder >= 0 || !running.test(requests.get(next).run())) {
        requests.remove(next);
        continue;
      }
      Request granted = requests.get(next).with(State.HOLDING, null);
      requests.set(next, granted);
      notices.add(new Notice(granted.run(), granted.stage(), true, Optional.empty()));
      return;
    }
  }

  private int first(State state) {
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).state() == state) {
        return i;
      }
    }
    return -1;
  }

  private int find(String run, String stage) {
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).is(run, stage)) {
        return i;
      }
    }
    return -1;
  }
}
