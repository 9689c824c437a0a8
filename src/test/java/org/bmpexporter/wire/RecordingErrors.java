package org.bmpexporter.wire;

import java.util.ArrayList;
import java.util.List;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.codec.ErrorListener;
import org.bmpexporter.codec.Quirk;

/** Collects the errors and the quirks a decoder reports, in order. */
public final class RecordingErrors implements ErrorListener {
  public final List<DecodeError> errors = new ArrayList<>();
  public final List<Quirk> quirks = new ArrayList<>();
  public final List<String> details = new ArrayList<>();

  @Override
  public void error(DecodeError error, String detail) {
    errors.add(error);
    details.add(error.label() + ": " + detail);
  }

  @Override
  public void quirk(Quirk quirk, String detail) {
    quirks.add(quirk);
    details.add(quirk.label() + ": " + detail);
  }

  public long count(DecodeError error) {
    return errors.stream().filter(e -> e == error).count();
  }
}
