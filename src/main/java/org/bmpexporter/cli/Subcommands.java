package org.bmpexporter.cli;

import java.util.List;

/** Subcommands that live in other packages (registered here so Main stays declarative). */
final class Subcommands {
  private Subcommands() {}

  static List<Object> extra() {
    return List.of(new org.bmpexporter.loadgen.LoadgenCommand());
  }
}
