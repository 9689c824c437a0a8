package org.bmpexporter.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.bmpexporter.testing.Bmp;
import org.junit.jupiter.api.Test;

/** What a destination that joins in the middle of a router's session is sent first. */
class SessionStartTest {
  private static byte[] peer(String address) {
    return Bmp.globalPeer(address, 65010);
  }

  private static byte[] down(String address) {
    return Bmp.peerDown(peer(address), 2, new byte[] {0, 0});
  }

  @Test
  void theInitiationThenThePeerUpOfEveryPeerUpNow() {
    SessionStart start = new SessionStart(100);
    byte[] init = Bmp.initiation("r1", "router");
    byte[] up1 = Bmp.peerUp(peer("192.0.2.1"));
    byte[] up2 = Bmp.peerUp(peer("192.0.2.2"));
    byte[] up3 = Bmp.peerUp(peer("2001:db8::3"));
    start.see(init);
    start.see(up1);
    start.see(up2);
    start.see(
        Bmp.routeMonitoring(peer("192.0.2.1"), Bmp.updateV4(new byte[0], Bmp.nlri("10.0.0.0/8"))));
    start.see(up3);
    start.see(down("192.0.2.2"));
    assertThat(start.messages()).containsExactlyInAnyOrder(init, up1, up3);
    assertThat(start.messages().get(0)).isEqualTo(init);
    assertThat(start.peers()).isEqualTo(2);
  }

  @Test
  void whatIsKeptIsACopyOfTheMessageInTheCallersBuffer() {
    SessionStart start = new SessionStart(100);
    byte[] init = Bmp.initiation("r1", "router");
    byte[] up = Bmp.peerUp(peer("192.0.2.1"));
    // both in one read buffer, as the framer hands them out; the buffer is reused afterwards
    byte[] read = Bmp.concat(new byte[] {9, 9, 9}, init, up, new byte[] {7});
    start.see(read, 3, init.length);
    start.see(read, 3 + init.length, up.length);
    java.util.Arrays.fill(read, (byte) 0);
    assertThat(start.messages()).containsExactly(init, up);
  }

  @Test
  void aPeerThatComesUpAgainIsSentWithItsLatestPeerUp() {
    SessionStart start = new SessionStart(100);
    byte[] first = Bmp.peerUp(peer("192.0.2.1"));
    byte[] again =
        Bmp.peerUp(
            peer("192.0.2.1"),
            Bmp.open(65001, "192.0.2.1", java.util.Map.of()),
            Bmp.open(65099, "192.0.2.99", java.util.Map.of()));
    start.see(first);
    start.see(down("192.0.2.1"));
    start.see(again);
    assertThat(start.messages()).containsExactly(again);
  }

  @Test
  void withoutAnInitiationOnlyThePeerUpsAndTheDistinguisherTellsPeersApart() {
    SessionStart start = new SessionStart(100);
    byte[] global = Bmp.peerUp(Bmp.peerHeader(0, 0, 0, "192.0.2.1", 65010, "192.0.2.255"));
    byte[] rd = Bmp.peerUp(Bmp.peerHeader(1, 0, 7, "192.0.2.1", 65010, "192.0.2.255"));
    start.see(global);
    start.see(rd);
    assertThat(start.messages()).containsExactlyInAnyOrder(global, rd);
    start.see(
        Bmp.peerDown(
            Bmp.peerHeader(1, 0, 7, "192.0.2.1", 65010, "192.0.2.255"), 2, new byte[] {0, 0}));
    assertThat(start.messages()).containsExactly(global);
  }

  @Test
  void peerUpsBeyondThePeerLimitAreNotKept() {
    SessionStart start = new SessionStart(2);
    byte[] up1 = Bmp.peerUp(peer("192.0.2.1"));
    byte[] up2 = Bmp.peerUp(peer("192.0.2.2"));
    start.see(up1);
    start.see(up2);
    assertThat(start.peersOverLimit()).isFalse();
    start.see(Bmp.peerUp(peer("192.0.2.3")));
    assertThat(start.peersOverLimit()).isTrue();
    assertThat(start.messages()).containsExactlyInAnyOrder(up1, up2);
    // a peer already kept may still come up again
    byte[] up1Again = Bmp.peerUp(peer("192.0.2.1"));
    start.see(up1Again);
    assertThat(start.peers()).isEqualTo(2);
  }

  @Test
  void messagesTooShortForAPeerHeaderAreIgnored() {
    SessionStart start = new SessionStart(10);
    start.see(Bmp.bmp(Bmp.PEER_UP, new byte[] {1, 2, 3}));
    start.see(Bmp.bmp(Bmp.PEER_DOWN, new byte[0]));
    assertThat(start.messages()).isEmpty();
  }
}
