package org.bmpexporter.config;

/** Invalid configuration: names the key and the problem. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String key, String problem) {
    super("configuration key '" + key + "': " + problem);
  }
}
