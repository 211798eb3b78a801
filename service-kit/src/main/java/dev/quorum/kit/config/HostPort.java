package dev.quorum.kit.config;

import java.util.Objects;

/** A host and a port, as in a list of bootstrap servers or database endpoints. */
public record HostPort(String host, int port) {
  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) throw new IllegalArgumentException("the host is empty");
    if (port < 1 || port > 65_535) throw new IllegalArgumentException("the port must be in [1, 65535], was " + port);
  }

  /** Reads {@code host:port} or {@code [ipv6]:port}. */
  public static HostPort parse(String text) {
    String s = text.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) throw new IllegalArgumentException("not host:port: " + text);
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    else if (host.contains(":")) throw new IllegalArgumentException("write an IPv6 address as [address]:port: " + text);
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a port number in " + text);
    }
    return new HostPort(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
