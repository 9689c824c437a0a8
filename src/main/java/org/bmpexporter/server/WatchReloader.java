package org.bmpexporter.server;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.bmpexporter.config.ConfigException;
import org.bmpexporter.config.ConfigLoader;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.Watch;
import org.bmpexporter.state.WatchList;
import org.bmpexporter.state.Watches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the watch list of the configuration file in force: the file's content is checked every
 * second, and a changed {@code watch} list (or {@code watch_limits}) is applied without a restart.
 * A file that does not load keeps the previous list; the failure is logged once per content and
 * counted. The file's other keys are read at start-up only.
 */
final class WatchReloader {
  private static final Logger LOG = LoggerFactory.getLogger(WatchReloader.class);
  static final Duration CHECK_PERIOD = Duration.ofSeconds(1);

  private final Optional<Path> file;
  private final Watches watches;
  private final AtomicLong successes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile String seen = "";
  private boolean checking;

  WatchReloader(Optional<Path> file, Watches watches) {
    this.file = file;
    this.watches = watches;
    file.ifPresent(f -> seen = fingerprint(f));
  }

  /** The watch list of {@code config}. */
  static WatchList compile(ExporterConfig config) {
    List<WatchList.Entry> entries = new ArrayList<>();
    for (Watch w : config.watch()) {
      entries.add(
          new WatchList.Entry(
              w.name(),
              w.prefix().network(),
              w.prefix().bits(),
              w.rd(),
              new LinkedHashSet<>(w.origins()),
              w.moreSpecifics()));
    }
    return new WatchList(entries, config.watchLimits().moreSpecificsPerTable());
  }

  long successes() {
    return successes.get();
  }

  long failures() {
    return failures.get();
  }

  /** Starts the periodic check (no file: nothing to reload). */
  void start(Vertx vertx) {
    if (file.isEmpty()) {
      return;
    }
    vertx.setPeriodic(CHECK_PERIOD.toMillis(), id -> check(vertx));
  }

  private void check(Vertx vertx) {
    if (checking) {
      return;
    }
    checking = true;
    vertx.executeBlocking(this::reloadIfChanged, false).onComplete(v -> checking = false);
  }

  /** Applies the file's watch list if the file changed since last seen; true if applied. */
  boolean reloadIfChanged() {
    Path path = file.orElseThrow();
    String fp = fingerprint(path);
    if (fp.equals(seen)) {
      return false;
    }
    seen = fp;
    try {
      WatchList next = compile(ConfigLoader.loadWatch(path));
      WatchList before = watches.current();
      if (next.entries().equals(before.entries())
          && next.moreSpecificsPerTable() == before.moreSpecificsPerTable()) {
        return false; // another key changed: read at start-up only
      }
      watches.set(next);
      successes.incrementAndGet();
      LOG.info(
          "config file {} reloaded: {} watched prefixes (were {})",
          path,
          next.size(),
          before.size());
      return true;
    } catch (ConfigException e) {
      failures.incrementAndGet();
      LOG.warn(
          "config file {} not reloaded, keeping the previous watch list ({} prefixes): {}",
          path,
          watches.current().size(),
          String.join("; ", e.problems()));
      return false;
    }
  }

  /** The file's content as a hash; empty when it cannot be read (a failure once loaded). */
  private static String fingerprint(Path path) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(Files.readAllBytes(path)));
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
