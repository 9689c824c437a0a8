package org.bmpexporter.state;

import java.util.List;
import java.util.Map;

/** Immutable views of the live state, built on the owning event loop for scrapes and the API. */
public final class Snapshots {
  private Snapshots() {}

  /**
   * @param upSinceSeconds when the current (or last) session opened, epoch seconds
   * @param stateComplete whether the state is known from the session's start (see {@link
   *     RouterState#stateComplete()})
   * @param source where the router's BMP comes from: {@code tcp} or {@code kafka}
   * @param bmpVersion the BMP version of the router's last message (1-4), 0 before any
   * @param policyTraces Huawei route policy trace events (message type 100) by family and class
   */
  public record Router(
      String router,
      String address,
      boolean up,
      double upSinceSeconds,
      double downSinceSeconds,
      String sysName,
      String sysDescr,
      Map<String, Long> messages,
      long receivedBytes,
      Map<String, Long> decodeErrors,
      Map<String, Long> terminations,
      List<Peer> peers,
      List<LimitState> limits,
      Map<String, Long> quirks,
      boolean stateComplete,
      String source,
      int bmpVersion,
      List<PolicyTraces> policyTraces) {

    /** A router without BMP version or policy traces (tests that build snapshots by hand). */
    public Router(
        String router,
        String address,
        boolean up,
        double upSinceSeconds,
        double downSinceSeconds,
        String sysName,
        String sysDescr,
        Map<String, Long> messages,
        long receivedBytes,
        Map<String, Long> decodeErrors,
        Map<String, Long> terminations,
        List<Peer> peers,
        List<LimitState> limits,
        Map<String, Long> quirks,
        boolean stateComplete,
        String source) {
      this(
          router,
          address,
          up,
          upSinceSeconds,
          downSinceSeconds,
          sysName,
          sysDescr,
          messages,
          receivedBytes,
          decodeErrors,
          terminations,
          peers,
          limits,
          quirks,
          stateComplete,
          source,
          0,
          List.of());
    }

    /**
     * A router of a TCP session (complete from its start) without quirk counts, with these limit
     * states (tests and tools that build snapshots by hand).
     */
    public Router(
        String router,
        String address,
        boolean up,
        double upSinceSeconds,
        double downSinceSeconds,
        String sysName,
        String sysDescr,
        Map<String, Long> messages,
        long receivedBytes,
        Map<String, Long> decodeErrors,
        Map<String, Long> terminations,
        List<Peer> peers,
        List<LimitState> limits) {
      this(
          router,
          address,
          up,
          upSinceSeconds,
          downSinceSeconds,
          sysName,
          sysDescr,
          messages,
          receivedBytes,
          decodeErrors,
          terminations,
          peers,
          limits,
          Map.of(),
          true,
          RouterState.SOURCE_TCP);
    }

    /** A router without limit states (tests and tools that build snapshots by hand). */
    public Router(
        String router,
        String address,
        boolean up,
        double upSinceSeconds,
        double downSinceSeconds,
        String sysName,
        String sysDescr,
        Map<String, Long> messages,
        long receivedBytes,
        Map<String, Long> decodeErrors,
        Map<String, Long> terminations,
        List<Peer> peers) {
      this(
          router,
          address,
          up,
          upSinceSeconds,
          downSinceSeconds,
          sysName,
          sysDescr,
          messages,
          receivedBytes,
          decodeErrors,
          terminations,
          peers,
          List.of());
    }
  }

  /** Route policy trace events of one family and policy class (labels as exposed). */
  public record PolicyTraces(String afiSafi, String policyClass, long events) {}

  /** One limit of a router: reached now, and what it kept out so far. */
  public record LimitState(String limit, boolean reached, long dropped) {}

  public record Peer(
      String peer,
      String rd,
      String peerType,
      long peerAs,
      String peerBgpId,
      String table,
      boolean up,
      double upTimestampSeconds,
      double lastDownTimestampSeconds,
      long ups,
      List<Downs> downs,
      String lastDownReason,
      String lastDownNotification,
      List<Table> tables,
      List<StatCounter> statCounters,
      List<StatGauge> statGauges,
      double statReportTimestampSeconds,
      Map<String, Long> mirroring,
      List<Watched> watched) {

    /** A peer without watched prefixes (tests and tools that build snapshots by hand). */
    public Peer(
        String peer,
        String rd,
        String peerType,
        long peerAs,
        String peerBgpId,
        String table,
        boolean up,
        double upTimestampSeconds,
        double lastDownTimestampSeconds,
        long ups,
        List<Downs> downs,
        String lastDownReason,
        String lastDownNotification,
        List<Table> tables,
        List<StatCounter> statCounters,
        List<StatGauge> statGauges,
        double statReportTimestampSeconds,
        Map<String, Long> mirroring) {
      this(
          peer,
          rd,
          peerType,
          peerAs,
          peerBgpId,
          table,
          up,
          upTimestampSeconds,
          lastDownTimestampSeconds,
          ups,
          downs,
          lastDownReason,
          lastDownNotification,
          tables,
          statCounters,
          statGauges,
          statReportTimestampSeconds,
          mirroring,
          List.of());
    }
  }

  /**
   * A watched prefix in one table (RIB and family) of a peer.
   *
   * @param exactSeen the prefix itself was in the table at some time (its presence is shown)
   * @param present the prefix is in the table now (any path)
   * @param origins the origin ASes of its paths now ({@code none} for an AS_SET origin)
   * @param moreSpecificsSeen a more-specific was in the table at some time
   * @param moreSpecifics more-specific prefixes in the table now
   * @param unexpectedOrigin an origin of the prefix or of a more-specific is not an expected one
   */
  public record Watched(
      String watch,
      String rib,
      String afiSafi,
      boolean exactSeen,
      boolean present,
      List<String> origins,
      boolean moreSpecificsSeen,
      long moreSpecifics,
      List<String> moreSpecificOrigins,
      boolean unexpectedOrigin) {}

  public record Downs(String reason, String notification, long count) {}

  /**
   * @param pathStatus version 4 path markings counted per status label (only those seen)
   */
  public record Table(
      String rib,
      String afiSafi,
      long routes,
      long announcements,
      long withdrawals,
      boolean endOfRib,
      Map<String, Long> pathStatus) {
    public Table(
        String rib,
        String afiSafi,
        long routes,
        long announcements,
        long withdrawals,
        boolean endOfRib) {
      this(rib, afiSafi, routes, announcements, withdrawals, endOfRib, Map.of());
    }
  }

  public record StatCounter(String statType, long value) {}

  public record StatGauge(String statType, String afiSafi, long value) {}
}
