package org.bmpexporter.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BytesTest {
  private static final byte[] B = {
    (byte) 0x80, 0x01, (byte) 0xff, 0x7f, 0x00, (byte) 0xfe, 0x12, 0x34, (byte) 0x9a, 0x01
  };

  @Test
  void readsBigEndianAtAnyOffset() {
    assertEquals(0x8001, Bytes.u16(B, 0));
    assertEquals(0x01ff, Bytes.u16(B, 1));
    assertEquals(0xff7f, Bytes.u16(B, 2));
    assertEquals(0x01ff7f, Bytes.u24(B, 1));
    assertEquals(0x8001ff7fL, Bytes.u32(B, 0));
    assertEquals(0x8001ff7f, Bytes.s32(B, 0));
    assertEquals(0x01ff7f00, Bytes.s32(B, 1));
    assertEquals(0x8001ff7f00fe1234L, Bytes.s64(B, 0));
    assertEquals(0x01ff7f00fe12349aL, Bytes.s64(B, 1));
    assertEquals(0xff7f00fe12349a01L, Bytes.s64(B, 2));
  }

  @Test
  void readsPastTheEndThrow() {
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.u16(B, 9));
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.u32(B, 7));
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.s64(B, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.s32(B, -1));
  }
}
