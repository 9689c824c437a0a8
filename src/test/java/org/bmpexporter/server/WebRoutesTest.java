package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bmpexporter.testing.ComponentTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP routes of a real exporter on loopback: HEAD, methods no route takes, the page's caching
 * headers, and request targets Vert.x Web would otherwise answer with an ERROR log line.
 */
@Timeout(60)
@ComponentTest
class WebRoutesTest {
  private static LiveExporter live;

  @BeforeAll
  static void start() throws Exception {
    live = LiveExporter.start();
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @Test
  void headAnswersAsGetDoesWithoutABody() throws Exception {
    for (String path :
        List.of("/metrics", "/healthz", "/readyz", "/", "/app.js", "/api/v1/routers")) {
      HttpResponse<String> get = live.get(path);
      // java.net.http asks for h2c: over HTTP/2 Vert.x itself would send a HEAD answer's body
      HttpResponse<String> head = live.request("HEAD", path);
      assertThat(get.statusCode()).as("GET %s", path).isEqualTo(200);
      assertThat(get.body()).as("GET %s", path).isNotEmpty();
      assertThat(head.statusCode()).as("HEAD %s", path).isEqualTo(200);
      assertThat(head.body()).as("HEAD %s", path).isEmpty();
      if (!path.equals("/") && !path.equals("/app.js")) {
        // (StaticHandler leaves Content-Type out of a HEAD answer, as RFC 9110 allows)
        assertThat(header(head, "Content-Type"))
            .as("HEAD %s", path)
            .isEqualTo(header(get, "Content-Type"));
      }
      assertThat(Long.parseLong(header(head, "Content-Length"))).as("HEAD %s", path).isPositive();

      String http11 = live.raw("HEAD " + path);
      assertThat(http11).as("HTTP/1.1 HEAD %s", path).startsWith("HTTP/1.1 200");
      assertThat(http11.substring(http11.indexOf("\r\n\r\n") + 4))
          .as("HTTP/1.1 HEAD %s", path)
          .isEmpty();
    }
    for (String path : List.of("/healthz", "/readyz", "/app.js")) {
      assertThat(header(live.request("HEAD", path), "Content-Length"))
          .as(path)
          .isEqualTo(
              Integer.toString(live.get(path).body().getBytes(StandardCharsets.UTF_8).length));
    }
    assertThat(header(live.request("HEAD", "/metrics"), "Content-Type"))
        .isEqualTo(WebRoutes.PROMETHEUS_TEXT);
  }

  @Test
  void pageFilesAreRevalidatedWithLastModified() {
    HttpResponse<String> js = live.get("/app.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(header(js, "Cache-Control")).isEqualTo("no-cache");
    assertThat(header(js, "X-Content-Type-Options")).isEqualTo("nosniff");
    String lastModified = header(js, "Last-Modified");
    assertThat(lastModified).isNotBlank();

    HttpResponse<String> again = live.request("GET", "/app.js", "If-Modified-Since", lastModified);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    assertThat(live.get("/index.html").body()).isEqualTo(live.get("/").body());
    HttpResponse<String> missing = live.get("/nothing.js");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(header(missing, "Content-Type")).startsWith("application/json");
    assertThat(missing.body()).contains("\"status\":404");
  }

  @Test
  void otherMethodsAreAJson405ThatNamesGetAndHead() {
    for (String[] request :
        List.of(
            new String[] {"POST", "/healthz"},
            new String[] {"DELETE", "/api/v1/routers"},
            new String[] {"PUT", "/"},
            new String[] {"POST", "/api/v1/routers/127.0.0.1/peers"})) {
      HttpResponse<String> r = live.request(request[0], request[1]);
      String what = request[0] + " " + request[1];
      assertThat(r.statusCode()).as(what).isEqualTo(405);
      assertThat(header(r, "Allow")).as(what).isEqualTo("GET, HEAD");
      assertThat(header(r, "Content-Type")).as(what).startsWith("application/json");
      assertThat(r.body()).as(what).contains("\"status\":405").contains(request[0]);
    }
  }

  @Test
  void badRequestTargetsGetAJson400AndNoLogLine() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    try {
      for (String requestLine :
          List.of(
              "GET *",
              "OPTIONS *",
              "GET healthz",
              "GET /%ZZ",
              "GET /api/v1/routers/%C3/peers",
              "GET /api/v1/routers/127.0.0.1/peers?x=%ZZ")) {
        String response = live.raw(requestLine);
        assertThat(response)
            .as(requestLine)
            .startsWith("HTTP/1.1 400")
            .contains("application/json")
            .contains("\"status\":400");
      }
    } finally {
      System.setErr(original);
    }
    // Vert.x Web logs an unhandled failure before it answers: all of it is in by now.
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .doesNotContain("ERROR")
        .doesNotContain("Exception");
  }

  /** Writes to the original stream and keeps a copy. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      first.flush();
      second.flush();
    }
  }
}
