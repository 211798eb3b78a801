package dev.quorum.kit.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.function.ToLongFunction;

/**
 * Caps request bodies that announce no length (chunked): Javalin checks only {@code Content-Length},
 * so without this a client could stream an unbounded body into memory.
 */
final class BodyLimit implements Filter {
  private final ToLongFunction<String> maxBytes;

  /** @param maxBytes the limit of a request path */
  BodyLimit(ToLongFunction<String> maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http && http.getContentLengthLong() < 0) {
      chain.doFilter(new Limited(http, maxBytes.applyAsLong(http.getRequestURI())), response);
    } else {
      chain.doFilter(request, response);
    }
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final long maxBytes;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public synchronized ServletInputStream getInputStream() throws IOException {
      if (stream == null) stream = new LimitedStream(super.getInputStream(), maxBytes);
      return stream;
    }
  }

  private static final class LimitedStream extends ServletInputStream {
    private final ServletInputStream in;
    private final long maxBytes;
    private long read;

    LimitedStream(ServletInputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) count(1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) count(n);
      return n;
    }

    /**
     * Unchecked on purpose: a handler that catches the stream's IOExceptions as unreadable input (400)
     * must still let the size limit through as a 413.
     */
    private void count(int n) {
      read += n;
      if (read > maxBytes) throw ProblemException.tooLarge("the request body is larger than " + maxBytes + " bytes");
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
